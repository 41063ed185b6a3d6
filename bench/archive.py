"""Build a realistic newsroom archive in PostgreSQL for the scale benchmark, fast and once.

    python bench/archive.py 1m          # DATABASE_URL names the base database (see database_for)

For ``size`` published articles over 20 years: 10 sections of uneven size, 500 authors whose
output is long-tailed (the busiest few have about 5% of the bylines each: 50,000 at a million),
5,000 tags used with a Zipf-like skew (the most used on one article in three, most on a few),
1-3 bylines and 2-6 tags per article (django-taggit's tables), bodies of about 600 words
(long-tailed) from a 45,000-word vocabulary with a natural frequency skew (bench/archive_text.py),
a few drafts, articles in review, scheduled and withdrawn ones, corrections, hand-picked related
links, old slugs, and reader comments on the last month's articles. The search vector is filled
by the app's own trigger as the rows arrive.

How it stays fast: rows are generated in Python by two processes and streamed with COPY, each
article from a random generator seeded with its number (the same text on every run); what
depends on other articles (related links, corrections, old slugs) is one INSERT ... SELECT
each; secondary indexes are dropped during the load and rebuilt once at the end. A million
articles take about half an hour on two cores; the database is kept and reused (a marker table,
``bench_archive``, records what was built), and later runs only add the articles a newsroom
would have published since (same rate), so "the last two days" always has articles in it.
"""

import json
import multiprocessing
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import archive_rows  # noqa: E402
from archive_text import TextMaker  # noqa: E402
from common import ensure_database  # noqa: E402

VERSION = 1  # bump when the generated data changes shape: older archives are rebuilt
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
EDITOR = ("bench-editor", "bench-editor-password")  # the admin's and the API's staff caller
TABLES = ("articles_article", "articles_byline", "taggit_taggeditem", "comments_comment")
CHUNK = archive_rows.CHUNK
YEARS = 20
UNPUBLISHED_SHARE = 0.004  # drafts, in review, scheduled and withdrawn, besides ``size``


def database_for(base_url: str, size: str) -> str:
    """``postgres://.../nr_scale`` -> ``postgres://.../nr_scale_1m``."""
    parts = urlsplit(base_url)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_{size}"))


# ---------------------------------------------------------------------------
# Set-based passes over what the chunks made
# ---------------------------------------------------------------------------
# Each picks rows by a hash of the article id, so the same articles get them on every run.
RELATED_SQL = """
INSERT INTO articles_relatedlink (article_id, target_id, url, title, position)
SELECT a.id, t.id, '', '', n - 1
FROM articles_article a
CROSS JOIN LATERAL generate_series(1, 1 + abs(hashint8(a.id)) %% 3) n
JOIN articles_article t ON t.id = a.id - 1 - abs(hashint8extended(a.id, n)) %% 5000
WHERE a.id BETWEEN %(first)s AND %(last)s AND a.status = 'published'
  AND abs(hashint8extended(a.id, 101)) %% 100 < 3
ON CONFLICT DO NOTHING
"""
CORRECTIONS_SQL = """
INSERT INTO articles_correction (article_id, kind, text, noted_at)
SELECT a.id, (ARRAY['correction', 'clarification', 'update'])[1 + abs(hashint8(a.id)) %% 3],
       'An earlier version of this article gave the wrong ' ||
       (ARRAY['date', 'name', 'figure', 'title', 'place'])[1 + abs(hashint8extended(a.id, 3)) %% 5]
       || '. It has been corrected.',
       a.published_at + interval '5 hours'
FROM articles_article a
WHERE a.id BETWEEN %(first)s AND %(last)s AND a.status = 'published'
  AND abs(hashint8extended(a.id, 102)) %% 100 < 2
"""
OLD_SLUGS_SQL = """
INSERT INTO articles_slugredirect (old_slug, article_id, created_at)
SELECT left(a.slug, 200) || '-first-version', a.id, a.published_at + interval '1 hour'
FROM articles_article a
WHERE a.id BETWEEN %(first)s AND %(last)s AND a.status = 'published'
  AND abs(hashint8extended(a.id, 103)) %% 1000 < 5
"""


def _secondary_indexes(cursor) -> list[tuple[str, str]]:
    """(name, definition) of the indexes of the big tables that no constraint owns."""
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s)"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
        [list(TABLES)],
    )
    return cursor.fetchall()


def _run_chunks(url: str, jobs: list[dict], ids: dict, processes: int) -> None:
    total, done, started = sum(j["last"] - j["first"] + 1 for j in jobs), 0, time.monotonic()
    context = multiprocessing.get_context("spawn")
    with context.Pool(
        processes, initializer=archive_rows.worker_start, initargs=(url, ids)
    ) as pool:
        for count in pool.imap_unordered(archive_rows.make_chunk, jobs):
            done += count
            if done % 50_000 < CHUNK or done == total:
                rate = done / (time.monotonic() - started)
                print(f"  {done:,}/{total:,} articles, {rate:,.0f}/s", flush=True)


