"""docs/configuration.md lists every variable the settings and the process launcher read."""

import ast
import re
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
CONFIGURATION = (BASE_DIR / "docs" / "configuration.md").read_text()


def env_vars_read_by_settings() -> set[str]:
    """Names passed to env(...), env.str(...), env.db(...) and the like in settings.py."""
    tree = ast.parse((BASE_DIR / "newsroom" / "settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
        ):
            continue
        func = node.func
        reads_env = (isinstance(func, ast.Name) and func.id == "env") or (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "env"
        )
        if reads_env and isinstance(node.args[0].value, str):
            names.add(node.args[0].value)
    return names


def env_vars_read_by_launcher() -> set[str]:
    return set(re.findall(r"\$\{([A-Z_]+)", (BASE_DIR / "bin" / "newsroom").read_text()))


def env_vars_set_for_tests() -> set[str]:
    source = (BASE_DIR / "newsroom" / "testing.py").read_text()
    return set(re.findall(r'setdefault\(\s*"([A-Z_]+)"', source))


def documented() -> set[str]:
    return set(re.findall(r"`([A-Z][A-Z0-9_]+)`", CONFIGURATION))


def test_settings_reads_the_variables_this_test_expects():
    # Guards the parser above: if it found nothing, the next test could not fail.
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "EMAIL_URL"} <= env_vars_read_by_settings()


def test_every_settings_variable_is_documented():
    missing = env_vars_read_by_settings() - documented()
    assert not missing, f"add these to docs/configuration.md: {sorted(missing)}"


def test_every_process_and_test_variable_is_documented():
    missing = (env_vars_read_by_launcher() | env_vars_set_for_tests()) - documented()
    assert not missing, f"add these to docs/configuration.md: {sorted(missing)}"
