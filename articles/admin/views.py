"""The article admin's own pages: history with diffs and revert, previews and shared preview
links, the publishing schedule and the tag autocomplete (proposals and correction notes are in
editorial.py).

Each view is thin: ArticleAdmin fetches the article through its queryset (so a user never
reaches an article they may not see), the view parses the input and calls one service.
"""

import base64
import hashlib
import re
from datetime import timedelta
from functools import cache, wraps
from pathlib import Path

from csp.constants import NONCE
from django.conf import settings
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from articles import policy
from articles.models import OVERDUE_AFTER, Article, PreviewLink
from articles.policy import ArticlePolicy
from articles.preview_views import article_for_preview, article_from_version, preview_response
from articles.previews import preview_token
from articles.revisions import (
    snapshot_diff,
    snapshot_from_article,
    snapshot_from_version,
    versions_for,
)
from articles.services import previews
from articles.services.revisions import article_revert
from core.errors import DomainError, NotAllowed
from outbox.selectors import sweep_ages

from .forms import PreviewLinkForm
from .workflow import LATE_AFTER, delay_text, error_text

RECENTLY_LATE_DAYS = 7
HISTORY_LIMIT = 200
TAG_PAGE_SIZE = 20
SCHEDULER_SWEEP = "articles.publish_due"

DOMAIN_ERRORS = (DomainError, ValidationError)

# The body editor needs two inline things the site's CSP forbids by default: the import map
# that loads its modules (allowed by nonce) and the core stylesheet tiptap injects as a <style>
# element without a nonce (allowed by its hash, taken from the installed editor's script).
PROSE_EDITOR_SCRIPT = "django_prose_editor/editor.js"
# tiptap's core stylesheet is one template literal in the bundle, starting with this rule; one
# without escapes or ${} substitutions, so its source text is the stylesheet itself.
_INJECTED_STYLE = re.compile(r"`(\.ProseMirror \{[^`$\\]*)`")


@cache
def prose_editor_style_hash() -> str:
    """The CSP source allowing the stylesheet the installed editor injects, read from its script
    once per process: an upgrade of the editor brings its own hash."""
    path = finders.find(PROSE_EDITOR_SCRIPT)
    script = Path(path).read_text(encoding="utf-8") if path else ""
    styles = _INJECTED_STYLE.findall(script)
    if len(styles) != 1:
        raise ImproperlyConfigured(
            f"Expected one injected stylesheet in {PROSE_EDITOR_SCRIPT}, found {len(styles)}: "
            "the article editor's Content-Security-Policy cannot allow it."
        )
    digest = hashlib.sha256(styles[0].encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def editor_media(request, media):
    """The page's media with the CSP nonce on its import map and scripts."""
    return media.with_nonce(request.csp_nonce) if hasattr(media, "with_nonce") else media


def allow_editor(response):
    response._csp_update = {"script-src": [NONCE], "style-src": [prose_editor_style_hash()]}
    return response


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def post_only(view):
    """Like require_POST, for views that take the model admin first."""

    @wraps(view)
    def wrapper(model_admin, request, *args, **kwargs):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return view(model_admin, request, *args, **kwargs)

    return wrapper


def render(model_admin, request, template: str, article: Article | None, title: str, **extra):
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "original": article,
        "title": title,
        "subtitle": str(article) if article else None,
        **extra,
    }
    return TemplateResponse(request, f"admin/articles/article/{template}", context)


def refuse(error: DomainError | PermissionDenied) -> None:
    if isinstance(error, NotAllowed | PermissionDenied):
        raise PermissionDenied(error_text(error)) from error


# ---------------------------------------------------------------------------
# History: revisions, diffs, revert
# ---------------------------------------------------------------------------
def _require_revisions(request, article: Article) -> None:
    if not ArticlePolicy(request.user, article).can_see_revisions():
        raise PermissionDenied


