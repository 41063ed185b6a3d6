"""The rows of the generated archive (bench/archive.py): articles with their bylines, tags and
comments, made in worker processes and streamed with COPY, and the sections, authors and tags
they refer to. Each article comes from a random generator seeded with its number, so the same
article has the same text, bylines and tags on every run."""

import hashlib
import random
from datetime import UTC, datetime, timedelta

import psycopg
from archive_text import TextMaker, slug

SECTIONS = [
    ("News", 22), ("World", 15), ("Politics", 14), ("Business", 13), ("Sport", 12),
    ("Culture", 8), ("Opinion", 6), ("Science", 4), ("Technology", 4), ("Travel", 2),
]  # fmt: skip
AUTHORS = 500
TAGS = 5_000
CHUNK = 2_000
COMMENT_DAYS = 30


def _cumulative(weights) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


AUTHOR_WEIGHTS = _cumulative(1 / (rank + 20) ** 1.8 for rank in range(1, AUTHORS + 1))
TAG_WEIGHTS = _cumulative(1 / rank for rank in range(1, TAGS + 1))
SECTION_WEIGHTS = _cumulative(weight for _, weight in SECTIONS)
BYLINE_COUNTS = _cumulative((65, 27, 8))
TAG_COUNTS = _cumulative((20, 30, 25, 15, 10))


_worker: dict = {}


def worker_start(url: str, ids: dict) -> None:
    """Open this process's connection; ``ids`` are the first ids of what articles refer to."""
    _worker.update(conn=psycopg.connect(url), text=TextMaker(), **ids)


def worker_stop() -> None:
    _worker.pop("conn").close()


ARTICLE_COLUMNS = (
    "id, title, slug, dek, body, credit_line, hero_image, hero_alt, hero_caption, hero_credit, "
    "hero_renditions, hero_crops, status, publish_at, first_published_at, published_at, "
    "updated_at, "
    "seo_title, meta_description, canonical_url, allow_comments, is_breaking, created_at, "
    "modified_at, version, section_id"
)
COMMENT_COLUMNS = (
    "article_id, depth, author_name, author_email, author_url, body, status, reasons, "
    "created_at, user_agent, ip_hash, notify, reason, content_hash, moderated_at"
)
COMMENT_STATUSES = _cumulative((85, 8, 4, 3))  # approved, pending, spam, rejected


def _article(rng, text: TextMaker, pk: int, status: str, published, now) -> tuple:
    title = text.title(rng)
    created = (published or now - timedelta(days=rng.uniform(0, 60))) - timedelta(
        hours=rng.uniform(1, 30)
    )
    updated = None
    if published and rng.random() < 0.1:
        updated = min(now, published + timedelta(hours=rng.uniform(1, 48)))
    modified = min(now, updated or published or created + timedelta(hours=rng.uniform(0, 5)))
    publish_at = None
    if status == "scheduled":
        publish_at = now + timedelta(hours=rng.uniform(1, 14 * 24))
    first = published if status == "published" else None
    if status == "unpublished":
        first = published = min(now - timedelta(hours=1), created + timedelta(days=1))
    section = _pick(rng, SECTION_WEIGHTS) + _worker["first_section"]
    return (
        pk, title, f"{slug(title)[:80].strip('-')}-{pk}", text.dek(rng), text.body(rng),
        "", "", "", "", "", "{}", "{}", status, publish_at, first, published, updated,
        "", "", "", True, rng.random() < 0.002, created, modified, 1, section,
    )  # fmt: skip


def _pick(rng, cumulative: list[float]) -> int:
    return rng.choices(range(len(cumulative)), cum_weights=cumulative)[0]


def _distinct(rng, cumulative: list[float], count: int) -> list[int]:
    chosen: list[int] = []
    while len(chosen) < count:
        pick = _pick(rng, cumulative)
        if pick not in chosen:
            chosen.append(pick)
    return chosen


