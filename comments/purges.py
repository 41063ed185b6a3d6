"""What a change to reader comments makes the caches drop: the comments of one article's page
(``comments:<article id>``), recorded by edgecache.purge inside the change's transaction."""

from django.db import transaction

from articles.caching import article_cache_bump
from edgecache import purge


def comments_key(article_id: int) -> str:
    return f"comments:{article_id}"


def comments_changed(article_id: int) -> None:
    """An approved comment appeared, changed or went: its article's page in every cache, and
    the article in the API's response cache (which shows comment counts; articles/caching.py)."""
    purge([comments_key(article_id)])
    transaction.on_commit(lambda: article_cache_bump(article_id), robust=True)
