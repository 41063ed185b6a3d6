"""What a change to reader comments makes the caches drop: the comments of one article's page
(``comments:<article id>``), recorded by edgecache.purge inside the change's transaction."""

from edgecache import purge


def comments_key(article_id: int) -> str:
    return f"comments:{article_id}"


def comments_changed(article_id: int) -> None:
    """An approved comment appeared, changed or went: its article's comments in every cache
    (the page's thread, the API's thread and comment counts)."""
    purge([comments_key(article_id)])
