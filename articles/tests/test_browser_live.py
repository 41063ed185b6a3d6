"""The live desk in real Chromium browsers (Debian's /usr/bin/chromium through Playwright)
against a live server: an editor opens live coverage on the article's admin page, two
reporters post from two browsers without reloading and each is warned when the other just
posted; they edit and delete their own updates (never the other's), an edit based on an older
version is refused and names who changed it, and the editor sends a key event as a
breaking-news alert for an update signed by a reporter. No console errors, no CSP
violations."""

import pytest

from articles.models import Article, Entry
from articles.tests.factories import ArticleFactory
from authors.tests.factories import AuthorFactory
from newsletter.models import Edition
from newsroom.tests.browser import ARTIFACTS, signed_in_page, watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT_MS = 15_000  # the composer looks for changes every 5 s


def entry_item(page, text: str):
    return page.locator("[data-live-entries] > li", has_text=text)


def item_of(page, entry):
    return page.locator(f"#nr-live-entry-{entry.pk}")


def test_two_reporters_post_from_two_browsers_and_see_each_other(
    live_server, browser, editor, reporter, other_reporter, breaking
):
    ARTIFACTS.mkdir(exist_ok=True)
    AuthorFactory(name="Otto Other", slug="otto-other", user=other_reporter)
    article = ArticleFactory(published=True, title="Storm reaches the coast")
    change = f"{live_server.url}/admin/articles/article/{article.pk}/change/"

    desk = signed_in_page(browser, live_server.url, editor)
    problems = watch_console(desk)
    desk.goto(change)
    desk.get_by_role("button", name="Turn into live coverage").click()
    desk.wait_for_selector("[data-live-composer]")
    assert "LIVE" in desk.locator("#nr-live-title").inner_text()
    assert Article.objects.get(pk=article.pk).is_live

    rita = signed_in_page(browser, live_server.url, reporter)
    otto = signed_in_page(browser, live_server.url, other_reporter)
    for page in (rita, otto):
        problems += watch_console(page)
        page.goto(change)
        page.wait_for_selector("[data-live-composer]")
        page.evaluate("window.notReloaded = true")

    # Rita posts with Ctrl+Enter; Otto's open page shows it and warns him.
    rita.fill("#nr-live-entry-title", "Landfall")
    rita.fill("#nr-live-entry-body", "The storm reached the coast at 9.\n\nWinds of 150 km/h.")
    rita.press("#nr-live-entry-body", "Control+Enter")
    entry_item(rita, "Landfall").wait_for()
    assert "Posted at" in rita.locator("[data-live-status]").inner_text()
    assert rita.locator("#nr-live-entry-body").input_value() == ""  # ready for the next one
    landfall = Entry.objects.get(title="Landfall")
    assert landfall.body == "<p>The storm reached the coast at 9.</p><p>Winds of 150 km/h.</p>"
    assert [a.name for a in landfall.authors.all()] == ["Rita Reporter"]

    warning = otto.locator("[data-live-warning]")
    warning.wait_for(state="visible", timeout=WAIT_MS)
    assert "Rita Reporter just posted an update" in warning.inner_text()
    assert entry_item(otto, "Landfall").count() == 1
    assert rita.locator("[data-live-warning]").is_hidden()  # her own post warns nobody

    otto.fill("#nr-live-entry-body", "Ferries are cancelled until tomorrow.")
    otto.get_by_role("button", name="Post update").click()
    entry_item(otto, "Ferries are cancelled").wait_for()
    assert otto.locator("[data-live-warning]").is_hidden()
    rita.locator("[data-live-warning]").wait_for(state="visible", timeout=WAIT_MS)
    assert "Otto Other just posted" in rita.locator("[data-live-warning]").inner_text()

    # Each reporter may change their own update only.
    ferries = entry_item(rita, "Ferries are cancelled")
    assert ferries.get_by_role("button", name="Edit").count() == 0
    assert ferries.get_by_role("button", name="Delete").count() == 0
    mine = item_of(rita, landfall)
    mine.get_by_role("button", name="Edit").click()
    mine.locator("textarea[name=body]").fill("The storm reached the coast at 9:10.")
    mine.get_by_role("button", name="Save changes").click()
    entry_item(rita, "at 9:10.").wait_for()
    assert "edited by Rita Reporter" in entry_item(rita, "at 9:10.").inner_text()
    landfall.refresh_from_db()
    assert landfall.version == 2 and landfall.body == "<p>The storm reached the coast at 9:10.</p>"

    # An edit based on the version Otto opened, after the editor changed it: refused, named.
    ferries_entry = Entry.objects.get(body__contains="Ferries")
    theirs = item_of(otto, ferries_entry)
    theirs.get_by_role("button", name="Edit").click()
    theirs.locator("textarea[name=body]").fill("Ferries run again.")
    desk.reload()
    desk_item = item_of(desk, ferries_entry)
    desk_item.get_by_role("button", name="Edit").click()  # editors edit any update
    desk_item.locator("input[name=title]").fill("Ferries")
    desk_item.get_by_role("button", name="Save changes").click()
    entry_item(desk, "edited by Edna Editor").wait_for()
    theirs.get_by_role("button", name="Save changes").click()
    refusal = theirs.locator(".nr-live-note")
    refusal.wait_for(state="visible")
    refusal.get_by_text("Edna Editor changed this entry").wait_for()
    assert Entry.objects.get(title="Ferries").body == "<p>Ferries are cancelled until tomorrow.</p>"
    theirs.get_by_role("button", name="Cancel").click()

    # Rita deletes an update of hers; both pages lose it.
    rita.fill("#nr-live-entry-body", "Typo, ignore.")
    rita.get_by_role("button", name="Post update").click()
    typo = entry_item(rita, "Typo, ignore.")
    typo.wait_for()
    entry_item(otto, "Typo, ignore.").wait_for(timeout=WAIT_MS)
    typo.get_by_role("button", name="Delete").click()
    typo.get_by_role("button", name="Yes, delete").click()
    typo.wait_for(state="detached")
    assert not Entry.objects.filter(body__contains="Typo").exists()
    entry_item(otto, "Typo, ignore.").wait_for(state="detached", timeout=WAIT_MS)

    # The editor posts a key event and sends it as a breaking-news alert.
    desk.fill("#nr-live-entry-title", "Evacuation ordered")
    desk.fill("#nr-live-entry-body", "The coast road is being evacuated.")
    desk.check("input[name=is_key_event]")
    desk.select_option("#nr-live-entry-authors", label="Rita Reporter")  # signed by her
    desk.get_by_role("button", name="Post update").click()
    key = entry_item(desk, "Evacuation ordered")
    key.wait_for()
    assert "Rita Reporter (posted by Edna Editor)" in key.inner_text()
    evacuation = Entry.objects.get(title="Evacuation ordered")
    assert [a.name for a in evacuation.authors.all()] == ["Rita Reporter"]
    # Signed by her, it is hers to correct too.
    item_of(rita, evacuation).get_by_role("button", name="Edit").wait_for(timeout=WAIT_MS)
    assert (
        entry_item(rita, "Landfall")
        .get_by_role("button", name="Send as breaking-news alert")
        .count()
        == 0
    )
    key.get_by_role("button", name="Send as breaking-news alert").click()
    key.get_by_role("button", name="Send alert").click()
    key.get_by_text("Sent as a breaking-news alert").wait_for()
    edition = Edition.objects.get(list=breaking)
    assert edition.subject == "Breaking: Evacuation ordered"

    desk.screenshot(path=str(ARTIFACTS / "live-desk.png"), full_page=True)
    assert rita.evaluate("window.notReloaded") and otto.evaluate("window.notReloaded")
    assert problems == []
