"""The site with the test views at its root, for tests that run it under gunicorn."""

import os

import django
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()
settings.ROOT_URLCONF = "edgecache.tests.views"

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
