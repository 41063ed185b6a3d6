"""Following live coverage in a real Chromium (Debian's /usr/bin/chromium through Playwright)
against a live server, through the origin cache and its real purges: a reader's open page
offers "N new updates" without reloading and inserts them; when an editor ends the coverage in
the admin, the open page says so and then shows the summary. No console errors, no CSP
violations."""

import pytest

from articles.services import live
from articles.tests.site_helpers import published
from newsroom.tests.browser import ARTIFACTS, signed_in_page, watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POLL_SECONDS = 3  # the page's script asks every 10 s; the tests need not wait that long
WAIT_MS = 15_000


@pytest.fixture
def story(editor, reporter, monkeypatch):
    monkeypatch.setattr("website.live.POLL_SECONDS", POLL_SECONDS)
    article = live.live_coverage_open(
        user=editor, article=published(title="Storm reaches the coast")
    )
    live.entry_post(user=reporter, article=article, body="<p>Winds are rising.</p>")
    return article


def open_reader(browser, url):
    page = browser.new_context(viewport={"width": 1000, "height": 900}).new_page()
    problems = watch_console(page)
    polls = []
    page.on(
        "response",
        lambda r: (
            polls.append((r.status, r.headers.get("x-origin-cache")))
            if "/updates/" in r.url
            else None
        ),
    )
    page.goto(url)
    page.wait_for_selector("[data-live-running]")
    page.evaluate("window.notReloaded = true")
    return page, problems, polls


def entry_ids(page) -> list[int]:
    return page.eval_on_selector_all(
        "[data-live-list] > li", "items => items.map(li => +li.dataset.entry)"
    )


def test_a_reader_sees_new_updates_without_reloading_and_inserts_them(
    live_server, browser, story, reporter, editor
):
    ARTIFACTS.mkdir(exist_ok=True)
    reader, problems, polls = open_reader(browser, live_server.url + story.get_absolute_url())
    first = entry_ids(reader)
    assert len(first) == 1
    reader.wait_for_timeout(2 * POLL_SECONDS * 1000 + 1500)  # two answers: nothing new
    assert len(polls) >= 2 and reader.locator("[data-live-button]").is_hidden()
    # The second was answered by the origin cache (the document is shared by every reader).
    assert polls[1][1] == "hit", polls

    # Posted through the services: their purge drops the cached polling document.
    one = live.entry_post(user=reporter, article=story, body="<p>The pier is closed.</p>")
    two = live.entry_post(
        user=editor, article=story, title="Landfall", body="<p>It hit.</p>", is_key_event=True
    )
    button = reader.locator("[data-live-button] button")
    button.wait_for(state="visible", timeout=WAIT_MS)
    assert button.inner_text() == "2 new updates"
    assert entry_ids(reader) == first  # nothing moves under the reader's eyes
    reader.screenshot(path=str(ARTIFACTS / "live-new-updates.png"))
    button.click()
    reader.locator(f"#entry-{two.pk}").wait_for()
    assert entry_ids(reader) == [two.pk, one.pk, *first]
    assert reader.locator("[data-live-button]").is_hidden()
    inserted = reader.locator(f"#entry-{two.pk}")
    assert "Landfall" in inserted.inner_text() and "Key event" in inserted.inner_text()
    permalink = inserted.locator(".live-entry__time").get_attribute("href")
    assert permalink == f"{story.get_absolute_url()}?from={two.pk}#entry-{two.pk}"

    # One more: "1 new update".
    three = live.entry_post(user=reporter, article=story, body="<p>Power is out.</p>")
    button.wait_for(state="visible", timeout=WAIT_MS)
    assert button.inner_text() == "1 new update"
    button.click()
    reader.locator(f"#entry-{three.pk}").wait_for()
    assert reader.evaluate("window.notReloaded")
    assert problems == []


def test_an_editor_ends_coverage_and_the_readers_open_page_says_so(
    live_server, browser, story, editor
):
    ARTIFACTS.mkdir(exist_ok=True)
    reader, problems, _ = open_reader(browser, live_server.url + story.get_absolute_url())
    assert reader.locator("#live-title").inner_text() == "LIVE Live updates"

    desk = signed_in_page(browser, live_server.url, editor)
    problems += watch_console(desk)
    desk.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    desk.fill("#nr-live-summary", "The storm has passed. Ferries run again from 6 a.m.")
    desk.get_by_role("button", name="End live coverage").click()
    desk.locator(".messagelist").get_by_text("Live coverage has ended").wait_for()
    assert "LIVE" not in desk.locator("#nr-live-title").inner_text()

    notice = reader.locator("[data-live-ended]")
    notice.wait_for(state="visible", timeout=WAIT_MS)
    assert "Live coverage has ended." in notice.inner_text()
    assert reader.evaluate("window.notReloaded")
    notice.get_by_role("button", name="Show the summary").click()
    reader.wait_for_load_state()
    reader.locator("#live-title").get_by_text("Live coverage has ended").wait_for()
    summary = reader.locator(".live__summary").inner_text()
    assert "The storm has passed. Ferries run again from 6 a.m." in summary
    assert reader.locator(".badge--live").count() == 0
    assert reader.locator("[data-live-running]").count() == 0
    assert len(entry_ids(reader)) == 1  # every entry stays
    reader.screenshot(path=str(ARTIFACTS / "live-ended.png"), full_page=True)
    assert problems == []
