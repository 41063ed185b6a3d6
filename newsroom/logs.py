"""Logging pieces wired up in settings.LOGGING: the filter that keeps idle periodic sweeps out
of the log, and the plain one-line format of development."""

import logging
import re

from pythonjsonlogger.core import RESERVED_ATTRS

_RESERVED = {*RESERVED_ATTRS, "message", "asctime", "taskName", "color_message"}
# A sweep that found nothing to do returns zero counts: 0, {'started': 0, ...}, None.
_NONZERO = re.compile(r"[1-9]")


def _task_name(record: logging.LogRecord) -> str | None:
    data = getattr(record, "data", None)
    if isinstance(data, dict):
        return data.get("name")
    if record.name == "celery.beat" and isinstance(record.args, tuple) and len(record.args) == 2:
        return record.args[1]  # "Scheduler: Sending due task %s (%s)": entry name, task name
    return None


class QuietSweeps(logging.Filter):
    """Drop the INFO lines of the periodic tasks and the quiet wake-ups (beat sending them, the
    worker receiving them, their success) unless a run did something, which a count in its
    result says; a wake-up whose service logs its work returns a word, never a count, so its
    service's line is the only one. Warnings and errors always pass. Without it an idle site
    logs a few hundred lines a minute. LOG_SWEEPS=1 leaves it out."""

    def __init__(self, tasks=()):
        super().__init__()
        self.tasks = frozenset(tasks)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING or not record.name.startswith("celery."):
            return True
        if _task_name(record) not in self.tasks:
            return True
        if record.name == "celery.app.trace":
            result = str(getattr(record, "data", {}).get("return_value", ""))
            return bool(_NONZERO.search(result))
        return False


class PlainFormatter(logging.Formatter):
    """`12:04:05 INFO newsletter.services Confirmed subscriptions added subscriber_id=4`: the
    development format, readable in a terminal, structured fields at the end of the line."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s", datefmt="%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extras = {k: v for k, v in record.__dict__.items() if k not in _RESERVED}
        extras.pop("data", None)  # Celery's copy of what the message already says
        if not extras:
            return line
        first, newline, rest = line.partition("\n")
        fields = " ".join(f"{key}={value}" for key, value in extras.items())
        return f"{first} {fields}{newline}{rest}"
