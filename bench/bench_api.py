"""Benchmark of the REST API: gunicorn (2 sync workers) on PostgreSQL and Redis with the same
generated newsroom of 10,000 articles as bench_site.py, loaded with wrk.

Measured in one run, so the ratios compare like with like:
  trivial   /api/v1/ with an Authorization header the API does not know (Basic): past the
            origin cache to a trivial DRF view (authentication, throttling, JSON), every time
  list      /api/v1/articles/ (20 per page)
  list100   /api/v1/articles/?page_size=100
  filtered  /api/v1/articles/?section=politics&tag=... (20 tags in turn)
  pages     /api/v1/articles/?page=N, 500 pages in turn (mostly rendered: each is stored once)
  detail    one article, again and again
  uncached  /api/v1/articles/<id>/, a different article on every request (origin cache misses)
  search    /api/v1/articles/?q=..., several queries in turn

Anonymous reads are public documents the origin cache (edgecache) keeps until a change purges
what they show, so list, list100, filtered, detail and search measure origin cache hits, which
never reach the API's views, and pages and uncached the full rendering and storing.

    make bench BENCH=api                       # or: python bench/run.py
    BENCH_DURATION=20 BENCH_CONNECTIONS=16 make bench BENCH=api

Anonymous requests, as apps and partners make them; the anonymous rate limit is raised for the
run (renders are still counted in Redis). Needs wrk (Debian package "wrk").
Prints a table and writes var/bench_api.json.
"""

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.request import Request, urlopen

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_site  # noqa: E402 - the shared data set, server settings and wrk helpers

ROOT = bench_site.ROOT
# Credentials the API does not take (it reads Token ones): the client stays anonymous, but the
# origin cache, like Varnish, never answers a request carrying an Authorization header.
PAST_THE_CACHE = {"Authorization": "Basic YmVuY2g6YmVuY2g="}
os.environ.update(
    {
        "API_THROTTLE_ANON": "100000000/min",
        "API_THROTTLE_USER": "100000000/min",
    }
)


def main() -> int:
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    bench_site.ensure_database(os.environ["DATABASE_URL"])
    bench_site.generate()

    from django.core.cache import cache
    from taggit.models import Tag

    from articles.models import Article

    cache.clear()
    ids = list(Article.objects.published().values_list("pk", flat=True))
    random.Random(7).shuffle(ids)
    tags = list(Tag.objects.values_list("slug", flat=True)[:20])
    port = bench_site.free_port()
    base = f"http://127.0.0.1:{port}"
    workers = bench_site.WORKERS
    env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "WEB_CONCURRENCY": str(workers)}
    server = subprocess.Popen(
        [str(ROOT / "bin" / "newsroom"), "web"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    results = {}
    try:
        bench_site.wait_for(base + "/api/v1/")
        warm = [
            Request(base + "/api/v1/", headers=PAST_THE_CACHE),
            Request(base + "/api/v1/articles/"),
            Request(base + f"/api/v1/articles/{ids[0]}/"),
        ]
        for _ in range(20):  # both workers: connections, imports, the schema of each view
            for request in warm:
                urlopen(request, timeout=10).read()
        runs = [
            ("trivial", "/api/v1/", None, PAST_THE_CACHE),
            ("list", "/api/v1/articles/", None, None),
            ("list100", "/api/v1/articles/?page_size=100", None, None),
            (
                "filtered",
                "/",
                [f"/api/v1/articles/?section=politics&tag={t}" for t in tags],
                None,
            ),
            ("pages", "/", [f"/api/v1/articles/?page={n}" for n in range(1, 501)], None),
            ("detail", f"/api/v1/articles/{ids[0]}/", None, None),
            ("uncached", "/", [f"/api/v1/articles/{pk}/" for pk in ids[1:]], None),
            (
                "search",
                "/",
                [f"/api/v1/articles/?q={q.replace(' ', '+')}" for q in bench_site.SEARCHES],
                None,
            ),
        ]
        for name, path, many, headers in runs:
            cpu_before = bench_site.workers_cpu_seconds(server.pid)
            results[name] = bench_site.wrk(base + path, many, headers=headers)
            cpu = bench_site.workers_cpu_seconds(server.pid) - cpu_before
            results[name]["cpu_us_per_request"] = cpu / max(1, results[name]["requests"]) * 1e6
            print(f"  {name:9s} {results[name]}", flush=True)
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)

    trivial = results["trivial"]["rps"]
    print(
        f"\nREST API, {bench_site.ARTICLES} articles, gunicorn {workers} sync workers, "
        f"wrk -t{bench_site.THREADS} -c{bench_site.CONNECTIONS} -d{bench_site.DURATION}s, "
        f"{os.cpu_count()} CPUs\n"
    )
    # CPU per request barely changes with contention from other programs, unlike req/s.
    trivial_cpu = results["trivial"]["cpu_us_per_request"]
    print(
        f"{'request':10s} {'req/s':>9s} {'p50 ms':>8s} {'p99 ms':>8s} {'vs trivial':>11s}"
        f" {'CPU us/req':>11s} {'CPU vs trivial':>15s}"
    )
    for name, r in results.items():
        r["ratio"] = r["rps"] / trivial
        cpu = r["cpu_us_per_request"]
        print(
            f"{name:10s} {r['rps']:9.0f} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} {r['ratio']:10.1%}"
            f" {cpu:11.0f} {trivial_cpu / cpu:14.1%}"
        )
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "bench_api.json").write_text(json.dumps(results, indent=2))
    errors = sum(r["errors"] for r in results.values())
    if errors:
        print(f"{errors} non-2xx/3xx responses: the figures are not valid")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
