"""Benchmark of the newsletter fan-out: a digest edition to N confirmed subscribers sent by two
Celery worker processes through a local SMTP sink, against the ceiling of that same run.

Measured in one run, so the ratio compares like with like:
  ceiling     the same messages (same edition, same readers, built beforehand) pushed by a bare
              smtplib loop over one connection: no database, no Celery, no ledger
  end-to-end  edition_start() to "sent": the worker renders once, inserts the audience in one
              statement, then 2 worker processes (solo pool) claim chunks, mark each message
              in the ledger before DATA and after the 250, and send over one connection each

The SMTP sink is aiosmtpd in its own process; it only counts. Sizes 10,000 and 100,000 show
whether worker memory stays flat as the audience grows (peak RSS, VmHWM).

    make bench BENCH=newsletter
    BENCH_NEWSLETTER_SIZES=10000 make bench BENCH=newsletter      # a quick run

Prints a table and writes var/bench_newsletter.json.
"""

import json
import multiprocessing
import os
import smtplib
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = [int(n) for n in os.environ.get("BENCH_NEWSLETTER_SIZES", "10000,100000").split(",")]
CEILING_MESSAGES = int(os.environ.get("BENCH_NEWSLETTER_CEILING", "10000"))
WORKERS = 2
SECRET = "bench-only-secret-key-not-for-production-0123456789abcdef"  # noqa: S105
QUEUE = "newsroom-bench-newsletter"

os.environ.update(
    {
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "CACHE_KEY_PREFIX": "bench-newsletter",
        "CELERY_QUEUE": QUEUE,
        "SITE_URL": "https://news.bench.example",
        "NEWSLETTER_FROM_EMAIL": "The Bench Times <news@bench.example>",
        "NEWSLETTER_POSTAL_ADDRESS": "The Bench Times, 1 Harbour Road, Example City",
        "NEWSLETTER_SENDERS": str(WORKERS),
        "NEWSLETTER_RATE_LIMIT": "0",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
)
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import cpu_seconds, ensure_database, free_port  # noqa: E402


class BackendCpu:
    """CPU time of the PostgreSQL backends that connected to this database since ``since``
    (the workers'), sampled while they live: a backend's time is gone once it exits."""

    def __init__(self, since):
        self.since = since
        self.seen: dict[int, float] = {}

    def sample(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND backend_start >= %s",
                [self.since],
            )
            for (pid,) in cursor.fetchall():
                self.seen[pid] = max(self.seen.get(pid, 0.0), cpu_seconds(pid))

    def total(self) -> float:
        return sum(self.seen.values())


# ---------------------------------------------------------------------------
# The SMTP sink (its own process)
# ---------------------------------------------------------------------------
def sink_main(port: int, counter, ready) -> None:
    from aiosmtpd.controller import Controller

    class Counting:
        async def handle_DATA(self, server, session, envelope):
            counter.value += 1
            return "250 OK"

    controller = Controller(Counting(), hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    ready.set()
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


# ---------------------------------------------------------------------------
# Worker processes
# ---------------------------------------------------------------------------
class Worker:
    def __init__(self, index: int, env: dict):
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "newsroom",
                "worker",
                "--pool=solo",
                "--loglevel=WARNING",
                "-n",
                f"bench-newsletter-{index}@%h",
                "-Q",
                QUEUE,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line)
            if "ready." in line:
                self.ready.set()

    def wait_ready(self) -> None:
        if not self.ready.wait(120):
            sys.exit("worker did not start:\n" + "".join(self.lines))

    def rss(self, field: str = "VmRSS") -> int:
        """Kilobytes; VmHWM is the peak since the process started."""
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.proc.pid)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------
def populate(size: int):
    """A fresh audience of ``size`` confirmed subscribers, in set-based SQL."""
    from django.db import connection

    from newsletter.models import List

    lst, _ = List.objects.get_or_create(slug="daily-digest", defaults={"name": "Daily digest"})
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE newsletter_delivery, newsletter_editionarticle,"
            " newsletter_edition_extra_lists, newsletter_edition, newsletter_subscription,"
            " newsletter_subscriber, newsletter_suppression RESTART IDENTITY CASCADE"
        )
        cursor.execute(
            "INSERT INTO newsletter_subscriber (email, consent_source, consent_at,"
            " confirmation_nonce) SELECT 'reader' || g || '@readers.bench.example', 'bench',"
            " now(), '' FROM generate_series(1, %s) g",
            [size],
        )
        cursor.execute(
            "INSERT INTO newsletter_subscription (subscriber_id, list_id, status,"
            " created_at, confirmed_at, unsubscribe_source)"
            " SELECT id, %s, 'confirmed', now(), now(), '' FROM newsletter_subscriber",
            [lst.pk],
        )
        cursor.execute("ANALYZE")
    return lst


