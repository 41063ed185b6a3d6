"""Sections: created and changed by editors, from the admin and the API alike."""

from django.core.exceptions import ValidationError
from django.db import transaction

from core.text import clean_model_text

from .. import policy
from ..models import Section
from .common import require


@transaction.atomic
def section_save(*, user, section: Section, data: dict) -> Section:
    """Create or change a section, editors only, with the model's own validation (pages pick
    the change up through the articles app's signals)."""
    require(policy.is_editor(user), "Only editors can change sections.")
    for field, value in data.items():
        setattr(section, field, value.strip() if isinstance(value, str) else value)
    clean_model_text(section)
    if not section.slug:
        raise ValidationError({"slug": ["Enter a slug made of letters, numbers or hyphens."]})
    section.full_clean()
    section.save()
    return section
