"""A reporter's and an editor's day in the admin, in a real Chromium: the rich-text editor and
the autocompletes work under the site's Content Security Policy, and the workflow goes through.
"""

import base64
import hashlib

import pytest
from django.conf import settings
from django.test import Client

from articles.admin.views import prose_editor_style_hash
from articles.models import Article
from articles.tests.factories import ArticleFactory, SectionFactory
from authors.tests.factories import AuthorFactory, UserFactory
from newsroom.tests.browser import ARTIFACTS, watch_console

# Transactional: the live server thread must see the test's rows (the user factory makes the
# role groups again when an earlier test's flush removed them).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logged_in_page(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    return page, watch_console(page)


def choose(page, field_id: str, text: str) -> None:
    """Pick an option in a select2 autocomplete by typing, as a person does."""
    page.locator(f"#{field_id}").locator("xpath=following-sibling::span[1]").click()
    page.keyboard.type(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_reporter_writes_and_submits_then_an_editor_schedules(live_server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    section = SectionFactory(name="World", slug="world")
    reporter = UserFactory(reporter=True, username="rita")
    AuthorFactory(name="Rita Reporter", user=reporter)
    AuthorFactory(name="Ben Photographer")
    ArticleFactory(published=True, title="Ferries return to the old quay", tags=["harbour"])

    page, problems = logged_in_page(browser, live_server, reporter)
    page.goto(live_server.url + "/admin/articles/article/add/")
    editor_box = page.locator(".ProseMirror[contenteditable=true]")
    editor_box.wait_for()
    # The stylesheet the editor injected is the one the page's policy allows by hash.
    injected = page.eval_on_selector("style[data-tiptap-style]", "style => style.textContent")
    digest = base64.b64encode(hashlib.sha256(injected.encode()).digest()).decode()
    assert prose_editor_style_hash() == f"'sha256-{digest}'"
    page.fill("#id_title", "Storm closes the harbour")
    editor_box.click()
    page.keyboard.type("The harbour master closed the port at dawn.")
    page.select_option("#id_section", str(section.pk))
    choose(page, "id_tags", "harbour")
    choose(page, "id_bylines-0-author", "Rita Reporter")
    page.click("text=Add another byline")
    choose(page, "id_bylines-1-author", "Ben Photographer")
    page.fill("#id_bylines-1-role", "Photos by")
    page.fill("#id_bylines-1-position", "1")
    choose(page, "id_related_links-0-target", "Ferries return")
    page.screenshot(path=str(ARTIFACTS / "admin-add-article.png"), full_page=True)
    page.click("button[value=submit]")
    page.wait_for_load_state()
    assert "Saved and submitted for review" in page.content()
    assert not problems, problems

    article = Article.objects.get(title="Storm closes the harbour")
    assert article.status == Article.Status.IN_REVIEW
    assert "The harbour master closed the port at dawn." in article.body
    assert [str(b) for b in article.bylines.all()] == [
        "Rita Reporter",
        "Photos by Ben Photographer",
    ]
    assert list(article.tags.names()) == ["harbour"]
    assert article.related_links.get().target.title == "Ferries return to the old quay"

    editor = UserFactory(editor=True)
    page, problems = logged_in_page(browser, live_server, editor)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.locator(".ProseMirror[contenteditable=true]").wait_for()
    page.fill("#id_schedule_at_0", "2099-01-01")
    page.fill("#id_schedule_at_1", "08:00")
    page.click("button[value=schedule]")
    page.wait_for_load_state()
    assert "Saved and scheduled for 2099-01-01 08:00" in page.content()
    page.screenshot(path=str(ARTIFACTS / "admin-scheduled-article.png"), full_page=True)
    page.click("text=History")
    page.wait_for_load_state()
    assert page.locator(".nr-table").first.is_visible()
    assert not problems, problems
    article.refresh_from_db()
    assert article.status == Article.Status.SCHEDULED
