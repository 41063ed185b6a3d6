"""Article writes, one module per topic: editing (create, update, save as the admin and the API
do), workflow (transitions), sweeps (the scheduler's publish and expiry), corrections,
proposals (reporters' changes to live articles), revisions, previews and sections.

Every function takes the acting user, checks what they may do (articles.policy), changes
state, writes the audit entry and a revision, and records side effects in the outbox, in that
order and in one transaction. The admin, the API and the worker all come through here.
"""
