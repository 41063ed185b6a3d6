"""Without JavaScript the shared pages' forms carry no token: a comment or a sign-up posted
without one gets its form back, filled in with what the reader typed, with a fresh token and one
button to finish. CSRF protection stays on throughout (enforce_csrf_checks)."""

import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from comments.forms import form_stamp
from comments.models import Comment
from comments.tests.helpers import form_data
from newsletter.models import Subscriber

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _comment_settings(settings):
    settings.COMMENTS_SPAM_CHECKER_URL = ""
    settings.COMMENTS_POST_MODERATION = False


@pytest.fixture
def article(db):
    from articles.tests.factories import ArticleFactory

    return ArticleFactory(published=True, title="Council approves harbour plan")


def fields_of(html: str) -> dict[str, str]:
    """The form's inputs and textarea as a browser would send them (checked boxes only)."""
    data = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or name.group(1) == "q":
            continue
        if 'type="checkbox"' in tag and "checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        default = "on" if 'type="checkbox"' in tag else ""
        data[name.group(1)] = value.group(1) if value else default
    for name, value in re.findall(
        r'<textarea[^>]*name="([^"]+)"[^>]*>\n?(.*?)</textarea>', html, re.S
    ):
        data[name] = value
    return data


def unescape(data: dict) -> dict:
    import html

    return {key: html.unescape(value) for key, value in data.items()}


def test_a_comment_without_a_token_comes_back_filled_in_and_one_press_posts_it(article):
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(article.get_absolute_url()).content.decode()
    assert "csrfmiddlewaretoken" not in page
    typed = form_data(
        article,
        body='My <b>words</b> & "{{ x }}" {% csrf_token %} </textarea><script>x</script>',
        author_name="Ada <Reader>",
        author_url="https://ada.example/?a=1&b=2",
        notify="on",
        remember="on",
    )
    response = reader.post(reverse("comments:post", args=[article.pk]), typed)

    assert response.status_code == 403
    assert response["Cache-Control"] == "private, no-store"
    html = response.content.decode()
    assert "Your comment is not sent yet" in html
    form = html[
        html.index('class="comment-form"') : html.index("</form>", html.index("comment-form"))
    ]
    assert form.count('type="submit"') == 1  # one button to finish
    assert "<script>x</script>" not in html and "<b>words</b>" not in html
    again = unescape(fields_of(form))
    for name in ("body", "author_name", "author_email", "author_url", "stamp"):
        assert again[name] == typed[name], name
    assert again["notify"] == "on" and again["remember"] == "on"
    assert not Comment.objects.exists()

    finished = reader.post(reverse("comments:post", args=[article.pk]), again)
    assert finished.status_code == 303
    comment = Comment.objects.get()
    assert comment.body == typed["body"] and comment.author_name == "Ada <Reader>"
    assert comment.notify is True


def test_a_sign_up_without_a_token_comes_back_filled_in_and_one_press_finishes(digest, breaking):
    reader = Client(enforce_csrf_checks=True)
    typed = {"email": "Reader.Name+news@Example.org", "lists": ["breaking-news"], "website": ""}
    response = reader.post(reverse("newsletter:signup"), typed)

    assert response.status_code == 403
    html = response.content.decode()
    assert "You are not signed up yet" in html
    form = html[html.index('class="newsletter-signup"') :]
    again = unescape(fields_of(form))
    assert again["email"] == typed["email"]
    assert 'value="breaking-news" id="id_lists_1" checked' in form or re.search(
        r'value="breaking-news"[^>]*checked', form
    )
    assert not re.search(r'value="daily-digest"[^>]*checked', form)
    token = TOKEN.search(form).group(1)
    finished = reader.post(
        reverse("newsletter:signup"),
        {"email": again["email"], "lists": ["breaking-news"], "csrfmiddlewaretoken": token},
    )
    assert finished.status_code == 302
    assert Subscriber.objects.count() == 1


def test_an_expired_token_is_answered_the_same_way(article):
    reader = Client(enforce_csrf_checks=True)
    reader.get("/reader/state/")
    stale = "x" * 64
    response = reader.post(
        reverse("comments:post", args=[article.pk]),
        {**form_data(article), "csrfmiddlewaretoken": stale},
    )
    assert response.status_code == 403
    assert "Your comment is not sent yet" in response.content.decode()


def test_other_csrf_failures_get_the_standard_page(article, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    reader = Client(enforce_csrf_checks=True)
    token = reader.get("/reader/state/").json()["csrf_token"]
    # A post from another site (its Origin is not ours): not a missing token.
    response = reader.post(
        reverse("comments:post", args=[article.pk]),
        {**form_data(article), "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert "Your comment is not sent yet" not in response.content.decode()
    assert "CSRF verification failed" in response.content.decode()
    # Another form without a token: the standard page too.
    other = reader.post(reverse("comments:report", args=[1]), {"reason": "abuse"})
    assert other.status_code == 403
    assert "CSRF verification failed" in other.content.decode()
    assert not Comment.objects.exists()


def test_a_comment_on_a_missing_article_gets_the_standard_page():
    reader = Client(enforce_csrf_checks=True)
    response = reader.post(reverse("comments:post", args=[999999]), {"body": "Hello"})
    assert response.status_code == 403
    assert "CSRF verification failed" in response.content.decode()


def test_the_stamp_of_the_finishing_post_is_the_one_the_page_gave(article):
    reader = Client(enforce_csrf_checks=True)
    old = form_stamp(article.pk, now=time.time() - 120)
    response = reader.post(
        reverse("comments:post", args=[article.pk]), form_data(article, stamp=old)
    )
    assert f'name="stamp" value="{old}"' in response.content.decode()
