"""Benchmark of the public site: gunicorn (2 sync workers) on PostgreSQL and Redis with a
generated newsroom of 10,000 articles, loaded with wrk.

Measured side by side in one run, in rounds (each page once per round, the server left to
settle between runs), so the ratios compare like with like; the table gives medians:
  trivial   /robots.txt: a plain Django view through the full middleware stack (the ceiling)
  cached    one article page served from the origin cache (assembled with its fragments)
  uncached  a different article on every request (cache miss: full render and store)
  home      the home page (origin cache)
  search    full-text search, several queries in turn (public pages: origin-cache hits)

    make bench BENCH=site                      # or: python bench/run.py
    BENCH_DURATION=20 BENCH_ROUNDS=5 BENCH_CONNECTIONS=16 make bench BENCH=site

Needs wrk (Debian package "wrk"). Prints a table and writes var/bench_site.json.
"""

import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = int(os.environ.get("BENCH_ARTICLES", "10000"))
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
THREADS = 2
WORKERS = 2
SECRET = "bench-only-secret-key-not-for-production-0123456789abcdef"  # noqa: S105

# Production-like settings for the server and for this process (which generates the data).
os.environ.update(
    {
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "CACHE_KEY_PREFIX": "bench",
        "CELERY_QUEUE": "newsroom-bench",
        "SITE_URL": "http://127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
)
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import common  # noqa: E402
from common import ensure_database, free_port  # noqa: E402

# A word bank for generated text (no real news copy).
WORD_BANK = (
    "harbour council ferry vote budget plan city port river bridge school hospital market "
    "energy wind solar grid train station housing rent court judge minister election party "
    "debate reform tax trade export import factory workers union strike wage price inflation "
    "bank loan startup software data privacy climate flood storm summer winter festival "
    "museum library theatre football league coach season record report study survey police "
    "fire water road traffic cycle park garden farm harvest fishing boats quay island coast"
)
WORDS = WORD_BANK.split()
SECTIONS = ["World", "Politics", "Business", "Technology", "Opinion"]
SEARCHES = ["harbour", "ferry vote", "energy prices", "housing rent", "climate flood", "football"]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def generate() -> None:
    """10,000 published articles (and authors, sections, tags, bylines) in bulk, once."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone
    from taggit.models import Tag, TaggedItem

    from articles.models import Article, Byline, Section
    from authors.models import Author

    call_command("migrate", interactive=False, verbosity=0, skip_checks=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    if Article.objects.published().count() >= ARTICLES:
        print(f"newsroom already has {ARTICLES} published articles", flush=True)
        return
    started = time.monotonic()
    rng = random.Random(42)
    Article.objects.all().delete()
    sections = [
        Section.objects.get_or_create(slug=name.lower(), defaults={"name": name, "position": i})[0]
        for i, name in enumerate(SECTIONS)
    ]
    authors = [
        Author.objects.get_or_create(
            slug=f"bench-author-{i}",
            defaults={
                "name": f"Author {i}",
                "job_title": "Correspondent",
                "bio": sentence(rng, 30) + ".\n\n" + sentence(rng, 20) + ".",
            },
        )[0]
        for i in range(20)
    ]
    tags = [Tag.objects.get_or_create(slug=w, defaults={"name": w})[0] for w in WORDS[:60]]
    now = timezone.now()
    batch = []
    for i in range(ARTICLES):
        when = now - timedelta(minutes=53 * i + rng.randint(0, 50))
        body = "".join(f"<p>{sentence(rng, rng.randint(40, 80))}.</p>" for _ in range(8))
        batch.append(
            Article(
                title=f"{sentence(rng, 7)} ({i})",
                slug=f"bench-story-{i}",
                dek=sentence(rng, 20) + ".",
                body=body,
                section=sections[i % len(sections)],
                status=Article.Status.PUBLISHED,
                published_at=when,
                first_published_at=when,
            )
        )
    created = Article.objects.bulk_create(batch, batch_size=500)
    Byline.objects.bulk_create(
        [
            Byline(article=a, author=authors[(i + k) % len(authors)], position=k)
            for i, a in enumerate(created)
            for k in range(1 + i % 2)
        ],
        batch_size=2000,
    )
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Article)
    TaggedItem.objects.bulk_create(
        [
            TaggedItem(content_type=ct, object_id=a.pk, tag=tag)
            for i, a in enumerate(created)
            for tag in {tags[(i * 7 + k * 13) % len(tags)] for k in range(3)}
        ],
        batch_size=5000,
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # fresh statistics, as autovacuum would leave them
    print(f"generated {ARTICLES} articles in {time.monotonic() - started:.1f}s", flush=True)


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer in {timeout}s")


LUA_PATHS = """
local paths = {}
local counter = 0
local threads = 0
function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end
function init(args)
  for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
  counter = offset
end
function request()
  counter = counter + %d
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def workers_cpu_seconds(master_pid: int) -> float:
    """CPU time (user + system) used so far by gunicorn's worker processes.

    Per request it is a cost that contention from other programs barely changes, unlike
    requests per second, so it shows what each page costs even on a busy machine."""
    tick = os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    total = 0.0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def settle(base: str, timeout: float = 120) -> None:
    """Wait until the server has worked off the requests a run left queued (a slow page keeps
    both workers busy after wrk stops): three quick answers in a row."""
    quick, deadline = 0, time.monotonic() + timeout
    while quick < 3 and time.monotonic() < deadline:
        started = time.monotonic()
        urlopen(base + "/robots.txt", timeout=timeout).read()
        quick = quick + 1 if time.monotonic() - started < 0.05 else 0
        time.sleep(0.2)


def summarize(rounds: dict[str, list[dict]]) -> dict[str, dict]:
    """Per page, the median of each figure over the rounds, and the median of its per-round
    ratio to the trivial view measured minutes apart in the same round (the machine's speed
    drifts between rounds more than within one)."""
    trivial = rounds["trivial"]
    summary = {}
    for name, runs in rounds.items():
        figures = {
            key: statistics.median(run[key] for run in runs)
            for key in ("rps", "p50_ms", "p99_ms", "cpu_us_per_request", "db_cpu_us_per_request")
        }
        figures["requests"] = sum(run["requests"] for run in runs)
        figures["errors"] = sum(run["errors"] for run in runs)
        figures["ratio"] = statistics.median(
            run["rps"] / base["rps"] for run, base in zip(runs, trivial, strict=True)
        )
        figures["cpu_ratio"] = statistics.median(
            base["cpu_us_per_request"] / run["cpu_us_per_request"]
            for run, base in zip(runs, trivial, strict=True)
        )
        figures["ratios"] = [
            round(run["rps"] / base["rps"], 4) for run, base in zip(runs, trivial, strict=True)
        ]
        summary[name] = figures
    return summary


def database_cpu_seconds() -> float:
    """CPU time used so far by the PostgreSQL backends serving the benchmark database."""
    from django.db import connection

    with connection.cursor() as cursor:
        return common.database_cpu_seconds(cursor)


def wrk(
    url: str,
    paths: list[str] | None = None,
    *,
    duration: int | None = None,
    headers: dict | None = None,
) -> dict:
    args = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{duration or DURATION}s", "--latency"]
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]
    env = dict(os.environ)
    if paths:
        folder = Path(tempfile.mkdtemp(prefix="bench-site-"))
        (folder / "paths.lua").write_text(LUA_PATHS % THREADS)
        (folder / "paths.txt").write_text("\n".join(paths) + "\n")
        env["BENCH_PATHS"] = str(folder / "paths.txt")
        args += ["-s", str(folder / "paths.lua")]
    out = subprocess.run([*args, url], capture_output=True, text=True, env=env, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50_ms": p50,
        "p99_ms": p99,
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "errors": int(non2xx.group(1)) if non2xx else 0,
    }


