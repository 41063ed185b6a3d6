"""Reads the API adds on top of the articles and comments selectors: comment counts and the
change times behind Last-Modified, as annotations so a page's query count stays fixed."""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, Max, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from taggit.models import TaggedItem

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


def with_tags(articles: list[Article]) -> list[Article]:
    """Set ``tag_list`` on each article with one query.

    django-taggit's prefetch builds a new queryset per article; one join over the tagged items
    costs a fraction of that (docs/performance.md, "How the API stays fast").
    """
    if not articles:
        return articles
    content_type = ContentType.objects.get_for_model(Article)
    rows = (
        TaggedItem.objects.filter(content_type=content_type, object_id__in=[a.pk for a in articles])
        .select_related("tag")
        .order_by("tag__name", "tag_id")
    )
    by_article: dict[int, list] = {a.pk: [] for a in articles}
    for row in rows:
        by_article[row.object_id].append(row.tag)
    for article in articles:
        article.tag_list = by_article[article.pk]
    return articles


def article_last_modified(article: Article) -> datetime:
    """The newest change to anything the article's representation shows (the prefetched
    bylines' authors, corrections and the comment annotations included)."""
    times = [article.modified_at]
    times += [byline.author.updated_at for byline in article.bylines.all()]
    times += [getattr(article, "comments_created_at", None)]
    times += [getattr(article, "comments_moderated_at", None)]
    times += [c.noted_at for c in article.corrections.all()]
    return max(t for t in times if t is not None)
