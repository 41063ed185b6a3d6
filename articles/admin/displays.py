"""The article admin's columns and read-only fields: status with overdue and late flags,
bylines, times, reading time, the body of a read-only article and its renditions."""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from articles.models import OVERDUE_AFTER, Article
from articles.richtext import sanitize_html

from .workflow import LATE_AFTER, delay_text

Status = Article.Status


class ArticleDisplaysMixin:
    @staticmethod
    def _timing(obj, now):
        overdue = late = ""
        if (
            obj.status == Status.SCHEDULED
            and obj.publish_at
            and obj.publish_at < now - OVERDUE_AFTER
        ):
            overdue = delay_text(now - obj.publish_at)
        if obj.status == Status.PUBLISHED and obj.publish_delay and obj.publish_delay >= LATE_AFTER:
            late = delay_text(obj.publish_delay)
        return overdue, late

    @admin.display(description="Status", ordering="status")
    def status_badge(self, obj):
        if obj is None or obj.pk is None:
            return "New draft"
        overdue, late = self._timing(obj, timezone.now())
        badge = format_html(
            '<span class="nr-status nr-status-{}">{}</span>', obj.status, obj.get_status_display()
        )
        if overdue:
            badge += format_html(
                ' <span class="nr-flag nr-flag-overdue" title="The scheduler has not published '
                'it yet: check the worker and beat.">overdue by {}</span>',
                overdue,
            )
        if late:
            badge += format_html(
                ' <span class="nr-flag nr-flag-late">published {} late</span>', late
            )
        return badge

    @admin.display(description="Bylines")
    def byline_names(self, obj):
        return ", ".join(b.author.name for b in obj.bylines.all()) or "-"

    @admin.display(description="Publish time", ordering="published_at")
    def schedule_time(self, obj):
        moment = obj.publish_at if obj.status == Status.SCHEDULED else obj.published_at
        if moment is None:
            return "-"
        label = "at " if obj.status == Status.SCHEDULED else ""
        return f"{label}{timezone.localtime(moment):%Y-%m-%d %H:%M}"

    @admin.display(description="Last edited", ordering="modified_at")
    def last_edited(self, obj):
        return f"{timezone.localtime(obj.modified_at):%Y-%m-%d %H:%M}"

    @admin.display(description="Reading time")
    def reading_minutes(self, obj):
        return f"{obj.reading_time} min" if obj and obj.pk else "-"

    @admin.display(description="Body")
    def body_html(self, obj):
        return mark_safe(f'<div class="nr-body-preview">{sanitize_html(obj.body)}</div>')  # noqa: S308 - sanitized

    @admin.display(description="Tags")
    def tag_names(self, obj):
        return ", ".join(t.name for t in obj.tags.all()) or "-"

    @admin.display(description="Reader copies")
    def renditions(self, obj):
        if not obj or not obj.hero_image:
            return "No image"
        if not obj.hero_renditions:
            return "Being made in the background; readers get the original meanwhile."
        widths = sorted(int(w) for w in obj.hero_renditions)
        return format_html_join(", ", "{} px", ((w,) for w in widths))
