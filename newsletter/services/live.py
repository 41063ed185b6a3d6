"""A key event of live coverage sent as a breaking-news alert in one step: an edition of the
Breaking news list with the entry's text and the live article, started at once through the
usual preparing, ledger and rate limits. Once per entry."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags

from articles.models import Entry
from articles.policy import ArticlePolicy
from core.errors import InvalidTransition, NotAllowed

from ..models import Edition
from .automatic import BREAKING_LIST_SLUG, _list_for_new_edition
from .editions import _require_sender, edition_create, edition_launch

logger = logging.getLogger(__name__)


def live_alert_key(entry_id: int) -> str:
    return f"live-entry:{entry_id}"


def edition_create_live_alert(*, user, entry: Entry) -> Edition:
    """Send ``entry`` (a key event of a published article) to the Breaking news list now.
    Editors who may send editions; a second request for the same entry is refused."""
    article = entry.article
    if not ArticlePolicy(user, article).can_alert_entry(entry):
        raise NotAllowed("Only editors send key events of published live coverage as alerts.")
    _require_sender(user)
    key = live_alert_key(entry.pk)
    lst = _list_for_new_edition(
        key=key,
        slug=BREAKING_LIST_SLUG,
        missing="No Breaking news list: live alert not sent",
        extra={"entry_id": entry.pk},
    )
    if lst is None:
        if Edition.objects.filter(dedupe_key=key).exists():
            raise InvalidTransition("This key event was sent as an alert already.")
        raise InvalidTransition("There is no Breaking news list to send it to.")
    text = " ".join(strip_tags(entry.body).split())
    headline = entry.title or text[:120]
    try:
        with transaction.atomic():
            edition = edition_create(
                user=user,
                list=lst,
                subject=f"Breaking: {headline}",
                intro=text,
                articles=[article],
                kind=Edition.Kind.BREAKING,
                dedupe_key=key,
            )
            edition_launch(edition, now=timezone.now())
    except IntegrityError:
        raise InvalidTransition("This key event was sent as an alert already.") from None
    logger.info(
        "Live alert edition created", extra={"edition_id": edition.pk, "entry_id": entry.pk}
    )
    return edition
