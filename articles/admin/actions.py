"""Bulk workflow actions of the article list: one service call per article, and a message for
each article that could not move, with the reason."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse

from articles.services.workflow import STEPS
from core.errors import DomainError

from .forms import ScheduleForm
from .workflow import DONE, error_text

EDITOR_ACTIONS = [
    "publish_selected",
    "schedule_selected",
    "unpublish_selected",
    "return_selected_to_draft",
]


class WorkflowActionsMixin:
    actions = ["submit_selected", *EDITOR_ACTIONS]

    def _bulk(self, request, queryset, name, **kwargs):
        service = STEPS[name]
        done, failed = 0, []
        for article in queryset:
            try:
                service(user=request.user, article=article, **kwargs)
            except (DomainError, ValidationError) as error:
                failed.append(f"“{article}”: {error_text(error)}")
            else:
                done += 1
        if done:
            noun = "article" if done == 1 else "articles"
            self.message_user(request, f"{done} {noun} {DONE[name]}.", messages.SUCCESS)
        for failure in failed:
            self.message_user(request, failure, messages.ERROR)

    @admin.action(description="Submit selected articles for review")
    def submit_selected(self, request, queryset):
        self._bulk(request, queryset, "submit")

    @admin.action(description="Publish selected articles now")
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, "publish")

    @admin.action(description="Schedule selected articles…")
    def schedule_selected(self, request, queryset):
        form = ScheduleForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._bulk(
                request,
                queryset,
                "schedule",
                publish_at=form.cleaned_data["publish_at"],
                comment=form.cleaned_data["comment"],
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Schedule articles",
            "form": form,
            "articles": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/article/schedule_action.html", context)

    @admin.action(description="Unpublish selected articles")
    def unpublish_selected(self, request, queryset):
        self._bulk(request, queryset, "unpublish")

    @admin.action(description="Return selected articles to draft")
    def return_selected_to_draft(self, request, queryset):
        self._bulk(request, queryset, "return_to_draft")
