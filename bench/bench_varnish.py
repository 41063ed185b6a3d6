"""Through Varnish: the cached article page served by Varnish (deploy/varnish/default.vcl)
against the same page from the origin's own cache and the origin's trivial view, measured side
by side in rounds in one run (medians; ratios per round).

  trivial        /robots.txt at the origin (gunicorn, 2 sync workers): the smallest page through
                 the whole middleware stack
  origin         one article page at the origin, an origin-cache hit
  varnish        the same article page through Varnish, a Varnish hit
  poll-origin    a live blog's polling document (/live/<id>/updates/, what every open live page
                 asks every few seconds) at the origin, an origin-cache hit
  poll-varnish   the same document through Varnish

Goal: Varnish serves at least 10 times the origin's cached-article figure. The polling
document's rows say what 1,000 readers polling every 10 s (100 requests/s) cost at each.

Every request says what browsers say, ``Accept-Encoding: gzip, deflate, br``: Varnish answers
from its gzipped copies, the origin compresses each answer (Brotli). BENCH_ACCEPT_ENCODING=
identity asks for uncompressed answers instead (Varnish then gunzips for every response).

    make bench BENCH=varnish
    BENCH_DURATION=20 BENCH_ROUNDS=5 make bench BENCH=varnish

Needs wrk and varnishd with varnish-modules. Prints a table and writes var/bench_varnish.json.
"""

import json
import os
import statistics
import sys

import edge_stack
from common import cpu_seconds
from edge_stack import ORIGIN, VARNISH, Stack, bench_site, newest_article, prepare, warm

ROOT = edge_stack.ROOT
GOAL = 10.0
ACCEPT_ENCODING = os.environ.get("BENCH_ACCEPT_ENCODING", "gzip, deflate, br")


def live_blog_updates(editor) -> str:
    """The polling document of a live blog on the second newest story (opened if need be)."""
    from articles.models import Article
    from articles.services.live import entry_post, live_coverage_open

    article = Article.objects.published().order_by("-published_at")[1]
    if not article.is_live:
        article = live_coverage_open(user=editor, article=article, summary="Live: the bench")
        entry_post(user=editor, article=article, body="<p>The desk is live.</p>")
    return f"/live/{article.pk}/updates/"


def main() -> int:
    editor = prepare()
    article = newest_article().get_absolute_url()
    updates = live_blog_updates(editor)
    rounds: dict[str, list[dict]] = {}
    with Stack(worker=False) as stack:
        web_pid = stack.processes[0].proc.pid
        warm(ORIGIN + article, "X-Origin-Cache", "hit")
        warm(ORIGIN + "/robots.txt", "X-Origin-Cache", "hit")
        warm(ORIGIN + updates, "X-Origin-Cache", "hit")
        warm(VARNISH.url + article, "X-Cache", "HIT", times=5)
        warm(VARNISH.url + updates, "X-Cache", "HIT", times=5)
        runs = [
            ("trivial", ORIGIN + "/robots.txt", web_pid),
            ("origin", ORIGIN + article, web_pid),
            ("varnish", VARNISH.url + article, VARNISH.process.pid),
            ("poll-origin", ORIGIN + updates, web_pid),
            ("poll-varnish", VARNISH.url + updates, VARNISH.process.pid),
        ]
        for number in range(bench_site.ROUNDS):
            for name, url, pid in runs:
                bench_site.settle(ORIGIN)
                before = _cpu(pid)
                run = bench_site.wrk(url, headers={"Accept-Encoding": ACCEPT_ENCODING})
                run["cpu_us_per_request"] = (_cpu(pid) - before) / max(1, run["requests"]) * 1e6
                rounds.setdefault(name, []).append(run)
                print(f"  round {number + 1} {name:8s} {run}", flush=True)
    summary = {
        name: {
            key: statistics.median(run[key] for run in runs)
            for key in ("rps", "p50_ms", "p99_ms", "cpu_us_per_request")
        }
        | {"errors": sum(run["errors"] for run in runs)}
        for name, runs in rounds.items()
    }
    ratios = [v["rps"] / o["rps"] for v, o in zip(rounds["varnish"], rounds["origin"], strict=True)]
    summary["varnish_vs_origin"] = statistics.median(ratios)
    load = os.getloadavg()
    print(
        f"\nThrough Varnish, {bench_site.ARTICLES} articles, gunicorn 2 sync workers, "
        f"wrk -t{bench_site.THREADS} -c{bench_site.CONNECTIONS} -d{bench_site.DURATION}s, "
        f"{bench_site.ROUNDS} rounds, Accept-Encoding: {ACCEPT_ENCODING}, "
        f"{os.cpu_count()} CPUs, load {load[0]:.1f} before the end\n"
    )
    print(f"{'page':13s} {'req/s':>9s} {'p50 ms':>8s} {'p99 ms':>8s} {'CPU us/req':>11s}")
    for name in ("trivial", "origin", "varnish", "poll-origin", "poll-varnish"):
        r = summary[name]
        print(
            f"{name:13s} {r['rps']:9.0f} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f}"
            f" {r['cpu_us_per_request']:11.0f}"
        )
    for name in ("poll-origin", "poll-varnish"):
        # 100 requests a second, each costing this many microseconds of CPU, in % of one CPU.
        share = summary[name]["cpu_us_per_request"] * 100 / 1e6 * 100
        print(f"100 polls/s (1,000 readers every 10 s) at {name[5:]}: {share:.1f}% of one CPU")
    print(
        f"\nVarnish / origin cached article: {summary['varnish_vs_origin']:.1f}x "
        f"(each round: {', '.join(f'{r:.1f}x' for r in ratios)}); goal >= {GOAL:.0f}x: "
        + ("met" if summary["varnish_vs_origin"] >= GOAL else "NOT met")
    )
    (ROOT / "var" / "bench_varnish.json").write_text(json.dumps(summary, indent=2))
    errors = sum(r["errors"] for name, r in summary.items() if isinstance(r, dict))
    if errors:
        print(f"{errors} non-2xx/3xx responses: the figures are not valid")
    return 0 if summary["varnish_vs_origin"] >= GOAL and not errors else 1


def _cpu(pid: int) -> float:
    """CPU of a process and its children (gunicorn's workers, varnishd's child)."""
    from pathlib import Path

    total = cpu_seconds(pid)
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return total + sum(cpu_seconds(int(child)) for child in children)


if __name__ == "__main__":
    sys.exit(main())
