"""Newsroom day: readers spread over the home page and 2,000 articles with a Zipf-like skew (the
home page and the newest stories read most), and a live blog read as much as the home page, its
readers' scripts polling it for new entries; measured with a quiet desk and then while the desk
publishes an article every 6 s, updates a live story (the newest, most read one) every 3 s and
posts an entry to the live blog every 5 s, through the workers as in production: the
publications are scheduled and published by beat and the worker, the updates and entries are
saved through articles' services as the admin saves them, and every purge goes through the
outbox to the origin cache and Varnish. Measured at the origin alone (wrk against gunicorn, 2
sync workers) and through Varnish, in one run.

Before the quiet run every page read is fetched once (both caches hold them all, so the quiet
run measures a warm cache, not first renders); the desk publishes only stories due within the
busy run, and the benchmark waits for the last of them before it goes on, so no publication
spills into the next quiet run.

Goals, at both: the busy run keeps at least 0.85 of the quiet run's throughput, and its p99 is
under twice the quiet p99.

    make bench BENCH=newsroom_day
    BENCH_DURATION=60 make bench BENCH=newsroom_day

Needs wrk and varnishd with varnish-modules. Prints a table, writes var/bench_newsroom_day.json.
"""

import json
import os
import random
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import edge_stack
from edge_stack import ORIGIN, VARNISH, Stack, bench_site, fetch, newest_article, prepare

DURATION = int(os.environ.get("BENCH_DURATION", "30"))
HOT_ARTICLES = 2000
SAMPLE = 100_000
PUBLISH_EVERY, UPDATE_EVERY, ENTRY_EVERY = 6.0, 3.0, 5.0
GOALS = {"throughput": 0.85, "p99": 2.0}


def reader_paths(live_blog) -> list[str]:
    """A day's reading: the home page weighs as much as the newest story, then 1/rank; the live
    blog as much as the home page, and its polling document twice that (its readers' scripts
    ask every few seconds)."""
    from articles.models import Article

    newest = Article.objects.published().order_by("-published_at")[:HOT_ARTICLES]
    paths = ["/", *(a.get_absolute_url() for a in newest)]
    weights = [1.0] + [1.0 / rank for rank in range(1, len(paths))]
    paths += [live_blog.get_absolute_url(), f"/live/{live_blog.pk}/updates/"]
    weights += [1.0, 2.0]
    return random.Random(11).choices(paths, weights=weights, k=SAMPLE)


def live_blog(editor):
    """Live coverage on the second newest story (the newest is the live story updated), with a
    first entry."""
    from articles.models import Article
    from articles.services.live import entry_post, live_coverage_open

    article = Article.objects.published().order_by("-published_at")[1]
    if not article.is_live:
        article = live_coverage_open(user=editor, article=article, summary="Live: the day's news")
        entry_post(user=editor, article=article, body="<p>The desk is live.</p>")
    return article


def drafts(count: int) -> list:
    """Stories ready for the desk to publish during the run (not among the ones read)."""
    from django.utils import timezone

    from articles.models import Article, Section

    section = Section.objects.order_by("position").first()
    stamp = int(time.time())
    return Article.objects.bulk_create(
        Article(
            title=f"Breaking story {n} of the day",
            slug=f"bench-day-{stamp}-{n}",
            dek="Filed by the desk during the benchmark.",
            body="<p>" + "The desk files a story. " * 80 + "</p>",
            section=section,
            status=Article.Status.DRAFT,
            created_at=timezone.now(),
        )
        for n in range(count)
    )


class Desk(threading.Thread):
    """Schedules one publication every 6 s (beat and the worker publish them), saves an update
    to the live story every 3 s and posts an entry to the live blog every 5 s, until stopped."""

    def __init__(self, editor, live, stories, blog):
        super().__init__(daemon=True)
        self.editor, self.live, self.stories, self.blog = editor, live, stories, blog
        self.stop_event = threading.Event()
        self.updates = self.entries = 0
        self.errors: list[str] = []

    def run(self) -> None:
        from django.db import connection, transaction
        from django.utils import timezone

        from articles.services.editing import article_update
        from articles.services.live import entry_post
        from articles.services.workflow import article_schedule

        try:
            start = timezone.now()
            for n, story in enumerate(self.stories):
                article_schedule(
                    user=self.editor,
                    article=story,
                    publish_at=start + timedelta(seconds=PUBLISH_EVERY * (n + 1)),
                )
            live = self.live
            started = next_update = time.monotonic()
            while not self.stop_event.wait(0.1):
                now = time.monotonic()
                if now >= next_update + UPDATE_EVERY:
                    next_update = now
                    with transaction.atomic():
                        live = article_update(
                            user=self.editor,
                            article=live,
                            data={"dek": f"Live: update {self.updates} at {time.time():.0f}"},
                            expected_version=None,
                        )
                    self.updates += 1
                if now >= started + ENTRY_EVERY * (self.entries + 1):
                    entry_post(
                        user=self.editor,
                        article=self.blog,
                        body=f"<p>Entry {self.entries}: the desk reports at {time.time():.0f}.</p>",
                    )
                    self.entries += 1
        except Exception as exc:  # reported with the figures
            self.errors.append(repr(exc))
        finally:
            connection.close()


