"""Purge latency: from the commit of an edit to the new page served by Varnish, with the real
parts: the edit through articles' services in this process (as the admin makes it), the purge
through the outbox and a Celery worker, Varnish (deploy/varnish/default.vcl) polled every 5 ms.

Goal: p50 at most 0.5 s, max at most 2 s.

    make bench BENCH=purge
    BENCH_EDITS=100 make bench BENCH=purge

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
GOALS = {"p50": 0.5, "max": 2.0}


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
            committed = time.monotonic()
            while marker.encode() not in fetch(url)[2]:
                if time.monotonic() - committed > 10:
                    sys.exit(f"the edit never reached Varnish: {url}")
                time.sleep(0.005)
            latencies.append(time.monotonic() - committed)
            time.sleep(0.3)
    figures = {
        "edits": EDITS,
        "p50": statistics.median(latencies),
        "p90": statistics.quantiles(latencies, n=10)[-1],
        "max": max(latencies),
        "min": min(latencies),
    }
    load = os.getloadavg()
    print(
        f"\nPurge latency, commit of an edit -> new page from Varnish, {EDITS} edits, "
        f"{os.cpu_count()} CPUs, load {load[0]:.1f}:\n"
        f"  p50 {figures['p50']:.3f} s   p90 {figures['p90']:.3f} s   "
        f"max {figures['max']:.3f} s   min {figures['min']:.3f} s"
    )
    met = figures["p50"] <= GOALS["p50"] and figures["max"] <= GOALS["max"]
    print(f"goals (p50 <= 0.5 s, max <= 2 s): {'met' if met else 'NOT met'}")
    (edge_stack.ROOT / "var" / "bench_purge.json").write_text(json.dumps(figures, indent=2))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
