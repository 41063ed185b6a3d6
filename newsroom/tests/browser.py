"""What the browser tests share: Debian's Chromium driven by Playwright (its own browser
download does not work here), where screenshots go, and a watch on the console."""

from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"  # git-ignored


def watch_console(page) -> list[str]:
    """Collect the page's console errors and warnings, Content Security Policy reports and
    uncaught exceptions; a test asserts the list stays empty."""
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console {msg.type}: {msg.text}")
            if msg.type in ("error", "warning") or "Content Security Policy" in msg.text
            else None
        ),
    )
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    return problems


def signed_in_page(browser, base_url: str, user, **context_options):
    """A page in a new browser context with ``user`` signed in (a session made by Django's
    test client, its cookie handed to the browser): staff in several browsers at once."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = browser.new_context(**context_options)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
    return context.new_page()