def digest_articles():
    from django.utils import timezone

    from articles.models import Article, Section

    section, _ = Section.objects.get_or_create(
        slug="bench-newsletter", defaults={"name": "Bench desk", "in_navigation": False}
    )
    articles = []
    for i in range(10):
        article, _ = Article.objects.get_or_create(
            slug=f"bench-newsletter-story-{i}",
            defaults={
                "title": f"Council approves the harbour plan after two years, part {i}",
                "dek": "The vote ends two years of debate over the waterfront and the ferry "
                "terminal; work starts in spring.",
                "section": section,
                "status": Article.Status.PUBLISHED,
                "published_at": timezone.now(),
                "first_published_at": timezone.now(),
            },
        )
        articles.append(article)
    return articles


def bench_user():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username="bench-newsletter",
        defaults={"email": "editor@bench.example", "is_staff": True, "is_superuser": True},
    )
    return user


# ---------------------------------------------------------------------------
# Runs
# ---------------------------------------------------------------------------
def end_to_end(size: int, worker_env: dict, counter, sink_pid: int) -> dict:
    from django.utils import timezone

    from newsletter.models import Edition
    from newsletter.services import edition_create, edition_start
    from newsroom.celery import app

    lst = populate(size)
    articles = digest_articles()
    app.control.purge()
    backends = BackendCpu(since=timezone.now())
    workers = [Worker(i, worker_env) for i in range(WORKERS)]
    try:
        for worker in workers:
            worker.wait_ready()
    except BaseException:
        for worker in workers:
            worker.stop()
        raise
    counter.value = 0
    cpu_before = {"workers": sum(w.cpu_seconds() for w in workers), "sink": cpu_seconds(sink_pid)}
    edition = edition_create(
        user=None,
        list=lst,
        subject="Your morning briefing",
        intro="Good morning. Here is what happened while you slept.",
        articles=articles,
        kind=Edition.Kind.DIGEST,
    )
    started = time.perf_counter()
    edition_start(user=bench_user(), edition=edition)
    peak_rss = 0
    while True:
        time.sleep(0.25)
        peak_rss = max(peak_rss, *(w.rss() for w in workers))
        backends.sample()
        edition.refresh_from_db()
        if edition.status not in (Edition.Status.PREPARING, Edition.Status.SENDING):
            break
    total_time = time.perf_counter() - started
    hwm = [w.rss("VmHWM") for w in workers]
    cpu = {
        "workers": sum(w.cpu_seconds() for w in workers) - cpu_before["workers"],
        "sink": cpu_seconds(sink_pid) - cpu_before["sink"],
        "postgres": backends.total(),
    }
    for worker in workers:
        worker.stop()
    if edition.status != Edition.Status.SENT:
        sys.exit(f"edition ended {edition.status}: {edition.status_reason}")
    send_time = (edition.finished_at - edition.prepared_at).total_seconds()
    return {
        "subscribers": size,
        "edition_id": edition.pk,
        "delivered": counter.value,
        "ledger": edition.stats,
        "total_seconds": round(total_time, 2),
        "send_seconds": round(send_time, 2),
        "msg_per_s": round(edition.stats["sent"] / send_time, 1),
        "peak_rss_mb": round(max([*hwm, peak_rss]) / 1024, 1),
        "cpu_us_per_message": {k: round(v / size * 1e6) for k, v in cpu.items()},
    }


def ceiling_messages(count: int) -> tuple[str, list[tuple[str, bytes]]]:
    """The messages the end-to-end runs send (the same edition content and the same per-reader
    building), made beforehand for ``count`` readers."""
    from newsletter.mail import EditionMessage, Recipient, edition_render
    from newsletter.models import Edition, List
    from newsletter.selectors import edition_articles_for_render
    from newsletter.services import edition_create

    lst, _ = List.objects.get_or_create(slug="daily-digest", defaults={"name": "Daily digest"})
    edition = edition_create(
        user=None,
        list=lst,
        subject="Your morning briefing",
        intro="Good morning. Here is what happened while you slept.",
        articles=digest_articles(),
        kind=Edition.Kind.DIGEST,
    )
    edition.body_html, edition.body_text = edition_render(
        edition=edition, articles=edition_articles_for_render(edition)
    )
    message = EditionMessage(edition=edition)
    readers = [(i, f"reader{i}@readers.bench.example") for i in range(1, count + 1)]
    return message.envelope_from, [(e, message.build(Recipient(i, e))) for i, e in readers]


