"""Editions nobody has to press a button for: the daily digest (beat, at its time of day),
breaking-news alerts (an outbox handler), and the sweep that recovers whatever a lost wake-up or
a dead worker left behind."""

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import Article
from outbox.services import sweep_complete

from ..models import Delivery, Edition, List
from .editions import edition_create, edition_finish_if_done, edition_launch, edition_wake
from .ledger import deliveries_reclaim_expired

logger = logging.getLogger(__name__)

S = Edition.Status
DIGEST_LIST_SLUG = "daily-digest"
BREAKING_LIST_SLUG = "breaking-news"
SWEEP_NAME = "newsletter.sweep"


def _list_for_new_edition(*, key: str, slug: str, missing: str, extra=None) -> List | None:
    """The list an automatic edition keyed ``key`` goes to, or None when that edition exists
    already or the list is missing (logged with ``missing``)."""
    if Edition.objects.filter(dedupe_key=key).exists():
        return None
    lst = List.objects.filter(slug=slug).first()
    if lst is None:
        logger.warning(missing, extra=extra or {})
    return lst


def edition_create_breaking(*, article_id: int) -> Edition | None:
    """One alert to the Breaking news list for a published breaking article, ever.

    Called for every "article.published" event; republishing or a repeated event finds the
    edition by its key and does nothing.
    """
    article = Article.objects.published().filter(pk=article_id, is_breaking=True).first()
    if article is None:
        return None
    key = f"breaking:{article.pk}"
    lst = _list_for_new_edition(
        key=key,
        slug=BREAKING_LIST_SLUG,
        missing="No Breaking news list: alert not sent",
        extra={"article_id": article.pk},
    )
    if lst is None:
        return None
    try:
        with transaction.atomic():
            edition = edition_create(
                user=None,
                list=lst,
                subject=f"Breaking: {article.title}",
                intro=article.dek,
                articles=[article],
                kind=Edition.Kind.BREAKING,
                dedupe_key=key,
            )
            edition_launch(edition, now=timezone.now())
    except IntegrityError:
        return None  # a concurrent event created it
    logger.info("Breaking news edition created", extra={"edition_id": edition.pk})
    return edition


def _digest_time() -> time:
    try:
        hours, minutes = (int(part) for part in settings.NEWSLETTER_DIGEST_TIME.split(":"))
        return time(hours, minutes)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"NEWSLETTER_DIGEST_TIME must be HH:MM, not {settings.NEWSLETTER_DIGEST_TIME!r}."
        ) from exc


def edition_compose_digest(*, now: datetime | None = None) -> Edition | None:
    """Compose today's digest once its time (NEWSLETTER_DIGEST_TIME, newsroom time) has come.

    Beat calls this every minute; the date in its key makes it once a day, and a beat that was
    down at that time composes it as soon as it is back. It carries what was published since
    the previous digest; with nothing new it is kept as a draft with the reason, unsent.
    """
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.time() < _digest_time():
        return None
    key = f"digest:{local.date().isoformat()}"
    lst = _list_for_new_edition(
        key=key, slug=DIGEST_LIST_SLUG, missing="No Daily digest list: digest not composed"
    )
    if lst is None:
        return None
    previous = Edition.objects.filter(kind=Edition.Kind.DIGEST).order_by("-created_at").first()
    since = previous.created_at if previous else now - timedelta(days=1)
    articles = list(
        Article.objects.published()
        .filter(published_at__gt=since, published_at__lte=now)
        .order_by("-published_at", "-pk")[: settings.NEWSLETTER_DIGEST_MAX_ARTICLES]
    )
    try:
        with transaction.atomic():
            edition = edition_create(
                user=None,
                list=lst,
                subject=f"{lst.name}: {date_format(local.date(), 'DATE_FORMAT')}",
                articles=articles,
                kind=Edition.Kind.DIGEST,
                dedupe_key=key,
            )
            if not articles:
                edition.status_reason = "Nothing was published since the last digest: not sent."
                edition.save(update_fields=["status_reason"])
            elif settings.NEWSLETTER_DIGEST_AUTO_SEND:
                edition_launch(edition, now=now)
            else:
                edition.status_reason = (
                    "Composed and waiting for an editor: digests are not sent by themselves "
                    "here (NEWSLETTER_DIGEST_AUTO_SEND is off). Press Send now to send it."
                )
                edition.save(update_fields=["status_reason"])
    except IntegrityError:
        return None
    logger.info(
        "Daily digest composed",
        extra={"edition_id": edition.pk, "articles": len(articles), "status": edition.status},
    )
    return edition


# ---------------------------------------------------------------------------
# The sweep (beat)
# ---------------------------------------------------------------------------
def newsletter_sweep(*, now: datetime | None = None) -> dict:
    """Start scheduled editions that are due, re-run lost preparations, settle messages in
    doubt, finish editions with nothing left, and wake editions whose senders went quiet."""
    now = now or timezone.now()
    stall = timedelta(seconds=settings.NEWSLETTER_STALL_SECONDS)
    result = {"started": 0, "prepared": 0, "reclaimed": 0, "finished": 0, "woken": 0}
    with transaction.atomic():
        for edition in (
            Edition.objects.select_for_update(skip_locked=True)
            .filter(status=S.SCHEDULED, send_at__lte=now)
            .order_by("send_at")
        ):
            edition.send_at = None
            edition.save(update_fields=["send_at"])
            edition_launch(edition, now=now)
            result["started"] += 1
    for edition_id in Edition.objects.filter(
        status=S.PREPARING, heartbeat_at__lt=now - stall
    ).values_list("pk", flat=True):
        Edition.objects.filter(pk=edition_id).update(heartbeat_at=now)
        _enqueue_prepare_now(edition_id)
        result["prepared"] += 1
    for edition in Edition.objects.filter(status=S.SENDING).select_related("list"):
        result["reclaimed"] += deliveries_reclaim_expired(edition=edition, now=now)
        if edition_finish_if_done(edition_id=edition.pk):
            result["finished"] += 1
            continue
        quiet = edition.heartbeat_at is None or edition.heartbeat_at < now - stall
        if quiet and _has_claimable(edition, now):
            Edition.objects.filter(pk=edition.pk).update(heartbeat_at=now)
            edition_wake(edition_id=edition.pk)
            result["woken"] += 1
    sweep_complete(name=SWEEP_NAME, started_at=now, handled=sum(result.values()))
    return result


def _enqueue_prepare_now(edition_id: int) -> None:
    from ..tasks import edition_prepare_task

    try:
        edition_prepare_task.delay(edition_id)
    except Exception:  # broker down: the next sweep tries again
        logger.exception("Could not enqueue an edition's preparation")


def _has_claimable(edition: Edition, now: datetime) -> bool:
    return (
        Delivery.objects.filter(
            edition=edition, status=Delivery.Status.PENDING, available_at__lte=now
        )
        .exclude(lease_until__gte=now)
        .exists()
    )
