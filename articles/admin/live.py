"""Live coverage in the admin: editors open and end it from the article's page; the entry
composer on that page posts through the API with the session (articles/static/articles/admin/
live-composer.js), so the admin and API clients share one path and one policy."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect

from articles.models import Article
from articles.policy import ArticlePolicy
from articles.services import live

from .views import DOMAIN_ERRORS, change_url, post_only, refuse
from .workflow import error_text


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
