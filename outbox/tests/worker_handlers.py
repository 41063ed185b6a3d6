"""Imported by test workers only (``celery worker -I outbox.tests.worker_handlers``)."""

from outbox.tests.recording import register_all

register_all()