def ceiling(envelope_from: str, messages, port: int, sink_pid: int) -> dict:
    """The same messages over one connection with a bare smtplib loop: no database."""
    smtp = smtplib.SMTP("127.0.0.1", port)
    sink_before, own_before = cpu_seconds(sink_pid), cpu_seconds(os.getpid())
    started = time.perf_counter()
    for email, data in messages:
        smtp.sendmail(envelope_from, [email], data)
    elapsed = time.perf_counter() - started
    cpu = {
        "client": cpu_seconds(os.getpid()) - own_before,
        "sink": cpu_seconds(sink_pid) - sink_before,
    }
    smtp.quit()
    return {
        "messages": len(messages),
        "seconds": round(elapsed, 2),
        "msg_per_s": round(len(messages) / elapsed, 1),
        "message_bytes": len(messages[0][1]),
        "cpu_us_per_message": {k: round(v / len(messages) * 1e6) for k, v in cpu.items()},
    }


def load_average() -> float:
    return round(os.getloadavg()[0], 1)


def main() -> None:
    database_url = os.environ["DATABASE_URL"]
    ensure_database(database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    context = multiprocessing.get_context("spawn")
    counter = context.Value("l", 0, lock=False)
    ready = context.Event()
    port = free_port()
    sink = context.Process(target=sink_main, args=(port, counter, ready), daemon=True)
    sink.start()
    if not ready.wait(30):
        sys.exit("SMTP sink did not start")
    worker_env = {
        **os.environ,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "NEWSLETTER_TASK_BUDGET_SECONDS": "200",
        "LOG_LEVEL": "INFO",  # the worker says "ready." at INFO
        "PYTHONUNBUFFERED": "1",
    }

    runs, ceilings = [], []
    envelope_from, messages = ceiling_messages(CEILING_MESSAGES)

    def measure_ceiling() -> None:
        ceilings.append(
            {**ceiling(envelope_from, messages, port, sink.pid), "load": load_average()}
        )
        print(f"  ceiling {ceilings[-1]}", flush=True)

    try:
        measure_ceiling()
        for size in SIZES:
            print(f"sending to {size:,} subscribers ...", flush=True)
            run = {**end_to_end(size, worker_env, counter, sink.pid), "load": load_average()}
            runs.append(run)
            print(f"  {run}", flush=True)
            measure_ceiling()
    finally:
        sink.terminate()

    print()
    rates = ", ".join(f"{c['msg_per_s']:,.0f}" for c in ceilings)
    print(
        f"bare smtplib ceiling, one connection, {ceilings[0]['message_bytes']:,} bytes per "
        f"message: {rates} msg/s"
    )
    print(
        f"{'subscribers':>12} {'msg/s':>8} {'ceiling':>8} {'ratio':>6} {'send s':>8} "
        f"{'total s':>8} {'peak RSS MB':>12} {'delivered':>10} {'load':>5}"
    )
    for index, run in enumerate(runs):
        # Against the ceiling measured just before and just after this run.
        around = (ceilings[index]["msg_per_s"] + ceilings[index + 1]["msg_per_s"]) / 2
        run["ceiling_msg_per_s"] = round(around, 1)
        run["ratio"] = round(run["msg_per_s"] / around, 3)
        print(
            f"{run['subscribers']:>12,} {run['msg_per_s']:>8,.0f} {around:>8,.0f} "
            f"{run['ratio']:>6.0%} {run['send_seconds']:>8.1f} {run['total_seconds']:>8.1f} "
            f"{run['peak_rss_mb']:>12.1f} {run['delivered']:>10,} {run['load']:>5}"
        )
    out = ROOT / "var" / "bench_newsletter.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"ceiling": ceilings, "runs": runs}, indent=2))
    failed = [
        r
        for r in runs
        if r["delivered"] != r["subscribers"] or r["ledger"]["sent"] != r["subscribers"]
    ]
    if failed:
        sys.exit(f"not every subscriber got exactly one message: {failed}")


if __name__ == "__main__":
    main()
