"""Benchmark of every surface as the archive grows: 10,000, 100,000 and 1,000,000 articles.

For each size it builds the archive once (bench/archive.py; kept between runs in
``<DATABASE_URL's database>_<size>``, e.g. newsroom_bench_1m), starts gunicorn (2 sync workers,
production settings) with the origin's page cache switched off, and requests each surface
(bench/scale_surfaces.py) one request at a time, so a latency is the cost of one request and
not a queue: reader pages, search, feeds and sitemaps, the admin (as an editor, logged in) and
the API (an editor's token, which no cache answers). For each surface it reports p50 and p95
latency, and the CPU time gunicorn's workers and the PostgreSQL backends serving them spent per
request (from /proc, as bench_site.py does), then compares the sizes and checks the goals.

    make bench BENCH=scale                              # all three sizes
    BENCH_SCALE_SIZES=10k,100k make bench BENCH=scale   # some of them
    BENCH_SCALE_ONLY=search,api make bench BENCH=scale  # some groups or surfaces
    # knobs: BENCH_SCALE_REQUESTS (per surface, 60), BENCH_SCALE_SECONDS (per surface, 6)

Building a million articles takes about half an hour and 20 GB of disk; 100,000 a few minutes.
Prints tables and writes var/bench_scale.json.
"""

import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import archive  # noqa: E402
import bench_site  # noqa: E402 - production-like settings for the server, CPU helpers
import psycopg  # noqa: E402
import scale_surfaces  # noqa: E402
from common import database_cpu_seconds, free_port  # noqa: E402

ROOT = HERE.parent
SIZES = [s for s in os.environ.get("BENCH_SCALE_SIZES", "10k,100k,1m").split(",") if s]
ONLY = {s.strip() for s in os.environ.get("BENCH_SCALE_ONLY", "").split(",") if s.strip()}
REQUESTS = int(os.environ.get("BENCH_SCALE_REQUESTS", "60"))
SECONDS = float(os.environ.get("BENCH_SCALE_SECONDS", "6"))
MIN_REQUESTS = 5
os.environ.update({"API_THROTTLE_ANON": "100000000/min", "API_THROTTLE_USER": "100000000/min"})
# The origin's own page cache must not answer: every request pays for its page (the cost of a
# purge or a crawler): the origin cache is off.
UNCACHED = {"EDGECACHE_ORIGIN_CACHE": "false"}
# The editor signs in with a password only: the benchmark measures the pages, not the sign-in.
SIGN_IN = {"STAFF_OTP_REQUIRED": "false"}

EDITOR_SETUP = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
user, _ = get_user_model().objects.get_or_create(username="{0}")
user.is_staff = True
user.set_password("{1}")
user.save()
user.groups.add(Group.objects.get(name="Editor"))
print(Token.objects.get_or_create(user=user)[0].key)
"""


def editor_token(url: str) -> str:
    """The editor the admin and the API are asked as (created once), and their API token."""
    code = EDITOR_SETUP.format(*archive.EDITOR)
    out = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.strip().splitlines()[-1]


def flush_cache() -> None:
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()


class Client:
    """One keep-alive connection to the server (reopened when gunicorn closes it)."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, headers=None, body=None):
        headers = {"Host": "127.0.0.1", **(headers or {})}
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return response, data

    def login(self, username: str, password: str) -> str:
        """Log in to the admin as a person would; the session and CSRF cookies."""
        response, page = self.request("GET", "/admin/login/")
        jar = _cookies(response)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        body = urlencode(
            {
                "csrfmiddlewaretoken": token,
                "username": username,
                "password": password,
                "next": "/admin/",
            }
        )
        response, _ = self.request(
            "POST",
            "/admin/login/",
            {
                "Cookie": _cookie_header(jar),
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/admin/login/",
            },
            body,
        )
        jar.update(_cookies(response))
        if response.status != 302 or "sessionid" not in jar:
            raise RuntimeError(f"admin login failed: {response.status}")
        return _cookie_header(jar)


def _cookies(response) -> dict[str, str]:
    jar = {}
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def _cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(client: Client, surface, headers: dict, server_pid: int, cursor) -> dict:
    started = time.monotonic()
    for path in surface.warm or surface.paths[:1]:
        try:
            client.request("GET", path, headers)
        except (http.client.HTTPException, OSError):  # measured (and reported) below
            client.conn.close()
    # A surface that takes minutes (a full-table scan at a million articles) is measured once.
    slow = time.monotonic() - started > 3 * SECONDS
    cpu_before, db_before = bench_site.workers_cpu_seconds(server_pid), database_cpu_seconds(cursor)
    latencies, statuses, size = [], Counter(), 0
    deadline = time.monotonic() + SECONDS
    while len(latencies) < REQUESTS and (
        len(latencies) < (1 if slow else MIN_REQUESTS) or time.monotonic() < deadline
    ):
        path = surface.paths[len(latencies) % len(surface.paths)]
        started = time.perf_counter()
        try:
            response, body = client.request("GET", path, headers)
            status = response.status
        except (http.client.HTTPException, OSError):  # the worker was killed or timed out
            status, body = 0, b""
            client.conn.close()
        latencies.append((time.perf_counter() - started) * 1000)
        statuses[status] += 1
        size += len(body)
    count = len(latencies)
    cpu = bench_site.workers_cpu_seconds(server_pid) - cpu_before
    db = database_cpu_seconds(cursor) - db_before
    return {
        "group": surface.group,
        "requests": count,
        "p50_ms": statistics.median(latencies),
        "p95_ms": _percentile(latencies, 0.95),
        "cpu_ms": cpu / count * 1000,
        "db_ms": db / count * 1000,
        "kb": size / count / 1024,
        "statuses": dict(statuses),
        "path": surface.paths[0],
        "note": surface.note,
    }


