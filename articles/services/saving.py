"""One save of an article as the admin's form and the API's writes make it: create or edit,
set the expiry, add new correction notes and take one workflow step, all or nothing."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Article
from .corrections import correction_add
from .editing import EDITOR_FIELDS, article_create, article_update
from .workflow import STEPS


@transaction.atomic
def article_save(
    *,
    user,
    article: Article | None,
    data: dict,
    expected_version: int | None = None,
    bylines: Iterable | None = None,
    related: Iterable | None = None,
    tags: Iterable[str] | None = None,
    substantive: bool = False,
    comment: str = "",
    corrections: Iterable[dict] = (),
    step: str = "",
    publish_at: datetime | None = None,
) -> Article:
    """Create a draft (``article`` None) or edit one, then add ``corrections`` ({kind, text})
    and take the workflow ``step`` (a name in workflow.STEPS; "schedule" needs
    ``publish_at``). A refusal at any point undoes the whole save."""
    if step and step not in STEPS:
        raise ValidationError(f"Unknown workflow step “{step}”.")
    if step == "schedule" and publish_at is None:
        raise ValidationError({"publish_at": "Choose when the article goes live."})
    if article is None:
        article = _create(user=user, data=data, bylines=bylines, related=related, tags=tags)
    else:
        article = article_update(
            user=user,
            article=article,
            data=data,
            expected_version=expected_version,
            bylines=bylines,
            related=related,
            tags=tags,
            substantive=substantive,
            comment=comment,
        )
    for note in corrections:
        correction_add(user=user, article=article, kind=note["kind"], text=note["text"])
    if step:
        when = {"publish_at": publish_at} if step == "schedule" else {}
        article = STEPS[step](user=user, article=article, comment=comment, **when)
    return article


def _create(*, user, data: dict, bylines, related, tags) -> Article:
    data = dict(data)
    # A new article is a draft: its expiry is an editor's setting on top, checked as an edit.
    later = {name: data.pop(name) for name in EDITOR_FIELDS & set(data) if data[name]}
    for name in EDITOR_FIELDS & set(data):
        data.pop(name)
    article = article_create(
        user=user,
        title=data.pop("title", ""),
        section=data.pop("section", None),
        body=data.pop("body", ""),
        bylines=bylines or (),
        related=related or (),
        tags=tags or (),
        **data,
    )
    if later:
        article = article_update(
            user=user,
            article=article,
            data=later,
            expected_version=article.version,
            comment="Set the expiry",
        )
    return article
