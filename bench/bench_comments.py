"""Benchmark of reader comments: what posting one costs with every check on, and what the
comments block and the article page cost with 500 approved, threaded comments.

Measured against PostgreSQL and Redis (rate-limit and surge counters are real Redis round
trips), in one process, with the word lists, bans and moderation policies a newsroom has:
  post (service)    comment_post() as the API calls it: validation, normalization, rate limits
                    per IP and email, duplicate check, surge counter, bans, 100 word rules,
                    link count, moderation policy, insert + audit entry
  post (form)       the same through the article page's form: CSRF, honeypot, signed stamp,
                    the view, the redirect (Django's test client, no network)
  block render      {% article_comments %} with 20 and with 500 approved comments (threaded,
                    with links)
  page render       the whole article page rendered (an origin-cache miss; its fragments are
                    requests of their own), 0, 20 and 500 comments
  page hit          the article page from the origin cache, assembled with its fragments

    make bench BENCH=comments

Prints a table and writes var/bench_comments.json. The database is its own
(<DATABASE_URL's name>_comments), created and migrated when missing.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
POSTS = int(os.environ.get("BENCH_COMMENTS_POSTS", "400"))
RENDERS = int(os.environ.get("BENCH_COMMENTS_RENDERS", "40"))
THREAD_SIZE = 500
SECRET = "bench-only-secret-key-not-for-production-0123456789abcdef"  # noqa: S105

_base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_bench")
_parts = urlsplit(_base)
os.environ.update(
    {
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "CACHE_KEY_PREFIX": "bench-comments",
        "CELERY_QUEUE": "newsroom-bench-comments",
        "SITE_URL": "https://news.bench.example",
        "ALLOWED_HOSTS": "testserver",
        # Every post comes from a new reader and address; keep the surge guard out of the way
        # so each one runs the same path.
        "COMMENTS_SURGE_POSTS": "1000000",
        "COMMENTS_MIN_SUBMIT_SECONDS": "0",
        "DATABASE_URL": _base.replace(_parts.path, _parts.path.rstrip("/") + "_comments"),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
)
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import ensure_database  # noqa: E402


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 2),
        "p50_ms": round(ordered[len(ordered) // 2] * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2),
    }


def timed(fn, runs: int) -> tuple[list[float], int]:
    """Per-run seconds and the query count of the last run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
        queries = len(captured)
    return samples, queries


def build_thread(article, size: int = THREAD_SIZE) -> None:
    from comments import text
    from comments.models import Comment

    Comment.objects.bulk_create(
        Comment(
            article=article,
            author_name=f"Reader {n}",
            author_email=f"reader{n}@bench.example",
            body=f"Comment {n} on the harbour plan.\n\nMore at https://example.org/{n} today.",
            status="approved",
            content_hash=text.content_hash(f"bench {article.pk} {n}"),
        )
        for n in range(size)
    )
    comments = list(Comment.objects.filter(article=article).order_by("id"))
    for n, comment in enumerate(comments):
        if n % 4:  # three replies under every top-level comment, two levels deep
            parent = comments[n - 1]
            comment.parent_id = parent.pk if parent.depth < 2 else parent.parent_id
            comment.depth = min(parent.depth + 1, 2)
            comment.in_reply_to_id = parent.pk
    Comment.objects.bulk_update(comments, ["parent_id", "depth", "in_reply_to_id"])


