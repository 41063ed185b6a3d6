"""
The Celery app. Configuration lives in settings.py under the CELERY_ namespace.

Tasks are wake-ups, not the source of truth: they ack late (a task lost with its worker runs
again), so every task must be safe to run twice. The broker's visibility_timeout is set in
settings (CELERY_BROKER_TRANSPORT_OPTIONS) and explained there and in docs/background-work.md.
"""

import os
from datetime import UTC, datetime, timedelta

from celery import Celery
from celery import Task as BaseTask
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

# The longest a message may wait in the broker before it runs. A Redis broker redelivers a
# message not acknowledged within visibility_timeout, and a worker holds an ETA message
# unacknowledged until it runs, so a long ETA runs twice (celery/celery#2481, #3270, #4400;
# kombu#337). Later work belongs in the database, where a beat sweep finds it.
MAX_TASK_DELAY = timedelta(seconds=60)


class TaskDelayTooLong(ValueError):
    pass


def check_task_delay(name: str, options: dict) -> None:
    """Refuse a countdown or ETA beyond MAX_TASK_DELAY (retries with a countdown included)."""
    delay = None
    if options.get("countdown") is not None:
        delay = timedelta(seconds=float(options["countdown"]))
    elif options.get("eta") is not None:
        eta = options["eta"]
        eta = datetime.fromisoformat(eta) if isinstance(eta, str) else eta
        eta = eta if eta.tzinfo else eta.replace(tzinfo=UTC)
        delay = eta - datetime.now(UTC)
    # A second of slack for the time between computing an ETA and sending it.
    if delay is not None and delay > MAX_TASK_DELAY + timedelta(seconds=1):
        raise TaskDelayTooLong(
            f"{name}: a task may wait at most {MAX_TASK_DELAY.seconds} s before it runs, "
            f"not {delay.total_seconds():.0f} s. Store the time in the database and let a beat "
            "sweep pick the work up (docs/background-work.md)."
        )


class Task(BaseTask):
    def apply_async(self, args=None, kwargs=None, *rest, **options):
        check_task_delay(self.name, options)
        return super().apply_async(args, kwargs, *rest, **options)


app = Celery("newsroom", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="newsroom.ping")
def ping(token: str) -> None:
    """Record that a worker ran; used by the worker health test and operators' smoke checks."""
    from django.core.cache import cache

    cache.set(f"celery-ping:{token}", "pong", timeout=300)


@worker_process_init.connect
def _pool_process_in_its_own_group(**kwargs) -> None:
    """Leave a stop signal sent to the worker's process group to the worker itself.

    honcho (`make run`) and `kill -- -PGID` signal the whole group. A pool process killed that way
    may die holding the pool's queue lock, and the worker then hangs at exit until it is killed;
    in a group of its own it finishes its task and exits when the worker tells it to. Celery
    already kills pool processes when the worker dies (PR_SET_PDEATHSIG), and billiard kills a
    group-leading pool process's whole group at a hard time limit.
    """
    os.setpgid(0, 0)