def history(model_admin, request, article: Article):
    _require_revisions(request, article)
    versions = list(versions_for(article)[: HISTORY_LIMIT + 1])
    # Each revision with the one before it, for "what changed in this revision".
    rows = list(zip(versions[:HISTORY_LIMIT], [*versions[1:], None], strict=False))
    events = list(article.workflow_events.select_related("actor")[:HISTORY_LIMIT])
    return render(
        model_admin,
        request,
        "object_history.html",
        article,
        f"History: {article}",
        rows=rows,
        events=events,
        can_revert=ArticlePolicy(request.user, article).can_edit(),
        compare_url=reverse("admin:articles_article_compare", args=[article.pk]),
    )


def _snapshot(article: Article, key: str):
    if key == "live":
        return snapshot_from_article(article)
    if not key.isdigit():
        raise Http404("No such revision.")
    version = versions_for(article).filter(pk=int(key)).first()
    if version is None:
        raise Http404("No such revision of this article.")
    return snapshot_from_version(version)


def compare(model_admin, request, article: Article):
    _require_revisions(request, article)
    versions = list(versions_for(article)[:2])
    default_old = str(versions[1].pk) if len(versions) > 1 else "live"
    old_key = request.GET.get("from", default_old)
    new_key = request.GET.get("to", "live")
    old, new = _snapshot(article, old_key), _snapshot(article, new_key)
    if old.created_at and new.created_at and old.created_at > new.created_at:
        old, new = new, old
    return render(
        model_admin,
        request,
        "compare.html",
        article,
        f"Changes: {article}",
        old=old,
        new=new,
        changes=snapshot_diff(old, new),
    )


def revision_preview(model_admin, request, article: Article, version_id: int):
    rules = ArticlePolicy(request.user, article)
    if not (rules.can_preview() and rules.can_see_revisions()):
        raise PermissionDenied
    version = get_object_or_404(versions_for(article), pk=version_id)
    return preview_response(request, article_from_version(version))


@post_only
def revert(model_admin, request, article: Article, version_id: int):
    version = get_object_or_404(versions_for(article), pk=version_id)
    try:
        expected = int(request.POST.get("expected_version", ""))
    except ValueError:
        expected = None
    if expected is None:
        messages.error(request, "The page was out of date; reload the history and try again.")
        return HttpResponseRedirect(reverse("admin:articles_article_history", args=[article.pk]))
    try:
        article_revert(
            user=request.user, article=article, version=version, expected_version=expected
        )
    except DOMAIN_ERRORS as error:
        refuse(error)
        messages.error(request, error_text(error))
        return HttpResponseRedirect(reverse("admin:articles_article_history", args=[article.pk]))
    when = timezone.localtime(version.revision.date_created).strftime("%Y-%m-%d %H:%M")
    messages.success(request, f"Reverted “{article}” to the revision of {when}.")
    return HttpResponseRedirect(change_url(article))


# ---------------------------------------------------------------------------
# Previews
# ---------------------------------------------------------------------------
def preview(model_admin, request, article: Article):
    if not ArticlePolicy(request.user, article).can_preview():
        raise PermissionDenied
    return preview_response(request, article_for_preview(article.pk))


def preview_link_url(request, link: PreviewLink) -> str:
    path = reverse("articles:preview", kwargs={"token": preview_token(link)})
    return request.build_absolute_uri(path)


