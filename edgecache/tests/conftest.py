import pytest

from edgecache.tests import views


@pytest.fixture
def pages(settings):
    """The test views at the site root, fresh counters and state."""
    settings.ROOT_URLCONF = "edgecache.tests.views"
    views.reset()
    yield views
    views.reset()


@pytest.fixture(params=["default", "file"])
def origin_store(request, settings, tmp_path):
    """The origin cache on the configured cache (Redis in CI) and on the file cache of
    `make run`."""
    if request.param == "file":
        settings.CACHES = {
            **settings.CACHES,
            "edge-file": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path / "cache"),
                "KEY_PREFIX": "newsroom-file",
            },
        }
        settings.EDGECACHE_CACHE = "edge-file"
    return request.param


@pytest.fixture
def fake_server():
    """Start local fake APIs: ``fake_server(answer)``; stopped after the test."""
    from edgecache.tests.fakes import FakeServer

    started = []

    def start(answer):
        server = FakeServer(answer=answer).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def test_site_server(tmp_path):
    """Start gunicorn serving the test views: ``test_site_server(port, *gunicorn_args, **env)``;
    stopped after the test (or earlier with ``.stop()``)."""
    from conftest import gunicorn

    started = []

    def start(port: int, *args: str, **env: str):
        server = gunicorn("edgecache.tests.wsgi_app", port, *args, static_root=tmp_path, **env)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
