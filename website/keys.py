"""The keys a reader page carries: one for everything it shows, the same keys the changes purge
(articles/purges.py, authors/services.py, comments/purges.py, publication/purges.py,
newsletter/signals.py). A page that shows X carries X's key, so an edit purges exactly the
pages that show it."""

from articles.purges import article_key, headline_key, section_key, tag_key
from authors.services import author_key
from comments.purges import comments_key
from edgecache.headers import MAX_KEYS_HEADER_LENGTH

# What the layout of every page shows: the site's name, texts and links, and the navigation.
CHROME = ("site", "nav")

__all__ = [
    "CHROME",
    "Keys",
    "article_key",
    "comments_key",
    "headline_key",
    "section_key",
    "tag_key",
]


class Keys:
    """An ordered set of keys, built up as a view learns what its page shows."""

    def __init__(self, *keys: str):
        self._keys: dict[str, None] = dict.fromkeys(keys)

    def add(self, *keys: str) -> "Keys":
        self._keys.update(dict.fromkeys(keys))
        return self

    def section(self, section) -> "Keys":
        if section is not None:
            self.add(section_key(section.pk))
        return self

    def author(self, author) -> "Keys":
        return self.add(author_key(author.pk))

    def tag(self, tag) -> "Keys":
        return self.add(tag_key(tag.pk))

    def listed(self, articles, *, bylines: bool = True, tags: bool = False) -> "Keys":
        """Articles shown in a list: each one's headline, its section's name and, where the
        list shows them, its authors' names and its tags (read from the prefetched rows)."""
        for article in articles:
            self.add(article_key(article.pk))
            if article.section_id:
                self.add(section_key(article.section_id))
            if bylines:
                self.add(*(author_key(b.author_id) for b in article.bylines.all()))
            if tags:
                self.add(*(tag_key(t.pk) for t in article.tags.all()))
        return self

    def headlines(self, articles) -> "Keys":
        """Articles shown by their headline only (title, section, date): "Latest Articles"
        and "Related Articles" (``articles`` may hold None for an external link)."""
        for article in articles:
            if article is not None:
                self.add(headline_key(article.pk))
                if article.section_id:
                    self.add(section_key(article.section_id))
        return self

    def fits(self) -> bool:
        return len(" ".join(self._keys)) <= MAX_KEYS_HEADER_LENGTH

    def __iter__(self):
        return iter(self._keys)

    def __contains__(self, key: str) -> bool:
        return key in self._keys

    def __len__(self) -> int:
        return len(self._keys)
