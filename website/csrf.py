"""CSRF_FAILURE_VIEW: a post from a page every reader shares, sent without JavaScript, has no
form token (the page carries none; the site's script adds the reader's own). For a comment or a
newsletter sign-up whose only problem is the token, the reader gets the same form again,
filled in with everything they typed (escaped by the form widgets), with a fresh token and one
button to finish: nothing typed is lost and CSRF protection stays on. Any other failure (a
foreign Origin or Referer, another form) gets Django's standard 403 page."""

from django.urls import Resolver404, resolve
from django.views.csrf import csrf_failure as standard_failure

from articles.models import Article
from comments.forms import CommentForm
from comments.views import comment_form_page
from newsletter.forms import SignupForm
from newsletter.views import signup_page

# Only these failures are about the token; the others are about where the post came from.
_TOKEN_REASONS = ("CSRF cookie", "CSRF token")
_COMMENT_FIELDS = ("body", "author_name", "author_email", "author_url", "parent")
_CHECKBOXES = ("notify", "remember")


def csrf_failure(request, reason: str = ""):
    if request.method == "POST" and reason.startswith(_TOKEN_REASONS):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        if match is not None and match.view_name == "comments:post":
            response = _comment_again(request, match.kwargs.get("article_id"))
            if response is not None:
                return response
        if match is not None and match.view_name == "newsletter:signup":
            return _signup_again(request)
    return standard_failure(request, reason=reason)


def _comment_again(request, article_id):
    article = Article.objects.published().filter(pk=article_id).first()
    if article is None:
        return None
    posted = request.POST
    initial = {name: posted.get(name, "") for name in _COMMENT_FIELDS}
    initial.update({name: bool(posted.get(name)) for name in _CHECKBOXES})
    stamp = posted.get("stamp", "")
    return comment_form_page(
        request,
        article,
        CommentForm(initial=initial, article_id=article.pk),
        status=403,
        notice="Your comment is not sent yet. Please check it and press “Post Comment” to send it.",
        **({"stamp": stamp} if stamp else {}),
    )


def _signup_again(request):
    form = SignupForm(
        initial={"email": request.POST.get("email", ""), "lists": request.POST.getlist("lists")},
        auto_id="id_%s",
    )
    return signup_page(
        request,
        form,
        status=403,
        notice="You are not signed up yet. Please press “Sign up” to finish.",
    )