def preview_links(model_admin, request, article: Article):
    rules = ArticlePolicy(request.user, article)
    can_share = rules.can_share_preview()
    form = PreviewLinkForm(request.POST or None)
    if request.method == "POST":
        if not can_share:
            raise PermissionDenied
        if form.is_valid():
            try:
                link, _ = previews.preview_link_create(
                    user=request.user,
                    article=article,
                    pin_revision=form.cleaned_data["pin"] == "revision",
                    lifetime=timedelta(hours=form.cleaned_data["hours"]),
                )
            except DOMAIN_ERRORS as error:
                refuse(error)
                form.add_error(None, error_text(error))
            else:
                messages.success(
                    request,
                    f"Preview link created, valid until "
                    f"{timezone.localtime(link.expires_at):%Y-%m-%d %H:%M}: "
                    f"{preview_link_url(request, link)}",
                )
                return HttpResponseRedirect(request.path)
    now = timezone.now()
    links = [
        {
            "link": link,
            "active": link.is_active(now),
            "url": preview_link_url(request, link) if link.is_active(now) else "",
            "can_revoke": link.revoked_at is None and rules.can_revoke_preview(link),
        }
        for link in article.preview_links.select_related(
            "created_by", "revoked_by", "version__revision"
        )
    ]
    return render(
        model_admin,
        request,
        "preview_links.html",
        article,
        f"Share a preview: {article}",
        form=form,
        links=links,
        can_share=can_share,
        now=now,
    )


@post_only
def preview_link_revoke(model_admin, request, article: Article, link_id: int):
    link = get_object_or_404(article.preview_links, pk=link_id)
    try:
        previews.preview_link_revoke(user=request.user, link=link)
    except DOMAIN_ERRORS as error:
        refuse(error)
        messages.error(request, error_text(error))
    else:
        messages.success(request, "The preview link is revoked: it now answers “not found”.")
    return HttpResponseRedirect(reverse("admin:articles_article_preview_links", args=[article.pk]))


# ---------------------------------------------------------------------------
# The publishing schedule: upcoming, overdue and recently late articles
# ---------------------------------------------------------------------------
def schedule_overview(model_admin, request):
    now = timezone.now()
    visible = model_admin.get_queryset(request).select_related("section", "last_edited_by")
    overdue = list(visible.overdue(now).order_by("publish_at"))
    upcoming = list(
        visible.filter(
            status=Article.Status.SCHEDULED, publish_at__gte=now - OVERDUE_AFTER
        ).order_by("publish_at")[:100]
    )
    late = list(
        visible.filter(
            status=Article.Status.PUBLISHED,
            publish_delay__gte=LATE_AFTER,
            published_at__gte=now - timedelta(days=RECENTLY_LATE_DAYS),
        ).order_by("-published_at")[:100]
    )
    sweep_age = sweep_ages(names=[SCHEDULER_SWEEP], now=now)[SCHEDULER_SWEEP]
    return render(
        model_admin,
        request,
        "schedule.html",
        None,
        "Publishing schedule",
        overdue=[(a, delay_text(now - a.publish_at)) for a in overdue],
        upcoming=upcoming,
        late=[(a, delay_text(a.publish_delay)) for a in late],
        sweep_age=sweep_age,
        sweep_stale=sweep_age is None or sweep_age > settings.SWEEP_STALE_AFTER_SECONDS,
        recently_late_days=RECENTLY_LATE_DAYS,
        now=now,
    )


# ---------------------------------------------------------------------------
# Tag autocomplete (select2 "tags" mode: ids are names)
# ---------------------------------------------------------------------------
def tag_autocomplete(model_admin, request):
    if not (policy.can_create(request.user) or policy.can_edit_some(request.user)):
        raise PermissionDenied
    term = " ".join(request.GET.get("term", "").split())[:100]
    try:
        page = max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        page = 1
    # A tag only on someone else's embargoed draft is not offered: its name can tell the story.
    tags = policy.tags_visible_to(request.user).order_by("name")
    if term:
        tags = tags.filter(name__icontains=term)
    start = (page - 1) * TAG_PAGE_SIZE
    names = list(tags.values_list("name", flat=True)[start : start + TAG_PAGE_SIZE + 1])
    return JsonResponse(
        {
            "results": [{"id": name, "text": name} for name in names[:TAG_PAGE_SIZE]],
            "pagination": {"more": len(names) > TAG_PAGE_SIZE},
        }
    )