def main() -> int:
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.template import Context, Template
    from django.test import Client, RequestFactory
    from django.utils import timezone

    from articles.models import Article, Section
    from comments import services
    from comments.forms import form_stamp
    from comments.models import Ban, Comment, WordRule
    from website.views import render_article

    call_command("migrate", interactive=False, verbosity=0, skip_checks=True)
    call_command("collectstatic", interactive=False, verbosity=0)  # the page's {% static %}
    cache.clear()
    Comment.objects.all().delete()
    WordRule.objects.all().delete()
    Ban.objects.all().delete()
    section, _ = Section.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    now = timezone.now()
    articles = {}
    for slug in ("bench-posting", "bench-empty", "bench-thread", "bench-thread-20"):
        articles[slug], _ = Article.objects.update_or_create(
            slug=slug,
            defaults={
                "title": f"Harbour plan ({slug})",
                "body": "<p>The council approved the harbour plan.</p>" * 8,
                "section": section,
                "status": "published",
                "published_at": now,
                "first_published_at": now,
            },
        )
    build_thread(articles["bench-thread"])
    build_thread(articles["bench-thread-20"], 20)
    WordRule.objects.bulk_create(
        [
            WordRule(phrase=f"bannedword{n}", normalized=f"bannedword{n}", kind="banned")
            for n in range(50)
        ]
        + [
            WordRule(phrase=f"suspect{n}", normalized=f"suspect{n}", kind="suspect")
            for n in range(50)
        ]
    )
    for n in range(20):
        Ban.objects.create(kind="email", value_hash=f"{n:064x}", label=f"banned{n}@bench.example")

    results = {}
    counter = iter(range(10**9))

    def post_via_service():
        n = next(counter)
        services.comment_post(
            article=articles["bench-posting"],
            author_name=f"Bench Reader {n}",
            author_email=f"bench{n}@readers.example",
            author_url="https://readers.example/me",
            body=f"Reader {n} thinks the harbour plan needs a cycle path. See https://example.org/{n}",
            parent_id=None,
            ip=f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
            user_agent="Mozilla/5.0 (bench)",
        )

    post_via_service()  # warm up
    samples, queries = timed(post_via_service, POSTS)
    results["post (service)"] = {**summary(samples), "queries": queries}

    client = Client(REMOTE_ADDR="10.200.0.1")
    url = f"/comments/post/{articles['bench-posting'].pk}/"
    stamp = form_stamp(articles["bench-posting"].pk, now=time.time() - 60)

    def post_via_form():
        n = next(counter)
        response = client.post(
            url,
            {
                "body": f"Form reader {n} disagrees with the plan.",
                "author_name": f"Form Reader {n}",
                "author_email": f"form{n}@readers.example",
                "author_url": "",
                "parent": "",
                "homepage": "",
                "stamp": stamp,
            },
            REMOTE_ADDR=f"10.201.{n // 256 % 256}.{n % 256}",
        )
        assert response.status_code == 303, response.status_code

    post_via_form()
    samples, queries = timed(post_via_form, POSTS // 2)
    results["post (form view)"] = {**summary(samples), "queries": queries}

    thread = articles["bench-thread"]
    template = Template("{% load comments_tags %}{% article_comments article %}")

    def render_block(article, size):
        request = RequestFactory().get(article.get_absolute_url())

        def render():
            context = Context({"article": article, "request": request, "csrf_token": "x"})
            html = template.render(context)
            assert html.count('class="comment comment--depth-') == size

        return render

    for article, size in ((articles["bench-thread-20"], 20), (thread, THREAD_SIZE)):
        render_block(article, size)()
        samples, queries = timed(render_block(article, size), RENDERS)
        results[f"block render, {size} comments"] = {**summary(samples), "queries": queries}

    from articles.selectors import article_page_queryset

    def page_render(slug):
        def render():
            article = article_page_queryset(Article.objects.published()).get(slug=slug)
            response = render_article(RequestFactory().get("/"), article)
            assert response.status_code == 200

        return render

    for slug, label in (
        ("bench-empty", "page render, 0 comments"),
        ("bench-thread-20", "page render, 20 comments"),
        ("bench-thread", "page render, 500 comments"),
    ):
        page_render(slug)()
        samples, queries = timed(page_render(slug), RENDERS)
        results[label] = {**summary(samples), "queries": queries}

    reader = Client()
    reader.get(thread.get_absolute_url())

    def page_hit():
        assert reader.get(thread.get_absolute_url()).status_code == 200

    samples, queries = timed(page_hit, RENDERS * 5)
    results["page hit (cached), 500 comments"] = {**summary(samples), "queries": queries}

    print(f"{'measure':36} {'n':>5} {'mean ms':>9} {'p50 ms':>9} {'p99 ms':>9} {'queries':>8}")
    for label, row in results.items():
        print(
            f"{label:36} {row['n']:>5} {row['mean_ms']:>9} {row['p50_ms']:>9} "
            f"{row['p99_ms']:>9} {row['queries']:>8}"
        )
    out = ROOT / "var" / "bench_comments.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    Comment.objects.exclude(article__in=[thread, articles["bench-thread-20"]]).delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
