"""Pacing: one rate for every process together (a token bucket in Redis), a local bucket without
Redis or once it fails."""

import pytest

from core.ratelimit import LocalBucket, NoLimit, Pacer, RedisBucket, pacer


def test_the_local_bucket_grants_its_burst_then_asks_to_wait():
    bucket = LocalBucket(rate=10, burst=5)

    assert bucket.take(3) == (3, 0.0)
    granted, wait = bucket.take(5)
    assert granted == 2
    granted, wait = bucket.take(1)
    assert granted == 0
    assert 0 < wait <= 0.1


@pytest.mark.redis
def test_the_redis_bucket_is_shared_by_every_process(redis_required, settings):
    first = RedisBucket(settings.REDIS_URL, name="test:send-rate", rate=10, burst=5)
    second = RedisBucket(settings.REDIS_URL, name="test:send-rate", rate=10, burst=5)
    first.client.delete(first.key)

    assert first.take(4)[0] == 4
    assert second.take(4)[0] == 1
    granted, wait = first.take(1)
    assert granted == 0
    assert 0 < wait <= 0.1
    first.client.delete(first.key)


def test_the_pacer_falls_back_to_a_local_bucket_when_redis_is_down():
    limiter = Pacer(1000, name="test:send-rate", redis_url="redis://127.0.0.1:1/0")

    limiter.acquire()

    assert limiter.remote is None


def test_a_rate_of_zero_paces_nothing(settings):
    assert isinstance(pacer(0, name="x"), NoLimit)
    settings.REDIS_URL = ""
    paced = pacer(5, name="x")
    assert isinstance(paced, Pacer) and paced.remote is None