def main() -> int:
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    database_url = os.environ["DATABASE_URL"]
    ensure_database(database_url)
    generate()

    from django.core.cache import cache

    from articles.models import Article

    cache.clear()
    paths = [a.get_absolute_url() for a in Article.objects.published().only("slug", "published_at")]
    random.Random(7).shuffle(paths)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": str(WORKERS),
        "CONN_MAX_AGE": "600",  # the same backends for the whole run, so their CPU adds up
    }
    server = subprocess.Popen(
        [str(ROOT / "bin" / "newsroom"), "web"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for(base + "/robots.txt")
        cached_path = paths[0]
        for _ in range(20):  # warm both workers: connections, templates, slug map, chrome
            for path in ("/robots.txt", cached_path, "/", "/search/?q=harbour"):
                urlopen(base + path, timeout=10).read()
        fresh = paths[1:]  # each round's misses start where the last one's stopped
        per_round = len(fresh) // ROUNDS
        rounds: dict[str, list[dict]] = {}
        for number in range(ROUNDS):
            misses = fresh[number * per_round : (number + 1) * per_round]
            runs = [
                ("trivial", "/robots.txt", None),
                ("cached", cached_path, None),
                ("uncached", "/", misses),
                ("home", "/", None),
                ("search", "/", [f"/search/?q={q.replace(' ', '+')}" for q in SEARCHES]),
            ]
            for name, path, many in runs:
                settle(base)
                cpu_before, db_before = workers_cpu_seconds(server.pid), database_cpu_seconds()
                run = wrk(base + path, many)
                cpu = workers_cpu_seconds(server.pid) - cpu_before
                db = database_cpu_seconds() - db_before
                requests = max(1, run["requests"])
                run["cpu_us_per_request"] = cpu / requests * 1e6
                run["db_cpu_us_per_request"] = db / requests * 1e6
                rounds.setdefault(name, []).append(run)
                print(f"  round {number + 1} {name:9s} {run}", flush=True)
        results = summarize(rounds)
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)

    print(
        f"\nPublic site, {ARTICLES} articles, gunicorn {WORKERS} sync workers, "
        f"wrk -t{THREADS} -c{CONNECTIONS} -d{DURATION}s, {ROUNDS} rounds, {os.cpu_count()} CPUs, "
        f"load {os.getloadavg()[0]:.1f} at the end (medians over the rounds)\n"
    )
    print(
        f"{'page':10s} {'req/s':>9s} {'p50 ms':>8s} {'p99 ms':>8s} {'vs trivial':>11s}"
        f" {'CPU us/req':>11s} {'CPU vs trivial':>15s} {'DB CPU us/req':>14s}  ratio each round"
    )
    for name, r in results.items():
        print(
            f"{name:10s} {r['rps']:9.0f} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} {r['ratio']:10.1%}"
            f" {r['cpu_us_per_request']:11.0f} {r['cpu_ratio']:14.1%}"
            f" {r['db_cpu_us_per_request']:14.0f}  "
            + " ".join(f"{ratio:.1%}" for ratio in r["ratios"])
        )
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "bench_site.json").write_text(json.dumps(results, indent=2))
    goals = results["cached"]["ratio"] >= 0.70 and results["uncached"]["ratio"] >= 0.05
    errors = sum(r["errors"] for r in results.values())
    print(f"\ngoals (cached >= 70%, uncached >= 5% of trivial): {'met' if goals else 'NOT met'}")
    if errors:
        print(f"{errors} non-2xx/3xx responses: the figures are not valid")
    return 0 if goals and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
