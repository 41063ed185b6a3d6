"""Live coverage in the admin: editors open and end it from the article's page, or turn it
back into a plain article; the entry
composer on that page (articles/static/articles/admin/live-composer.js) posts, edits, deletes
and alerts through the API with the session, so the admin and API clients share one path and
one policy. The API takes JSON only, so an entry with a new or removed picture is sent here,
as a form with its file, to the same services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse

from articles.models import Article, Entry
from articles.policy import ArticlePolicy
from articles.services import live
from authors.models import Author
from core.errors import DomainError, InvalidInput

from .views import DOMAIN_ERRORS, change_url, post_only, refuse
from .workflow import error_text

# What the composer's form sends, besides the picture itself.
ENTRY_TEXT = ("title", "body", "image_alt", "image_caption")
ENTRY_FLAGS = ("is_key_event", "is_pinned")


@post_only
def live_open(model_admin, request, article: Article):
    if not ArticlePolicy(request.user, article).can_open_live():
        raise PermissionDenied("Only editors can open live coverage.")
    try:
        live.live_coverage_open(user=request.user, article=article)
    except DOMAIN_ERRORS as error:
        refuse(error)
        messages.error(request, error_text(error))
    else:
        messages.success(request, "Live coverage is open: post entries below.")
    return HttpResponseRedirect(change_url(article))


@post_only
def live_end(model_admin, request, article: Article):
    if not ArticlePolicy(request.user, article).can_end_live():
        raise PermissionDenied("Only editors can end live coverage.")
    summary = request.POST.get("summary", "")
    try:
        live.live_coverage_end(user=request.user, article=article, summary=summary or None)
    except DOMAIN_ERRORS as error:
        refuse(error)
        messages.error(request, error_text(error))
    else:
        messages.success(request, "Live coverage has ended; every entry stays on the page.")
    return HttpResponseRedirect(change_url(article))


@post_only
def live_remove(model_admin, request, article: Article):
    if not ArticlePolicy(request.user, article).can_remove_live():
        raise PermissionDenied("Only editors can turn live coverage back into an article.")
    try:
        live.live_coverage_remove(user=request.user, article=article)
    except DOMAIN_ERRORS as error:
        refuse(error)
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            "This is a plain article again; its entries are kept and come back if you open "
            "live coverage again.",
        )
    return HttpResponseRedirect(change_url(article))


# ---------------------------------------------------------------------------
# Entries with a picture (the composer's form, sent with fetch: answers are JSON)
# ---------------------------------------------------------------------------
def _fields(request) -> dict:
    data = {name: request.POST[name] for name in ENTRY_TEXT if name in request.POST}
    for name in ENTRY_FLAGS:
        if name in request.POST:
            data[name] = request.POST[name].lower() in ("1", "true", "on")
    return data


def _authors(request) -> list[Author] | None:
    """The authors chosen (ids, in order), or None when none were sent."""
    ids = [value for value in request.POST.getlist("authors") if value]
    if not ids:
        return None
    if not all(value.isdigit() and len(value) < 10 for value in ids):
        raise InvalidInput("Choose authors from the list.", errors={"authors": ["Not an id."]})
    found = Author.objects.in_bulk([int(value) for value in ids])
    if len(found) != len(set(ids)):
        raise InvalidInput("No such author.", errors={"authors": ["No such author."]})
    return [found[int(value)] for value in dict.fromkeys(ids)]


def _answer(entry: Entry, status: int) -> JsonResponse:
    return JsonResponse(
        {"id": entry.pk, "version": entry.version, "created_at": entry.created_at.isoformat()},
        status=status,
    )


def _refusal(error: DomainError, status: int | None = None) -> JsonResponse:
    return JsonResponse(
        {"detail": error.message, "errors": error.errors}, status=status or error.status
    )


def _expected_version(request) -> int:
    """The version the change is based on (the entry's ``version`` as the API showed it)."""
    version = request.POST.get("version", "")
    if not (version.isdigit() and len(version) < 10):
        raise InvalidInput(
            "Say which version of the entry you edit.", errors={"version": ["Required."]}
        )
    return int(version)


@post_only
def entry_post_with_image(model_admin, request, article: Article):
    """Post an entry with its picture: the API's POST .../entries/ with a file."""
    data = _fields(request)
    try:
        entry = live.entry_post(
            user=request.user,
            article=article,
            image=request.FILES.get("image"),
            authors=_authors(request),
            **data,
        )
    except DomainError as error:
        return _refusal(error)
    return _answer(entry, 201)


@post_only
def entry_edit_with_image(model_admin, request, article: Article, entry_id: int):
    """Edit an entry and replace its picture (a file) or remove it (``image_clear``): the
    API's PATCH with a file. Based on the version the editor read: a stale one is refused
    (412), naming who changed it and when."""
    entry = Entry.objects.filter(article_id=article.pk, pk=entry_id).first()
    if entry is None:
        return JsonResponse({"detail": "No such entry: it may have been deleted."}, status=404)
    data = _fields(request)
    if "image" in request.FILES:
        data["image"] = request.FILES["image"]
    elif request.POST.get("image_clear", "").lower() in ("1", "true", "on"):
        data.update(image="", image_alt="", image_caption="")
    try:
        expected = _expected_version(request)
        entry = live.entry_update(
            user=request.user,
            entry=entry,
            data=data,
            authors=_authors(request),
            expected_version=expected,
        )
    except live.EntryConflict as error:
        return _refusal(error, 412)
    except DomainError as error:
        return _refusal(error)
    return _answer(entry, 200)
