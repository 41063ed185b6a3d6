"""Reads for comments: what a reader sees on an article, and what moderators look at."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from articles.models import Article

from .models import Comment, ModerationPolicy

# What a reader-facing rendering needs; email, IP and user agent are never loaded for it.
READER_FIELDS = (
    "id",
    "article_id",
    "parent_id",
    "author_name",
    "author_url",
    "body",
    "status",
    "created_at",
    "edited_at",
)


def comments_closed_reason(article: Article, now=None) -> str:
    """Why ``article`` refuses new comments, or "" when it accepts them."""
    if not article.is_published or article.published_at is None:
        return "This article is not open for comments."
    if not article.allow_comments:
        return "Comments are closed on this article."
    days = settings.COMMENTS_AUTO_CLOSE_DAYS
    if days:
        opened = article.first_published_at or article.published_at
        if (now or timezone.now()) - opened > timezone.timedelta(days=days):
            return f"Comments are closed: this article was published more than {days} days ago."
    return ""


@dataclass
class Node:
    comment: Comment
    depth: int
    children: list["Node"] = field(default_factory=list)
    # Filled by flattening: open a nested list after this node, and how many to close.
    has_children: bool = False
    closes: range = range(0)


@dataclass
class Thread:
    nodes: list[Node]
    count: int


def _flatten(roots: list[Node]) -> list[Node]:
    """Depth-first order with the list-nesting each node opens and closes, so a template can
    render any tree with one flat loop (no recursive includes: 500 comments stay cheap)."""
    flat: list[Node] = []
    stack: list[tuple[Node, int]] = [(node, 0) for node in reversed(roots)]
    while stack:
        node, depth = stack.pop()
        node.depth = depth
        node.has_children = bool(node.children)
        flat.append(node)
        stack.extend((child, depth + 1) for child in reversed(node.children))
    for index, node in enumerate(flat):
        if node.has_children:
            continue
        next_depth = flat[index + 1].depth if index + 1 < len(flat) else 0
        node.closes = range(node.depth - next_depth)
    return flat


def comment_thread_for_article(article: Article) -> Thread:
    """The approved comments of a published article, threaded, oldest first. One query."""
    comments = list(
        Comment.objects.approved()
        .filter(article_id=article.pk)
        .only(*READER_FIELDS)
        .order_by("created_at", "id")
    )
    nodes = {c.pk: Node(comment=c, depth=0) for c in comments}
    roots = []
    for comment in comments:
        node = nodes[comment.pk]
        parent = nodes.get(comment.parent_id)
        # A reply whose parent was removed later stays readable at the top level.
        (parent.children if parent else roots).append(node)
    return Thread(nodes=_flatten(roots), count=len(comments))


def comment_get_for_reader(comment_id: int) -> Comment | None:
    """An approved comment on a published article (what a reader may reply to or report)."""
    return (
        Comment.objects.approved()
        .filter(pk=comment_id, article__in=Article.objects.published())
        .select_related("article")
        .first()
    )


def comment_list_pending_for_reader(*, comment_ids, article_id: int) -> list[Comment]:
    """The comments among ``comment_ids`` (those this browser wrote, from its own signed cookie)
    that still wait for a moderator on ``article_id``. Once approved, rejected, marked spam or
    removed, a comment is never shown this way again."""
    ids = [int(pk) for pk in comment_ids][:50]
    if not ids:
        return []
    return list(
        Comment.objects.filter(pk__in=ids, article_id=article_id, status=Comment.Status.PENDING)
        .only(*READER_FIELDS)
        .order_by("created_at", "id")
    )


def moderation_mode(article: Article, now=None) -> tuple[str, bool]:
    """(mode, surge) for an article: its own policy, else its section's, else the site's."""
    now = now or timezone.now()
    policies = {
        ("article" if p.article_id else "section"): p
        for p in ModerationPolicy.objects.filter(
            Q(article_id=article.pk) | Q(section_id=article.section_id)
        )
    }
    article_policy = policies.get("article")
    surge = bool(article_policy and article_policy.surge_until and article_policy.surge_until > now)
    for policy in (article_policy, policies.get("section")):
        if policy and policy.mode != ModerationPolicy.Mode.INHERIT:
            return policy.mode, surge
    site = ModerationPolicy.Mode.POST if settings.COMMENTS_POST_MODERATION else "pre"
    return site, surge


def commenter_is_trusted(email: str, now=None) -> bool:
    """At least N approved comments and no rejection or spam within the rejection window."""
    now = now or timezone.now()
    since = now - timezone.timedelta(days=settings.COMMENTS_TRUSTED_REJECTION_WINDOW_DAYS)
    bad = [Comment.Status.REJECTED, Comment.Status.SPAM]
    counts = Comment.objects.by_email(email).aggregate(
        approved=Count("id", filter=Q(status=Comment.Status.APPROVED)),
        recent_bad=Count("id", filter=Q(status__in=bad, created_at__gte=since)),
    )
    return (
        counts["approved"] >= settings.COMMENTS_TRUSTED_MIN_APPROVED and counts["recent_bad"] == 0
    )


def commenter_history(emails) -> dict[str, dict[str, int]]:
    """Approved / rejected / spam / pending counts per email, for the moderation queue."""
    rows = (
        Comment.objects.filter(author_email__in=set(emails) - {""})
        .values("author_email")
        .annotate(
            approved=Count("id", filter=Q(status=Comment.Status.APPROVED)),
            rejected=Count("id", filter=Q(status=Comment.Status.REJECTED)),
            spam=Count("id", filter=Q(status=Comment.Status.SPAM)),
            pending=Count("id", filter=Q(status=Comment.Status.PENDING)),
        )
    )
    return {row.pop("author_email"): row for row in rows}


def moderation_queue():
    """Pending and flagged comments across all articles, newest first."""
    return (
        Comment.objects.in_queue()
        .select_related("article", "parent")
        .annotate(flag_count=Count("flags"))
        .order_by("-created_at", "-id")
    )
