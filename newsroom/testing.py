"""
Test-run environment, loaded by pytest (``-p newsroom.testing``) before Django settings.

Tests run with DEBUG off, as production does, so the settings need a secret key; plain HTTP is
served by the test client, so the HTTPS redirect is off. Everything else comes from the
environment exactly as in production.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("CACHE_KEY_PREFIX", "newsroom-test")
# Keep test traffic apart from a development instance running on the same machine.
os.environ.setdefault("CELERY_QUEUE", "newsroom-test")
os.environ.setdefault(
    "CELERY_BROKER_DIR", str(Path(__file__).resolve().parent.parent / "var" / "test-broker")
)
os.environ.setdefault(
    "CACHE_DIR", str(Path(__file__).resolve().parent.parent / "var" / "test-cache")
)

# Parallel runs (`make test` runs pytest -n): each test process gets its own Redis database
# (cache.clear() flushes a whole database), its own queues and its own local broker and cache
# folders; pytest-django already gives each its own test database.
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _xdist_worker.startswith("gw"):
    _index = int(_xdist_worker[2:])
    for _name in ("REDIS_URL", "CELERY_BROKER_URL"):
        _url = os.environ.get(_name, "")
        if _url.startswith(("redis://", "rediss://")):
            _parts = urlsplit(_url)
            _db = int(_parts.path.strip("/") or 0) + 1 + _index
            if _db > 15:  # Redis has databases 0-15 unless configured otherwise
                raise RuntimeError(
                    f"{_name} has no Redis database left for test process {_xdist_worker}: "
                    "run fewer test processes (TEST_PROCESSES=N make test)"
                )
            os.environ[_name] = urlunsplit(_parts._replace(path=f"/{_db}"))
    os.environ["CELERY_QUEUE"] += f"-{_xdist_worker}"
    os.environ["CELERY_BROKER_DIR"] += f"-{_xdist_worker}"
    os.environ["CACHE_DIR"] += f"-{_xdist_worker}"
