"""The README's promise: two commands at the top, and the make targets it names exist."""

import re
import subprocess
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
README = (BASE_DIR / "README.md").read_text()


def make(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_readme_opens_with_make_run_and_make_test():
    top = "\n".join(README.splitlines()[:20])

    assert "make run" in top
    assert "make test" in top
    # The first code block a newcomer sees is exactly those two commands.
    first_block = re.search(r"```\w*\n(.*?)```", README, re.DOTALL).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()]
    assert [c for c in commands if c] == ["make run", "make test"]


def test_readme_says_what_make_run_prints():
    for text in ("/admin/", "/api/v1/", "/healthz", "admin", "newsroom-demo"):
        assert text in README


@pytest.mark.parametrize("target", ["run", "test", "lint", "bench", "help", "format", "clean"])
def test_makefile_target_exists(target):
    result = make("-n", target)

    assert result.returncode == 0, result.stderr
    assert "No rule to make target" not in result.stderr


def test_make_run_starts_web_worker_and_beat_after_migrating_and_seeding():
    commands = make("-n", "run").stdout

    migrate = commands.index("manage.py migrate")
    seed = commands.index("manage.py seed_demo")
    honcho = commands.index("honcho start -f Procfile")
    assert migrate < seed < honcho
    procfile = (BASE_DIR / "Procfile").read_text()
    for process in ("web:", "worker:", "beat:"):
        assert process in procfile


def test_make_test_runs_pytest_and_says_which_services():
    commands = make("-n", "test").stdout

    assert "-m pytest" in commands
    assert "Testing against database" in commands


def test_make_lint_runs_ruff_check_and_format_check():
    commands = make("-n", "lint").stdout

    assert "ruff check" in commands
    assert "ruff format --check" in commands


def test_make_help_lists_the_targets():
    result = make("help")

    assert result.returncode == 0
    for target in ("run", "test", "lint", "bench", "help"):
        assert re.search(rf"make {target}\b", result.stdout), target


def test_readme_links_to_the_docs_that_exist():
    for link in re.findall(r"\]\((docs/[^)#]+)", README):
        assert (BASE_DIR / link).is_file(), link
