"""Builders for valid comment submissions, shared by the comments tests."""

import time

from comments.forms import form_stamp


def form_data(article, **overrides) -> dict:
    """A valid comment form submission, rendered a minute ago."""
    data = {
        "body": "The harbour plan ignores the fishermen.",
        "author_name": "Ada Reader",
        "author_email": "ada@example.org",
        "author_url": "",
        "parent": "",
        "homepage": "",
        "stamp": form_stamp(article.pk, now=time.time() - 60),
    }
    data.update(overrides)
    return data


def post_kwargs(article, **overrides) -> dict:
    """Valid keyword arguments for services.comment_post."""
    kwargs = {
        "article": article,
        "author_name": "Ada Reader",
        "author_email": "ada@example.org",
        "author_url": "",
        "body": "The harbour plan ignores the fishermen.",
        "parent_id": None,
        "ip": "203.0.113.10",
        "user_agent": "Mozilla/5.0 Firefox/128.0",
    }
    kwargs.update(overrides)
    return kwargs
