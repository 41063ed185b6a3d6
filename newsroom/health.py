"""GET /healthz: is each backing service answering, and is the scheduler sweeping? Short
timeouts, so it never hangs."""

import uuid
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


def _run(check) -> str:
    try:
        check()
    except Exception:
        return "error"
    finally:
        connection.close_if_unusable_or_obsolete()
    return "ok"


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}


def sweep_report() -> tuple[str, str, dict[str, float | None]]:
    """The database check, then the age in seconds of each periodic sweep's last completion,
    read on the same connection. A sweep stale beyond SWEEP_STALE_AFTER_SECONDS, or that never
    ran, is an error: beat or every worker is down and scheduled articles are not going out."""
    ages: dict[str, float | None] = {}

    def check() -> None:
        check_database()
        ages.update(sweep_ages(names=settings.HEALTHZ_SWEEPS))

    database = _run(check)
    limit = settings.SWEEP_STALE_AFTER_SECONDS
    fresh = bool(ages) and all(age is not None and age <= limit for age in ages.values())
    return database, ("ok" if fresh else "error"), ages


@never_cache
@require_GET
def healthz(request):
    # The database check runs here (connections are per thread); cache and broker run in
    # threads so a slow one cannot add its timeout to the other's.
    results = {}
    pool = ThreadPoolExecutor(max_workers=2)
    futures = {
        name: pool.submit(_run, check) for name, check in CHECKS.items() if name != "database"
    }
    results["database"], results["scheduler"], ages = sweep_report()
    wait(futures.values(), timeout=settings.HEALTHZ_TIMEOUT * 1.5)
    # Never wait for a hung check: answer now and let its thread finish on its own.
    pool.shutdown(wait=False, cancel_futures=True)
    for name, future in futures.items():
        results[name] = future.result() if future.done() else "error"
    status = 200 if all(v == "ok" for v in results.values()) else 503
    return JsonResponse({**results, "sweep_age_seconds": ages}, status=status)
