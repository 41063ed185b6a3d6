"""Shared infrastructure every app builds on: domain errors with their HTTP meaning, rate limits,
retry backoff, absolute URLs, the reader's address, the admin-to-service bridge and upload
validation. It knows no newsroom words and imports no other project app."""
