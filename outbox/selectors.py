from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from .models import Event, Sweep


def sweep_ages(*, names: list[str], now: datetime | None = None) -> dict[str, float | None]:
    """Seconds since each named sweep last completed; None for a sweep that never ran."""
    now = now or timezone.now()
    completed = dict(Sweep.objects.filter(name__in=names).values_list("name", "completed_at"))
    return {
        name: round((now - completed[name]).total_seconds(), 1) if name in completed else None
        for name in names
    }


def event_counts(*, now: datetime | None = None) -> dict[str, int]:
    """How many events wait (due now), wait for a retry, and have failed: the admin overview."""
    now = now or timezone.now()
    return Event.objects.aggregate(
        due=Count(
            "pk", filter=Q(processed_at__isnull=True, failed_at__isnull=True, available_at__lte=now)
        ),
        retrying=Count(
            "pk",
            filter=Q(
                processed_at__isnull=True,
                failed_at__isnull=True,
                available_at__gt=now,
                attempts__gt=0,
            ),
        ),
        failed=Count("pk", filter=Q(failed_at__isnull=False)),
    )
