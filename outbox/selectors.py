from datetime import datetime

from django.utils import timezone

from .models import Sweep


def sweep_ages(*, names: list[str], now: datetime | None = None) -> dict[str, float | None]:
    """Seconds since each named sweep last completed; None for a sweep that never ran."""
    now = now or timezone.now()
    completed = dict(Sweep.objects.filter(name__in=names).values_list("name", "completed_at"))
    return {
        name: round((now - completed[name]).total_seconds(), 1) if name in completed else None
        for name in names
    }
