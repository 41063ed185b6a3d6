from django.db import models


class RateLimitCounter(models.Model):
    """One rate-limit window's count, kept here while the cache cannot count (core.ratelimit)."""

    key = models.CharField(max_length=200, primary_key=True)
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.hits}"