def run_size(name: str) -> dict:
    url = archive.database_for(os.environ["DATABASE_URL"], name)
    meta = archive.ensure_archive(url, archive.size_of(name))
    token = editor_token(url)
    with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cursor:
        surfaces = scale_surfaces.build(cursor, meta["size"])
        cursor.execute("SELECT count(*) FROM articles_article WHERE status = 'published'")
        published = cursor.fetchone()[0]
    surfaces = [s for s in surfaces if not ONLY or s.group in ONLY or s.name in ONLY]
    assert len({(s.group, s.name) for s in surfaces}) == len(surfaces), "surface names repeat"
    flush_cache()
    port = free_port()
    env = {
        **os.environ, **UNCACHED, **SIGN_IN, "DATABASE_URL": url, "PORT": str(port),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": str(bench_site.WORKERS), "CONN_MAX_AGE": "600",
        "GUNICORN_TIMEOUT": "900",  # measure the slowest surfaces instead of killing them
    }  # fmt: skip
    server = subprocess.Popen(
        [str(ROOT / "bin" / "newsroom"), "web"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    results, load_before = {}, os.getloadavg()
    try:
        bench_site.wait_for(f"http://127.0.0.1:{port}/robots.txt")
        client = Client(port)
        auth = {
            "": {},
            "session": {"Cookie": client.login(*archive.EDITOR)},
            "token": {"Authorization": f"Token {token}"},
        }
        with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cursor:
            for surface in surfaces:
                result = measure(client, surface, auth[surface.auth], server.pid, cursor)
                key = f"{surface.group}: {surface.name}"
                results[key] = result
                print(f"  {name:5s} {_row(key, result)}", flush=True)
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    return {
        "published": published,
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "surfaces": results,
    }


HEADER = (
    f"{'surface':34s} {'p50 ms':>8s} {'p95 ms':>8s} {'CPU ms':>8s} {'DB ms':>8s} {'KB':>6s}"
    "  statuses  note"
)


def _row(name: str, r: dict) -> str:
    statuses = ",".join(f"{k}x{v}" for k, v in sorted(r["statuses"].items()))
    return (
        f"{name:34s} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {r['cpu_ms']:8.2f} {r['db_ms']:8.2f}"
        f" {r['kb']:6.1f}  {statuses:9s} {r['note']}"
    )


def report(runs: dict[str, dict]) -> list[str]:
    """Print each size's table and the comparison; return the goals that were missed."""
    for name, run in runs.items():
        load = " ".join(f"{x:.2f}" for x in run["load_before"])
        print(f"\n{run['published']:,} published articles ({name}); load average before: {load}")
        print(HEADER)
        for surface, r in run["surfaces"].items():
            print(_row(surface, r))
    missed = []
    names = list(runs)
    if len(names) > 1:
        first, last = runs[names[0]]["surfaces"], runs[names[-1]]["surfaces"]
        print(f"\np95 ms and CPU ms (worker + DB) per request, {' / '.join(names)}")
        for surface in last:
            figures = [runs[n]["surfaces"].get(surface) for n in names]
            cells = " / ".join(f"{f['p95_ms']:.1f}" if f else "-" for f in figures)
            cpu = " / ".join(f"{f['cpu_ms'] + f['db_ms']:.1f}" if f else "-" for f in figures)
            line = f"{surface:34s} p95 {cells:24s} CPU {cpu}"
            if surface in first and last[surface]["group"] != "search":
                ratio = last[surface]["p95_ms"] / first[surface]["p95_ms"]
                line += f"  x{ratio:.2f}"
                if ratio > 1.5:
                    missed.append(f"{surface}: p95 {ratio:.2f} times the {names[0]} figure")
            print(line)
    largest = runs[names[-1]]["surfaces"]
    limits = {"site": 50, "search": 100}
    for surface, r in largest.items():
        limit = limits.get(r["group"])
        if surface.startswith("admin: list"):
            limit = 300
        if limit and r["p95_ms"] > limit:
            missed.append(f"{surface}: p95 {r['p95_ms']:.0f} ms > {limit} ms")
        if any(status >= 400 or status == 0 for status in r["statuses"]):
            missed.append(f"{surface}: answered {r['statuses']}")
    site = largest.get("site: article")
    for surface, factor in (("api: detail", 2), ("api: list p1", 3)):
        if site and surface in largest:
            cost = largest[surface]["cpu_ms"] + largest[surface]["db_ms"]
            ratio = cost / (site["cpu_ms"] + site["db_ms"])
            print(f"{surface}: {ratio:.2f} times the site's uncached article page (CPU)")
            if ratio > factor:
                missed.append(f"{surface}: {ratio:.2f} times the article page > {factor}")
    return missed


def main() -> int:
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"], check=True
    )
    runs = {name: run_size(name) for name in SIZES}
    missed = report(runs)
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "bench_scale.json").write_text(json.dumps(runs, indent=2, default=str))
    print("\ngoals:", "all met" if not missed else "missed")
    for line in missed:
        print(f"  - {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
