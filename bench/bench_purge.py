"""Purge latency: from the commit of an edit to the new page served by Varnish, with the real
parts: the edit through articles' services in this process (as the admin makes it), the purge
through the outbox and a Celery worker, Varnish (deploy/varnish/default.vcl) polled every 5 ms.
Then the same for live coverage: from the commit of a new entry to the entry on the live page
and in the polling document (/live/<id>/updates/) served by Varnish.

Goals: an edit p50 at most 0.5 s, max at most 2 s; a live entry p50 at most 1 s, max at most
3 s, on the page and in the polling document alike.

    make bench BENCH=purge
    BENCH_EDITS=100 BENCH_ENTRIES=100 make bench BENCH=purge

Needs varnishd with varnish-modules. Prints the figures and writes var/bench_purge.json.
"""

import json
import os
import statistics
import sys
import time
import uuid

import edge_stack
from edge_stack import VARNISH, Stack, fetch, newest_article, prepare, warm

EDITS = int(os.environ.get("BENCH_EDITS", "40"))
ENTRIES = int(os.environ.get("BENCH_ENTRIES", "40"))
GOALS = {"p50": 0.5, "max": 2.0}
ENTRY_GOALS = {"p50": 1.0, "max": 3.0}


def summary(latencies: list[float]) -> dict:
    return {
        "count": len(latencies),
        "p50": statistics.median(latencies),
        "p90": statistics.quantiles(latencies, n=10)[-1],
        "max": max(latencies),
        "min": min(latencies),
    }


def until_served(url: str, marker: bytes, since: float) -> float:
    """Poll ``url`` through Varnish every 5 ms until it holds ``marker``; seconds since."""
    while marker not in fetch(url)[2]:
        if time.monotonic() - since > 10:
            sys.exit(f"the change never reached Varnish: {url}")
        time.sleep(0.005)
    return time.monotonic() - since


def live_entries(editor, article) -> dict:
    """Entries posted to running coverage; the latency to the page and to the polling
    document, each polled from the commit."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import transaction

    from articles.services.live import entry_post, live_coverage_open

    if not article.is_live:
        article = live_coverage_open(user=editor, article=article, summary="Live: the bench desk")
    entry_post(user=editor, article=article, body="<p>The bench desk is live.</p>")
    page = VARNISH.url + article.get_absolute_url()
    updates = VARNISH.url + f"/live/{article.pk}/updates/"
    for url in (page, updates):
        warm(url, "X-Cache", "HIT", times=3)
    on_page, in_updates = [], []
    pollers = ThreadPoolExecutor(max_workers=2)
    for _ in range(ENTRIES):
        marker = f"Entry {uuid.uuid4().hex[:12]}"
        with transaction.atomic():
            entry = entry_post(user=editor, article=article, body=f"<p>{marker}</p>")
        committed = time.monotonic()
        page_wait = pollers.submit(until_served, page, marker.encode(), committed)
        newest_first = f'"ids":[{entry.pk},'.encode()
        updates_wait = pollers.submit(until_served, updates, newest_first, committed)
        on_page.append(page_wait.result())
        in_updates.append(updates_wait.result())
        time.sleep(0.3)
    pollers.shutdown()
    return {"page": summary(on_page), "updates": summary(in_updates)}


def main() -> int:
    editor = prepare(need_wrk=False)
    from django.db import transaction

    from articles.services.editing import article_update

    article = newest_article()
    url = VARNISH.url + article.get_absolute_url()
    latencies = []
    with Stack(worker=True):
        warm(url, "X-Cache", "HIT", times=3)
        for _ in range(EDITS):
            marker = f"Edited {uuid.uuid4().hex[:12]}"
            with transaction.atomic():
                article = article_update(
                    user=editor,
                    article=article,
                    data={"dek": marker},
                    expected_version=None,
                )
            latencies.append(until_served(url, marker.encode(), time.monotonic()))
            time.sleep(0.3)
        live = live_entries(editor, article)
    figures = {"edits": summary(latencies), "live": live}
    load = os.getloadavg()
    edits = figures["edits"]
    print(
        f"\nPurge latency, commit -> new document from Varnish, {os.cpu_count()} CPUs, "
        f"load {load[0]:.1f}:"
    )
    rows = [("article edit (page)", edits, GOALS)]
    rows += [(f"live entry ({name})", live[name], ENTRY_GOALS) for name in ("page", "updates")]
    met = True
    for name, row, goals in rows:
        ok = row["p50"] <= goals["p50"] and row["max"] <= goals["max"]
        met &= ok
        print(
            f"  {name:22s} n={row['count']:3d}  p50 {row['p50']:.3f} s   p90 {row['p90']:.3f} s"
            f"   max {row['max']:.3f} s   min {row['min']:.3f} s   "
            f"(goal p50 <= {goals['p50']:g} s, max <= {goals['max']:g} s: "
            f"{'met' if ok else 'NOT met'})"
        )
    (edge_stack.ROOT / "var" / "bench_purge.json").write_text(json.dumps(figures, indent=2))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
