"""Health endpoints, one per audience (docs/deployment.md says which to use where).

- ``GET /healthz``, for load balancers and orchestrators' liveness probes: 200 while this process
  and its database answer. Redis or the broker being down costs speed, not availability (the
  site renders from PostgreSQL and writes go through the outbox), so it leaves the status at 200
  and says ``"degraded"`` with what is down; taking every web host out over a Redis blip would
  turn a slowdown into an outage. 503 only when the database does not answer.
- ``GET /healthz/full``, for operators' alerting: every service and the age of each scheduler
  sweep. Anything down, a sweep older than SWEEP_STALE_AFTER_SECONDS or one that never ran (beat
  or every worker is down, or the stack has only just started) is a 503 naming the reason.

Both are cheap (one database query, two for the full report), never cached, and answer within
HEALTHZ_TIMEOUT * 1.5 whatever a service does.
"""

import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

from outbox.selectors import sweep_ages


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return the value just written")
    cache.delete(key)


def check_broker() -> None:
    # A fresh connection built from the settings as they are now (the Celery app caches its
    # config), tried once: a retry would sleep past the time /healthz has to answer.
    with Connection(
        settings.CELERY_BROKER_URL,
        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        connect_timeout=settings.HEALTHZ_TIMEOUT,
    ) as conn:
        conn.ensure_connection(max_retries=0, interval_start=0, timeout=settings.HEALTHZ_TIMEOUT)


def _run(check: Callable[[], None]) -> str:
    # A database connection that failed here is closed at the end of the request, as after
    # any other database error (Django's close_old_connections).
    try:
        check()
    except Exception:
        return "error"
    return "ok"


# Checked in threads beside the database check (which runs in the request's thread: database
# connections are per thread), so a hung one cannot add its timeout to another's.
BACKGROUND_CHECKS = {"cache": check_cache, "broker": check_broker}


def _services(database_check: Callable[[], None]) -> dict[str, str]:
    pool = ThreadPoolExecutor(max_workers=len(BACKGROUND_CHECKS))
    futures = {name: pool.submit(_run, check) for name, check in BACKGROUND_CHECKS.items()}
    results = {"database": _run(database_check)}
    wait(futures.values(), timeout=settings.HEALTHZ_TIMEOUT * 1.5)
    # Never wait for a hung check: answer now and let its thread finish on its own.
    pool.shutdown(wait=False, cancel_futures=True)
    for name, future in futures.items():
        results[name] = future.result() if future.done() else "error"
    return results


def _down(results: dict[str, str]) -> list[str]:
    return [name for name, result in results.items() if result != "ok"]


@never_cache
@require_GET
def healthz(request):
    """For load balancers: 200 unless the database does not answer."""
    results = _services(check_database)
    down = _down(results)
    if "database" in down:
        status, code = "down", 503
    else:
        status, code = ("degraded" if down else "ok"), 200
    return JsonResponse({"status": status, "down": down, **results}, status=code)


def sweep_problems(ages: dict[str, float | None]) -> list[str]:
    """Why the scheduler is unhealthy, one reason per sweep that is stale or never ran."""
    limit = settings.SWEEP_STALE_AFTER_SECONDS
    problems = []
    for name, age in ages.items():
        if age is None:
            problems.append(f"sweep {name} has not completed since the database was created")
        elif age > limit:
            problems.append(f"sweep {name} last completed {age:.0f} s ago (limit {limit:.0f} s)")
    return problems


@never_cache
@require_GET
def healthz_full(request):
    """For alerting: every service and the scheduler's sweeps; 503 with the reasons if any
    is wrong."""
    ages: dict[str, float | None] = {}

    def check_database_and_sweeps() -> None:
        # Reading the sweeps is the database check: one query.
        ages.update(sweep_ages(names=settings.HEALTHZ_SWEEPS))

    results = _services(check_database_and_sweeps)
    reasons = [f"{name} is not answering" for name in _down(results)]
    if results["database"] == "ok":
        problems = sweep_problems(ages)
        results["scheduler"] = "error" if problems else "ok"
        reasons += problems
    else:
        results["scheduler"] = "unknown"
    body = {
        "status": "error" if reasons else "ok",
        "reasons": reasons,
        **results,
        "sweep_age_seconds": ages,
    }
    return JsonResponse(body, status=503 if reasons else 200)
