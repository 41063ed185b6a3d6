"""Reads the API adds on top of the articles and comments selectors: comment counts and the
change times behind Last-Modified, as annotations so a page's query count stays fixed."""

from datetime import datetime

from django.db.models import Count, IntegerField, Max, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from articles.models import Article
from comments.models import Comment


def with_comment_stats(qs: QuerySet) -> QuerySet:
    """Annotate ``comment_count`` (approved comments) and the newest comment activity, whatever
    its status (a rejection lowers the count, so it must move Last-Modified too)."""
    comments = Comment.objects.filter(article=OuterRef("pk")).order_by().values("article")
    approved = comments.filter(status=Comment.Status.APPROVED)
    return qs.annotate(
        comment_count=Coalesce(
            Subquery(approved.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
            Value(0),
        ),
        comments_created_at=Subquery(comments.annotate(t=Max("created_at")).values("t")),
        comments_moderated_at=Subquery(comments.annotate(t=Max("moderated_at")).values("t")),
    )


def article_last_modified(article: Article) -> datetime:
    """The newest change to anything the article's representation shows (the prefetched
    bylines' authors, corrections and the comment annotations included)."""
    times = [article.modified_at]
    times += [byline.author.updated_at for byline in article.bylines.all()]
    times += [getattr(article, "comments_created_at", None)]
    times += [getattr(article, "comments_moderated_at", None)]
    prefetched = getattr(article, "_prefetched_objects_cache", {})
    times += [c.noted_at for c in prefetched.get("corrections", ())]
    return max(t for t in times if t is not None)


def articles_last_modified(articles) -> datetime | None:
    """For a list: any article's change (one leaving the list changes too) and the items'."""
    latest = Article.objects.aggregate(latest=Max("modified_at"))["latest"]
    times = [latest, *(article_last_modified(a) for a in articles)]
    times = [t for t in times if t is not None]
    return max(times) if times else None
