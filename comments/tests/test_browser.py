"""A reader and a moderator in a real Chromium (Debian's /usr/bin/chromium via Playwright): the
reader posts and sees "awaiting moderation", the moderator approves in the admin, the reader
reloads and sees the comment. No console errors, no CSP violations."""

import pytest

from articles.tests.factories import ArticleFactory
from comments.models import Comment
from comments.purges import comments_key
from comments.tests.factories import CommentFactory
from comments.tests.helpers import moderator_account
from edgecache.store import store
from newsroom.tests.browser import ARTIFACTS, watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def test_a_reader_posts_a_moderator_approves_the_reader_sees_it(
    live_server, browser, settings, monkeypatch
):
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 1
    ARTIFACTS.mkdir(exist_ok=True)
    article = ArticleFactory(published=True, title="Harbour plan approved")
    moderator_account(password=PASSWORD)

    reader = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    problems = watch_console(reader)
    reader.goto(live_server.url + article.get_absolute_url())
    reader.wait_for_selector("html[data-reader-state=ready]")
    form = reader.locator("form.comment-form")
    form.locator("textarea[name=body]").fill("The ferry timetable <b>must</b> change.")
    form.locator("input[name=author_name]").fill("Ada Reader")
    form.locator("input[name=author_email]").fill("ada@example.org")
    form.locator("input[name=remember]").check()
    reader.wait_for_timeout(1200)  # a person takes longer than the bot threshold
    form.locator("button[type=submit]").click()
    reader.wait_for_load_state()

    notice = reader.locator(".comment-pending")
    assert "Your comment is awaiting moderation." in notice.inner_text()
    assert "The ferry timetable <b>must</b> change." in notice.inner_text()
    reader.screenshot(path=str(ARTIFACTS / "comment-awaiting.png"), full_page=True)
    comment = Comment.objects.get()
    assert comment.status == "pending"

    moderator = browser.new_context().new_page()
    moderator.goto(live_server.url + "/admin/comments/moderationqueue/")
    moderator.fill("#id_username", "moira")
    moderator.fill("#id_password", PASSWORD)
    moderator.locator("input[type=submit]").click()
    moderator.wait_for_load_state()
    row = moderator.locator("#result_list tbody tr", has_text="The ferry timetable")
    assert row.count() == 1
    row.locator("input[name=_selected_action]").check()
    moderator.select_option("select[name=action]", "approve")
    moderator.locator("button[name=index]").first.click()
    moderator.wait_for_load_state()
    assert "1 comment(s) approved." in moderator.locator(".messagelist").inner_text()

    assert "?comment=" not in reader.url  # the article page itself, the same for everyone
    reader.reload()
    reader.wait_for_load_state()
    assert reader.url.endswith(f"#comment-{comment.pk}")
    published = reader.locator(f"#comment-{comment.pk}")
    assert "The ferry timetable <b>must</b> change." in published.inner_text()
    assert "Ada Reader" in published.inner_text()
    assert reader.locator(".comment-pending").count() == 0
    assert "1 Comment" in reader.locator("#comments-title").inner_text()
    # The form remembers the reader (from their own cookie, filled in by the page's script).
    reader.wait_for_selector("html[data-reader-state=ready]")
    assert reader.locator("input[name=author_email]").input_value() == "ada@example.org"

    # Reply in place: the form moves under the comment.
    reader.locator(f"#comment-{comment.pk} .comment__reply").click()
    assert reader.locator("[data-reply-info]").is_visible()
    assert reader.locator("input[name=parent]").input_value() == str(comment.pk)
    reader.screenshot(path=str(ARTIFACTS / "comment-published.png"), full_page=True)

    # A deep thread with a very long link still fits a phone's width.
    parent = comment
    for _ in range(2):
        parent = CommentFactory(
            article=article, parent=parent, body="https://example.org/" + "long-path-" * 40
        )
    store.bump([comments_key(article.pk)])  # made directly, not through the services
    reader.set_viewport_size({"width": 375, "height": 800})
    reader.reload()  # the browser keeps the public page a minute; a reload asks again
    assert reader.locator(".comment--depth-2").count() == 1
    assert reader.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    reader.screenshot(path=str(ARTIFACTS / "comments-mobile.png"), full_page=True)
    assert problems == []