def _passes(cursor, first: int, last: int) -> None:
    for sql in (RELATED_SQL, CORRECTIONS_SQL, OLD_SLUGS_SQL):
        cursor.execute(sql, {"first": first, "last": last})


def _reset_sequences(cursor) -> None:
    for table in ("articles_article", "articles_byline", "taggit_taggeditem", "comments_comment"):
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608 - our names
            f" (SELECT coalesce(max(id), 1) FROM {table}))"
        )


def build(url: str, size: int, processes: int) -> dict:
    """A new archive of ``size`` published articles (the database has just been migrated)."""
    started = time.monotonic()
    now = datetime.now(UTC)
    text = TextMaker()
    with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_archive (key text PRIMARY KEY, value jsonb)"
        )
        ids = archive_rows.seed(cursor, text)
        indexes = _secondary_indexes(cursor)
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    start = (now - timedelta(days=365.25 * YEARS)).timestamp()
    step = (now.timestamp() - 600 - start) / size
    extra = max(10, int(size * UNPUBLISHED_SHARE))
    timeline = {
        "start": start, "step": step, "published_first": 1, "published_last": size,
        "now": now.timestamp(),
    }  # fmt: skip
    jobs = [
        {**timeline, "first": first, "last": min(first + CHUNK - 1, size + extra)}
        for first in range(1, size + extra + 1, CHUNK)
    ]
    print(f"generating {size:,} published articles (+{extra:,} unpublished)", flush=True)
    _run_chunks(url, jobs, ids, processes)
    with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cursor:
        _passes(cursor, 1, size + extra)
        _reset_sequences(cursor)
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for name, definition in indexes:
            print(f"  index {name}", flush=True)
            cursor.execute(definition)
        cursor.execute("VACUUM ANALYZE")
        meta = {
            "version": VERSION, "size": size, "unpublished": extra, "step": step,
            "built_at": now.isoformat(), "build_seconds": round(time.monotonic() - started),
            **ids,
        }  # fmt: skip
        cursor.execute(
            "INSERT INTO bench_archive VALUES ('archive', %s)"
            " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [json.dumps(meta)],
        )
    print(f"built in {meta['build_seconds']} s", flush=True)
    return meta


def top_up(url: str, meta: dict) -> int:
    """Publish what the newsroom would have published since the last run, at the same rate."""
    now = datetime.now(UTC)
    with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT max(id), extract(epoch FROM max(published_at)) FROM articles_article"
            " WHERE status = 'published'"
        )
        _, last_time = cursor.fetchone()
        cursor.execute("SELECT max(id) FROM articles_article")
        first = cursor.fetchone()[0] + 1
        count = int((now.timestamp() - 60 - float(last_time)) / meta["step"])
        if count < 1:
            return 0
        ids = {k: meta[k] for k in ("first_section", "first_author", "first_tag", "content_type")}
    job = {
        "start": float(last_time), "step": meta["step"], "published_first": first,
        "published_last": first + count - 1, "now": now.timestamp(), "first": first,
        "last": first + count - 1,
    }  # fmt: skip
    archive_rows.worker_start(url, ids)
    try:
        archive_rows.make_chunk(job)
    finally:
        archive_rows.worker_stop()
    with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cursor:
        _passes(cursor, first, first + count - 1)
        _reset_sequences(cursor)
        cursor.execute("ANALYZE articles_article")
    return count


def read_meta(url: str) -> dict | None:
    try:
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT value FROM bench_archive WHERE key = 'archive'").fetchone()
    except psycopg.Error:
        return None
    return row[0] if row else None


def drop_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def migrate(url: str) -> None:
    """The app's migrations, by the app's own manage.py, on ``url``."""
    import subprocess

    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, str(HERE.parent / "manage.py"), "migrate", "--noinput", "-v0"],
        env=env,
        check=True,
    )


def ensure_archive(url: str, size: int, processes: int = 2) -> dict:
    """The archive at ``url``: built if missing (or of an older shape), migrated, topped up."""
    meta = read_meta(url)
    if meta is None or meta.get("version") != VERSION or meta.get("size") != size:
        drop_database(url)
        ensure_database(url)
        migrate(url)
        meta = build(url, size, processes)
    else:
        migrate(url)
    added = top_up(url, meta)
    if added:
        print(f"  published {added} articles since the last run", flush=True)
    return meta


def size_of(name: str) -> int:
    """ "10k", "100k", "1m" or a plain number."""
    return SIZES[name] if name in SIZES else int(name)


def main() -> int:
    os.environ.setdefault("DEBUG", "1")  # manage.py migrate without production secrets
    base = os.environ["DATABASE_URL"]
    for name in sys.argv[1:] or list(SIZES):
        ensure_archive(database_for(base, name), size_of(name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
