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
