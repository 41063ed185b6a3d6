"""Newsletter reads. Articles come from ``Article.objects.published()`` and the articles app's
selectors only: an unpublished article never reaches a reader's inbox."""

import time
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.text import get_text_list

from articles.models import Article, Byline
from articles.selectors import related_articles_for
from core.emails import InvalidEmail, canonical_email
from core.links import absolute_url

from .models import Delivery, Edition, List, Subscriber, Suppression
from .tokens import preferences_token_read

RELATED_IN_ALERT = 3


def list_list_public():
    """The lists a reader can choose in the sign-up box and on the preference page."""
    return List.objects.filter(is_public=True).order_by("position", "name")


def subscriber_get_by_preferences_token(*, token: str) -> Subscriber | None:
    """The reader of a preference link, or None (raises InvalidToken for a forged link)."""
    return Subscriber.objects.filter(pk=preferences_token_read(token)).first()


@dataclass(frozen=True)
class ArticleItem:
    """An article as a message shows it: absolute links, plain strings."""

    article: Article
    title: str
    url: str
    dek: str
    section: str
    byline: str
    published_at: datetime | None


def _item(article: Article) -> ArticleItem:
    names = [byline.author.name for byline in article.bylines.all()]
    return ArticleItem(
        article=article,
        title=article.title,
        url=absolute_url(article.get_absolute_url()),
        dek=article.dek,
        section=article.section.name,
        byline=f"By {get_text_list(names, 'and')}" if names else article.credit_line,
        published_at=article.published_at,
    )


def edition_articles_for_render(edition: Edition) -> list[ArticleItem]:
    """The edition's published articles in the editor's order, in three queries."""
    order = dict(
        edition.edition_articles.values_list("article_id", "position").order_by("position", "id")
    )
    if not order:
        return []
    articles = (
        Article.objects.published()
        .filter(pk__in=list(order))
        .select_related("section")
        .prefetch_related(
            Prefetch(
                "bylines", queryset=Byline.objects.select_related("author").order_by("position")
            )
        )
        .defer("body", "search_vector")
    )
    return [_item(a) for a in sorted(articles, key=lambda a: (order[a.pk], a.pk))]


def edition_related_for_render(article: Article) -> list[ArticleItem]:
    """ "More on this story" under a breaking-news alert: the site's own related articles."""
    items = []
    for related in related_articles_for(article, limit=RELATED_IN_ALERT):
        items.append(
            ArticleItem(
                article=related.article,
                title=related.title,
                url=absolute_url(related.url),
                dek="",
                section=related.section.name if related.section else "",
                byline="",
                published_at=related.published_at,
            )
        )
    return items


@dataclass(frozen=True)
class Progress:
    status: str
    status_display: str
    status_reason: str
    total: int
    sent: int
    failed: int
    skipped: int
    pending: int
    in_flight: int
    uncertain: int
    rate: float | None  # messages per second, while sending

    @property
    def done_percent(self) -> int:
        if not self.total:
            return 100 if self.status == Edition.Status.SENT else 0
        return int(100 * (self.sent + self.failed + self.skipped) / self.total)

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "status_display": self.status_display,
            "status_reason": self.status_reason,
            "total": self.total,
            "sent": self.sent,
            "failed": self.failed,
            "skipped": self.skipped,
            "pending": self.pending,
            "in_flight": self.in_flight,
            "uncertain": self.uncertain,
            "rate": None if self.rate is None else round(self.rate, 1),
            "done_percent": self.done_percent,
        }


def delivery_counts(edition_id: int) -> dict:
    """Ledger rows of an edition by outcome, in one aggregate query."""
    D = Delivery.Status
    return Delivery.objects.filter(edition_id=edition_id).aggregate(
        total=Count("id"),
        sent=Count("id", filter=Q(status=D.SENT)),
        failed=Count("id", filter=Q(status=D.FAILED)),
        skipped=Count("id", filter=Q(status=D.SKIPPED)),
        pending=Count("id", filter=Q(status=D.PENDING)),
        in_flight=Count("id", filter=Q(status=D.ATTEMPTING)),
        uncertain=Count("id", filter=Q(was_uncertain=True)),
    )


def edition_progress(edition: Edition) -> Progress:
    """Where an edition's sending stands, in one aggregate query over the ledger.

    The send rate is the change in "sent" since the previous look (kept in the cache), so
    it shows the current pace, not the average since the start.
    """
    if edition.stats and edition.status == Edition.Status.SENT:
        counts = {**edition.stats}
    else:
        counts = delivery_counts(edition.pk)
    rate = None
    if edition.status == Edition.Status.SENDING:
        key = f"newsletter:progress:{edition.pk}"
        now = time.time()
        previous = cache.get(key)
        if previous and now - previous[0] >= 1:
            rate = max(0.0, (counts["sent"] - previous[1]) / (now - previous[0]))
        if not previous or now - previous[0] >= 5:
            cache.set(key, (now, counts["sent"]), timeout=600)
        if rate is None and edition.prepared_at:
            elapsed = (timezone.now() - edition.prepared_at).total_seconds()
            rate = counts["sent"] / elapsed if elapsed >= 1 else None
    return Progress(
        status=edition.status,
        status_display=edition.get_status_display(),
        status_reason=edition.status_reason,
        total=max(counts["total"], edition.total),
        rate=rate,
        **{
            k: counts[k] for k in ("sent", "failed", "skipped", "pending", "in_flight", "uncertain")
        },
    )


def suppression_get(*, email: str) -> Suppression | None:
    """The suppression of the mailbox ``email`` names, however it is spelt."""
    try:
        email = canonical_email(email)
    except InvalidEmail:
        return None
    return Suppression.objects.filter(email=email).first()
