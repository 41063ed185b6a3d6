"""The journalists' admin. Every write goes through articles.services, so the admin, the API
and the worker enforce the same rules; these modules only decide what to show whom.

article.py   the article form, list and pages      inlines.py  bylines, related links, notes
actions.py   bulk workflow actions                  filters.py  list filters
displays.py  list columns and read-only fields
views.py     history, previews, schedule, tags      editorial.py  proposals, correction notes
forms.py     forms and widgets                      workflow.py   who may take which step
others.py    sections, proposals list, tags
"""

from . import article, others  # noqa: F401 - registers the model admins