def _comments(rng, text: TextMaker, pk: int, published, now) -> list[tuple]:
    rows = []
    for _ in range(int(rng.random() ** 4 * 45)):
        body = text.comment(rng)
        status = ("approved", "pending", "spam", "rejected")[_pick(rng, COMMENT_STATUSES)]
        when = published + (now - published) * rng.random()
        name = text.name(rng)
        rows.append(
            (
                pk,
                0,
                name,
                f"{slug(name)}@example.org",
                "",
                body,
                status,
                "[]",
                when,
                "",
                hashlib.sha256(name.encode()).hexdigest(),
                False,
                "",
                hashlib.sha256(body.lower().encode()).hexdigest(),
                None if status == "pending" else when,
            )
        )
    return rows


def make_chunk(job: dict) -> int:
    """Articles ``job["first"]`` to ``job["last"]`` with their bylines, tags and comments."""
    conn, text = _worker["conn"], _worker["text"]
    now = datetime.fromtimestamp(job["now"], UTC)
    comments_from = now - timedelta(days=COMMENT_DAYS)
    bylines, tagged, comments = [], [], []
    with conn.transaction(), conn.cursor() as cursor:
        with cursor.copy(f"COPY articles_article ({ARTICLE_COLUMNS}) FROM STDIN") as copy:
            for pk in range(job["first"], job["last"] + 1):
                rng = random.Random(pk * 1_000_003 + 17)
                if pk <= job["published_last"]:
                    offset = pk - job["published_first"] + rng.random()
                    published = datetime.fromtimestamp(job["start"] + offset * job["step"], UTC)
                    status = "published"
                else:
                    published = None
                    status = rng.choice(("draft", "draft", "in_review", "scheduled", "unpublished"))
                copy.write_row(_article(rng, text, pk, status, published, now))
                for position, author in enumerate(
                    _distinct(rng, AUTHOR_WEIGHTS, _pick(rng, BYLINE_COUNTS) + 1)
                ):
                    bylines.append((pk, author + _worker["first_author"], position, ""))
                for tag in _distinct(rng, TAG_WEIGHTS, _pick(rng, TAG_COUNTS) + 2):
                    tagged.append((pk, _worker["content_type"], tag + _worker["first_tag"]))
                if published and published >= comments_from and status == "published":
                    comments += _comments(rng, text, pk, published, now)
        copies = [
            ("articles_byline (article_id, author_id, position, role)", bylines),
            ("taggit_taggeditem (object_id, content_type_id, tag_id)", tagged),
            (f"comments_comment ({COMMENT_COLUMNS})", comments),
        ]
        for table, rows in copies:
            with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    return job["last"] - job["first"] + 1


def seed(cursor, text: TextMaker) -> dict:
    """Sections, authors and tags (once), and the ids the chunks refer to."""
    cursor.execute("SELECT count(*) FROM articles_section")
    if not cursor.fetchone()[0]:
        for position, (name, _) in enumerate(SECTIONS):
            cursor.execute(
                "INSERT INTO articles_section (name, slug, description, position, in_navigation)"
                " VALUES (%s, %s, %s, %s, true)",
                [name, slug(name), f"{name} from our newsroom.", position],
            )
        rng = random.Random(500)
        now = datetime.now(UTC)
        with cursor.copy(
            "COPY authors_author (name, slug, job_title, bio, photo, email, website_url,"
            " twitter_url, mastodon_url, linkedin_url, is_active, created_at, updated_at)"
            " FROM STDIN"
        ) as copy:
            for number in range(AUTHORS):
                name = text.name(rng)
                copy.write_row(
                    (
                        name,
                        f"{slug(name)}-{number + 1}",
                        "Correspondent",
                        text.dek(rng),
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        number < 400,
                        now,
                        now,
                    )
                )
        with cursor.copy("COPY taggit_tag (name, slug) FROM STDIN") as copy:
            for name in text.tag_names(TAGS):
                copy.write_row((name, slug(name)))
    cursor.execute(
        "SELECT (SELECT min(id) FROM articles_section), (SELECT min(id) FROM authors_author),"
        " (SELECT min(id) FROM taggit_tag), (SELECT id FROM django_content_type"
        "  WHERE app_label = 'articles' AND model = 'article')"
    )
    first_section, first_author, first_tag, content_type = cursor.fetchone()
    return {
        "first_section": first_section,
        "first_author": first_author,
        "first_tag": first_tag,
        "content_type": content_type,
    }
