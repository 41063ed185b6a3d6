"""The make targets the README names exist and do what it says; its links lead to docs that
exist. (Its wording is free to change.)"""

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


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("127.0.0.1", "8080", "http://127.0.0.1:8080"),
        ("0.0.0.0", "8080", "http://localhost:8080"),  # noqa: S104 - what a reader may type
        ("::1", "8001", "http://[::1]:8001"),
    ],
)
def test_make_run_gives_every_process_the_address_it_listens_on(tmp_path, host, port, url):
    """`PORT=8080 make run`: links in pages and mails follow the port (honcho gives each process
    a PORT of its own, so the address travels as DEV_SITE_URL)."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    for tool in ("python", "honcho"):
        stub = venv / "bin" / tool
        stub.write_text('#!/bin/sh\necho "$(basename "$0") DEV_SITE_URL=$DEV_SITE_URL"\n')
        stub.chmod(0o755)
    (venv / ".installed").touch()  # newer than the requirements: nothing to install

    result = make("run", f"VENV={venv}", f"HOST={host}", f"PORT={port}")

    assert result.returncode == 0, result.stderr
    assert f"honcho DEV_SITE_URL={url}\n" in result.stdout
    assert f"Site:   {url}/" in result.stdout
    assert f"Mail:   {url}/dev/mail/" in result.stdout


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
