"""
Test-run environment, loaded by pytest (``-p newsroom.testing``) before Django settings.

Tests run with DEBUG off, as production does, so the settings need a secret key; plain HTTP is
served by the test client, so the HTTPS redirect is off. Everything else comes from the
environment exactly as in production.
"""

import os
from pathlib import Path

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
