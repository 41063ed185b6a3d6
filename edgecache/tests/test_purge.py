"""Purges go through the outbox: recorded with the change, run by the worker against every
configured cache, retried with backoff when a cache does not take them."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from edgecache import purge
from edgecache.services import TOPIC
from edgecache.store import store
from outbox.models import Event
from outbox.services import Outcome, event_process

pytestmark = pytest.mark.django_db


def ok(request):
    return 200, {}, "Purged 1"


@pytest.fixture
def varnish(settings, fake_server):
    server = fake_server(ok)
    settings.EDGECACHE_PURGERS = ["origin", "varnish"]
    settings.EDGECACHE_VARNISH_URLS = [server.url]
    return server


def test_a_purge_is_one_outbox_event_recorded_with_the_change(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        purge(["article:1", "home", "article:1"], paths=["/a/"])
        purge([], paths=[])  # nothing to purge: nothing recorded
    event = Event.objects.get(topic=TOPIC)
    assert event.payload == {"keys": ["article:1", "home"], "paths": ["/a/"], "hard": False}
    # The origin drop first, then the worker's wake-up.
    assert len(callbacks) == 2


def test_bad_keys_and_paths_are_refused():
    for keys in (["Article:1"], ["a b"], ["x" * 101], "home", [""]):
        with pytest.raises((ValueError, TypeError)):
            purge(keys)
    with pytest.raises(ValueError):
        purge([], paths=["no-slash"])
    assert not Event.objects.exists()


def test_the_worker_purges_every_configured_cache_in_order(varnish, settings):
    purge(["article:1"])
    event = Event.objects.get(topic=TOPIC)
    assert event_process(event_id=event.pk) == Outcome.PROCESSED
    (request,) = varnish.requests
    assert (request.method, request.path) == ("PURGE", "/")
    assert request.headers["xkey-softpurge"] == "article:1"


def test_a_hard_purge_is_hard_at_varnish(varnish):
    purge(["article:1"], hard=True)
    event_process(event_id=Event.objects.get().pk)
    assert varnish.requests[0].headers["xkey-purge"] == "article:1"
    assert "xkey-softpurge" not in varnish.requests[0].headers


def test_a_cache_that_is_down_never_blocks_the_change_and_is_retried(varnish, settings):
    varnish.stop()
    with transaction.atomic():
        purge(["article:1"])
    first = Event.objects.get()
    # The origin took it; Varnish is retried by an event of its own.
    assert event_process(event_id=first.pk) == Outcome.PROCESSED
    retry = Event.objects.exclude(pk=first.pk).get()
    assert retry.payload["purgers"] == ["varnish"]
    Event.objects.filter(pk=retry.pk).update(available_at=timezone.now())
    assert event_process(event_id=retry.pk) == Outcome.RETRYING
    retry.refresh_from_db()
    assert retry.state == "retrying" and "varnish" in retry.last_error
    assert retry.available_at > timezone.now()


def test_a_rate_limited_purge_waits_as_long_as_the_cache_asked(varnish, settings):
    settings.EDGECACHE_PURGERS = ["varnish"]
    varnish.script.append((429, {"Retry-After": "600"}, "slow down"))
    purge(["article:1"])
    event = Event.objects.get()
    before = timezone.now()
    assert event_process(event_id=event.pk) == Outcome.RETRYING
    event.refresh_from_db()
    assert event.available_at >= before + timedelta(seconds=600)
    assert "429" in event.last_error


def test_when_some_caches_fail_only_those_are_retried(varnish, settings, fake_server):
    fastly = fake_server(lambda r: (503, {}, "unavailable"))
    settings.EDGECACHE_PURGERS = ["origin", "varnish", "fastly"]
    settings.EDGECACHE_FASTLY_API_URL = fastly.url
    settings.EDGECACHE_FASTLY_SERVICE_ID = "svc"
    settings.EDGECACHE_FASTLY_API_TOKEN = "token"
    purge(["article:1"])
    first = Event.objects.get()
    assert event_process(event_id=first.pk) == Outcome.PROCESSED
    retry = Event.objects.exclude(pk=first.pk).get()
    assert retry.payload["purgers"] == ["fastly"] and retry.payload["retry_of"] == first.pk
    assert retry.available_at > timezone.now()
    assert len(varnish.requests) == 1

    fastly.answer = lambda r: (200, {}, {"article:1": "purge-id"})
    Event.objects.filter(pk=retry.pk).update(available_at=timezone.now())
    assert event_process(event_id=retry.pk) == Outcome.PROCESSED
    assert len(varnish.requests) == 1 and len(fastly.requests) == 2


def test_the_origin_is_purged_right_after_commit_and_the_worker_does_not_repeat_it(
    client, pages, django_capture_on_commit_callbacks
):
    client.get("/page/a/")
    with django_capture_on_commit_callbacks(execute=True):
        purge(["page:a"])
    client.get("/page/a/")
    assert pages.renders["a"] == 2
    event_process(event_id=Event.objects.get().pk)
    assert client.get("/page/a/")["X-Origin-Cache"] == "hit"


def test_the_worker_purges_the_origin_when_the_web_process_could_not(
    client, pages, django_capture_on_commit_callbacks
):
    client.get("/page/a/")
    with django_capture_on_commit_callbacks(execute=False):
        purge(["page:a"])  # the commit's callbacks never ran (the process died, say)
    assert client.get("/page/a/")["X-Origin-Cache"] == "hit"
    assert event_process(event_id=Event.objects.get().pk) == Outcome.PROCESSED
    assert client.get("/page/a/")["X-Origin-Cache"] == "miss"


def test_the_origin_purger_fails_and_retries_while_its_cache_is_down(settings):
    settings.CACHES = {
        **settings.CACHES,
        "unreachable": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        },
    }
    settings.EDGECACHE_CACHE = "unreachable"
    purge(["page:a"])  # the change commits; the origin drop fails quietly
    event = Event.objects.get()
    assert event_process(event_id=event.pk) == Outcome.RETRYING
    event.refresh_from_db()
    assert "origin" in event.last_error
    store.reset()
