"""Moderation in the Django admin: the queue, every comment, word lists, bans and policies.

Declarative; every decision goes through comments.services (or comments.privacy), which check
the moderator's permission and write the audit log.

comment.py   the comment list, the moderation queue and a comment's page
actions.py   bulk moderation, bans and the commenters' personal data (GDPR)
filters.py   list filters                     inlines.py   reader reports, moderation log
rules.py     word lists, bans, policies       records.py   read-only logs and recipients
"""

from . import comment, records, rules  # noqa: F401 - registers the model admins
