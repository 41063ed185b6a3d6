"""The reader's own values on a shared page, in a real Chromium (Debian's /usr/bin/chromium
through Playwright) against a live server: the article page comes from the origin cache, the
site's script puts the reader's form token in, the comment posts, and the reader then sees
their own comment waiting; another browser does not."""

import pytest
import requests

from articles.tests.factories import ArticleFactory
from comments.models import Comment
from conftest import wait_until
from newsletter.tests.factories import ListFactory
from newsroom.tests.browser import watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_cached_page_gets_the_readers_token_and_shows_their_waiting_comment(
    live_server, browser, settings
):
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 1
    settings.COMMENTS_SPAM_CHECKER_URL = ""
    settings.COMMENTS_POST_MODERATION = False
    article = ArticleFactory(published=True, title="Harbour plan approved")
    ListFactory(digest=True)
    url = live_server.url + article.get_absolute_url()

    first_reader = browser.new_context().new_page()
    assert first_reader.goto(url).headers["x-origin-cache"] == "miss"
    # A page rendered within a second of a purge of one of its keys (the article was just
    # published) is stored already stale: the next render after that is kept.
    wait_until(lambda: requests.get(url, timeout=10).headers["X-Origin-Cache"] == "hit", timeout=10)

    reader = browser.new_context().new_page()
    problems = watch_console(reader)
    response = reader.goto(url)
    assert response.headers["x-origin-cache"] == "hit"  # the shared page, from the cache
    assert response.headers["cache-control"].startswith("public")
    assert "csrfmiddlewaretoken" not in response.text()
    reader.wait_for_selector("html[data-reader-state=ready]")
    for form in ("form.comment-form", "form.newsletter-signup"):
        token = reader.locator(f"{form} input[name=csrfmiddlewaretoken]")
        assert len(token.input_value()) == 64, form

    form = reader.locator("form.comment-form")
    form.locator("textarea[name=body]").fill("The ferry timetable {{ x }} <b>must</b> change.")
    form.locator("input[name=author_name]").fill("Ada Reader")
    form.locator("input[name=author_email]").fill("ada@example.org")
    form.locator("input[name=remember]").check()
    reader.wait_for_timeout(1200)  # a person takes longer than the bot threshold
    form.locator("button[type=submit]").click()
    reader.wait_for_load_state()
    reader.wait_for_selector(".comment-pending")

    comment = Comment.objects.get()
    assert comment.status == "pending"
    notice = reader.locator(".comment-pending")
    assert "Your comment is awaiting moderation." in notice.inner_text()
    assert "The ferry timetable {{ x }} <b>must</b> change." in notice.inner_text()
    assert reader.locator("input[name=author_email]").input_value() == "ada@example.org"

    # Another reader's browser gets the same page and never this comment.
    other = browser.new_context().new_page()
    other.goto(url)
    other.wait_for_selector("html[data-reader-state=ready]")
    assert other.locator(".comment-pending").count() == 0
    assert other.locator("input[name=author_email]").input_value() == ""
    assert problems == []
