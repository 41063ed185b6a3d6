"""List filters of the article admin."""

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils import timezone

from articles import policy
from articles.models import OVERDUE_AFTER, Article, Byline

from .workflow import LATE_AFTER

Status = Article.Status


class AuthorFilter(admin.SimpleListFilter):
    title = "author"
    parameter_name = "author"

    def lookups(self, request, model_admin):
        authors = policy.authors_visible_to(request.user).filter(bylines__isnull=False)
        return list(authors.distinct().order_by("name").values_list("pk", "name"))

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(
                Exists(Byline.objects.filter(article=OuterRef("pk"), author_id=int(self.value())))
            )
        return queryset


class ScheduleFilter(admin.SimpleListFilter):
    title = "schedule"
    parameter_name = "schedule"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Overdue (scheduled, time passed)"),
            ("upcoming", "Scheduled, upcoming"),
            ("late", "Published late"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "overdue":
            return queryset.overdue(now)
        if self.value() == "upcoming":
            return queryset.filter(status=Status.SCHEDULED, publish_at__gte=now - OVERDUE_AFTER)
        if self.value() == "late":
            return queryset.filter(status=Status.PUBLISHED, publish_delay__gte=LATE_AFTER)
        return queryset