def run_wrk(base: str, paths: list[str]) -> dict:
    return bench_site.wrk(base + "/", paths, duration=DURATION)


def warm_all(base: str, paths: list[str]) -> None:
    """Every page the readers ask for, once (the page and its fragments are then cached)."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        for status, _, _ in pool.map(lambda path: fetch(base + path), dict.fromkeys(paths)):
            if status != 200:
                raise RuntimeError(f"warming {base} answered {status}")


def wait_published(slugs: list[str], timeout: float = 30) -> int:
    """Wait for beat and the worker to publish the desk's stories still due; how many are."""
    from articles.models import Article

    deadline = time.monotonic() + timeout
    while True:
        published = Article.objects.published().filter(slug__in=slugs).count()
        if published == len(slugs) or time.monotonic() > deadline:
            return published
        time.sleep(0.5)


def main() -> int:
    editor = prepare()
    from articles.models import Article

    live = newest_article()
    blog = live_blog(editor)
    paths = reader_paths(blog)
    per_run = int(DURATION // PUBLISH_EVERY)  # all due within the busy run
    results: dict[str, dict] = {}
    with Stack(worker=True, beat=True):
        for name, base in (("origin", ORIGIN), ("varnish", VARNISH.url)):
            warm_all(base, paths)
            bench_site.settle(ORIGIN)
            quiet = run_wrk(base, paths)
            print(f"  {name} quiet {quiet}", flush=True)
            bench_site.settle(ORIGIN)
            stories = drafts(per_run)
            slugs = [story.slug for story in stories]
            desk = Desk(editor, live, stories, blog)
            desk.start()
            time.sleep(0.5)
            busy = run_wrk(base, paths)
            in_run = Article.objects.published().filter(slug__in=slugs).count()
            desk.stop_event.set()
            desk.join(timeout=30)
            wait_published(slugs)
            busy.update(
                updates=desk.updates,
                entries=desk.entries,
                desk_errors=desk.errors,
                published=in_run,
            )
            print(f"  {name} busy  {busy}", flush=True)
            results[name] = {
                "quiet": quiet,
                "busy": busy,
                "throughput_ratio": busy["rps"] / quiet["rps"],
                "p99_ratio": busy["p99_ms"] / quiet["p99_ms"],
            }
            live.refresh_from_db()
    load = os.getloadavg()
    print(
        f"\nNewsroom day, home + {HOT_ARTICLES} articles (Zipf-like), wrk -t{bench_site.THREADS} "
        f"-c{bench_site.CONNECTIONS} -d{DURATION}s per run, busy desk: a publication "
        f"every {PUBLISH_EVERY:g} s, a live update every {UPDATE_EVERY:g} s and a live blog "
        f"entry every {ENTRY_EVERY:g} s; "
        f"{os.cpu_count()} CPUs, load {load[0]:.1f}\n"
    )
    print(f"{'':8s} {'quiet r/s':>10s} {'busy r/s':>9s} {'ratio':>6s} {'quiet p99':>10s} "
          f"{'busy p99':>9s} {'ratio':>6s} {'errors':>7s}")  # fmt: skip
    met = True
    for name, r in results.items():
        ok = r["throughput_ratio"] >= GOALS["throughput"] and r["p99_ratio"] < GOALS["p99"]
        met &= ok and not r["busy"]["desk_errors"]
        print(
            f"{name:8s} {r['quiet']['rps']:10.0f} {r['busy']['rps']:9.0f} "
            f"{r['throughput_ratio']:6.2f} {r['quiet']['p99_ms']:8.2f}ms "
            f"{r['busy']['p99_ms']:7.2f}ms {r['p99_ratio']:6.2f} "
            f"{r['quiet']['errors'] + r['busy']['errors']:7d}  {'met' if ok else 'NOT met'}"
        )
        if r["busy"]["desk_errors"]:
            print(f"  desk errors: {r['busy']['desk_errors']}")
    print(f"\ngoals (busy >= 0.85 x quiet throughput, busy p99 < 2 x quiet p99): "
          f"{'met' if met else 'NOT met'}")  # fmt: skip
    (edge_stack.ROOT / "var" / "bench_newsroom_day.json").write_text(json.dumps(results, indent=2))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
