"""Text that XML can carry. XML 1.0 (RSS, Atom, sitemaps) has no way to write most C0 control
characters, lone surrogates or the non-characters U+FFFE and U+FFFF; one of them in a title makes
the whole document unparseable, and Django's feed writer refuses it with an error. They reach
the newsroom from word processors (a vertical tab is Word's manual line break) and terminals.

Every service that stores text from staff or readers cleans it with ``clean_text`` (or
``clean_model_text``), and every XML document is written through ``xml_text`` as well, so a row
stored before this rule, or by a path that skipped it, cannot take a feed down.
"""

import re

from django.db import models

# Everything outside XML 1.0's Char production except what Python strings cannot hold anyway:
# C0 controls but tab, line feed and carriage return; surrogates; U+FFFE, U+FFFF.
XML_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Page and manual line breaks mean a break; the rest mean nothing.
BREAKS_RE = re.compile("[\x0b\x0c]")


def clean_text(value, *, multiline: bool = True):
    """``value`` without characters XML cannot carry: a vertical tab or form feed becomes a line
    break (a space on a single line), anything else of them is dropped. Non-strings pass."""
    if not isinstance(value, str) or not XML_ILLEGAL_RE.search(value):
        return value
    value = BREAKS_RE.sub("\n" if multiline else " ", value)
    return XML_ILLEGAL_RE.sub("", value)


def xml_text(value) -> str:
    """A value as it may be written into an XML document (feeds, sitemaps)."""
    if value is None:
        return ""
    return clean_text(str(value), multiline=True)


def clean_model_text(instance, fields=None) -> set[str]:
    """Clean every text field of a model instance in place (or only ``fields``); text fields are
    multi-line, char fields single-line. Returns the names of the fields that changed."""
    changed = set()
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if not isinstance(field, models.CharField | models.TextField):
            continue
        value = getattr(instance, field.attname)
        cleaned = clean_text(value, multiline=isinstance(field, models.TextField))
        if cleaned != value:
            setattr(instance, field.attname, cleaned)
            changed.add(field.name)
    return changed
