"""Fixed-window rate limits: counted in the cache, in PostgreSQL while the cache is down, keys
that never name anyone, IPv6 counted per /64, Retry-After computed from the window."""

import logging
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction

from core import ratelimit
from core.clients import client_network
from core.errors import RateLimited
from core.models import RateLimitCounter
from core.ratelimit import Limit, parse_limits, store, windows
from core.tasks import ratelimit_prune_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_tried_first():
    windows.cache_health.reset()
    yield
    windows.cache_health.reset()


def test_limits_parse_from_the_environment_form_and_pairs():
    assert parse_limits(["5/60", (30, 3600), Limit(1, 1)]) == (
        Limit(5, 60),
        Limit(30, 3600),
        Limit(1, 1),
    )
    for bad in ["5", "0/60", "5/0", "five/60", (1,)]:
        with pytest.raises(ValueError, match="bad rate limit"):
            Limit.parse(bad)


def test_a_window_refuses_past_its_limit_and_forgets_once_over():
    now = 1_000_000.0  # a window of 2 s starts here
    assert ratelimit.hit("test", "someone", ["2/2"], now=now).allowed
    assert ratelimit.hit("test", "someone", ["2/2"], now=now + 0.5).allowed
    refused = ratelimit.hit("test", "someone", ["2/2"], now=now + 0.5)
    assert refused == ratelimit.Verdict(allowed=False, retry_after=2)
    assert ratelimit.hit("test", "someone", ["2/2"], now=now + 2).allowed
    # Another identity and another scope count apart.
    assert ratelimit.hit("test", "someone else", ["2/2"], now=now + 0.5).allowed
    assert ratelimit.hit("other", "someone", ["2/2"], now=now + 0.5).allowed


def test_retry_after_is_the_longest_wait_among_the_windows_over_their_limit():
    now = 7200.0 + 600  # ten minutes into an hour, on a minute boundary
    limits = ["100/60", "2/3600"]
    ratelimit.hit("test", "x", limits, now=now)
    ratelimit.hit("test", "x", limits, now=now)
    verdict = ratelimit.hit("test", "x", limits, now=now)
    assert not verdict.allowed
    assert verdict.retry_after == 3000 + 1  # until the hour's window ends


def test_enforce_raises_rate_limited_with_the_wait_in_its_message():
    ratelimit.enforce("test", "x", ["1/60"], now=60.0)
    with pytest.raises(RateLimited) as refused:
        ratelimit.enforce("test", "x", ["1/60"], message="Slow down: wait {wait}.", now=60.0)
    assert refused.value.status == 429
    assert refused.value.retry_after == 61
    assert refused.value.message == "Slow down: wait 61 seconds."
    # No identity (no address known): nothing to count.
    for _ in range(3):
        ratelimit.enforce("test", "", ["1/60"], now=60.0)


def test_ipv6_addresses_of_one_64_network_share_a_limit():
    first, same_network = "2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff"
    assert client_network(first) == client_network(same_network) == "2001:db8:1:2::/64"
    assert client_network("2001:db8:1:3::1") != client_network(first)
    assert client_network("::ffff:192.0.2.7") == "192.0.2.7"
    assert client_network("192.0.2.7") == "192.0.2.7"
    assert client_network("not an address") == client_network(None) == ""

    ratelimit.enforce("signup", client_network(first), ["1/3600"])
    with pytest.raises(RateLimited):
        ratelimit.enforce("signup", client_network(same_network), ["1/3600"])
    ratelimit.enforce("signup", client_network("2001:db8:1:3::1"), ["1/3600"])


def test_count_totals_a_window_for_surge_guards():
    assert [ratelimit.count("surge", "article-1", 600, now=6000.0) for _ in range(3)] == [1, 2, 3]
    assert ratelimit.count("surge", "article-1", 600, now=6600.0) == 1


@pytest.mark.redis
def test_keys_in_redis_expire_with_their_window_and_never_name_the_client(redis_required):
    ratelimit.hit("signup", "private.person@example.org", ["3/3600"])
    ratelimit.hit("signup", "203.0.113.10", ["3/3600"])
    client = redis.Redis.from_url(settings.REDIS_URL)
    keys = [key.decode() for key in client.keys("*rl:signup:*")]
    assert len(keys) == 2
    for key in keys:
        assert "private.person" not in key and "203.0.113.10" not in key
        assert 0 < client.ttl(key) <= 3601
    assert not RateLimitCounter.objects.exists()  # the cache counted, not the database


@pytest.mark.redis
def test_redis_counters_are_atomic_under_concurrency(redis_required):
    assert type(caches["default"]).__name__ == "RedisCache"

    def attempt(_):
        return ratelimit.hit("race", "one-identity", ["10/60"]).allowed

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(attempt, range(60)))
    assert results.count(True) == 10


# ---------------------------------------------------------------------------
# The database: the counters while the cache is down
# ---------------------------------------------------------------------------
def test_the_database_store_counts_every_window_of_a_hit_in_one_statement(
    django_assert_num_queries,
):
    end = time.time() + 60
    with django_assert_num_queries(3):  # savepoint, the upsert, release
        assert store.increment([("b", end), ("a", end + 3540)]) == [1, 1]
    assert store.increment([("b", end), ("a", end + 3540)]) == [2, 2]
    assert store.increment([("a", end + 3540)]) == [3]
    rows = dict(RateLimitCounter.objects.values_list("key", "hits"))
    assert rows == {"a": 3, "b": 2}


def test_a_database_count_inside_a_transaction_leaves_it_usable():
    with transaction.atomic():
        store.increment([("k", time.time() + 60)])
        assert RateLimitCounter.objects.get(key="k").hits == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_counts_concurrent_hits_exactly(postgres_required):
    end = time.time() + 60

    def attempt(_):
        try:
            return store.increment([("shared", end), ("other", end)])
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(attempt, range(60)))
    assert sorted(total for total, _ in results) == list(range(1, 61))
    assert RateLimitCounter.objects.get(key="shared").hits == 60


def test_the_prune_task_forgets_windows_that_are_over():
    now = time.time()
    store.increment([("over", now - 5), ("current", now + 60)])
    assert ratelimit_prune_task.run() == 1
    assert list(RateLimitCounter.objects.values_list("key", flat=True)) == ["current"]
    assert settings.CELERY_BEAT_SCHEDULE["core-ratelimit-prune"]["task"] == "core.ratelimit_prune"


# ---------------------------------------------------------------------------
# Redis going away under the running code (a server of the test's own)
# ---------------------------------------------------------------------------
@pytest.mark.redis
@pytest.mark.slow
def test_limits_keep_holding_in_the_database_when_redis_stops(cache_on_own_redis, caplog):
    server = cache_on_own_redis
    limits = ["3/3600"]
    assert ratelimit.hit("post", "reader", limits).allowed
    assert ratelimit.hit("post", "reader", limits).allowed
    assert not RateLimitCounter.objects.exists()

    server.stop()
    with caplog.at_level(logging.WARNING, logger="core.ratelimit.windows"):
        verdicts = [ratelimit.hit("post", "reader", limits) for _ in range(4)]
    assert [v.allowed for v in verdicts] == [True, True, True, False]
    assert 0 < verdicts[-1].retry_after <= 3601
    assert RateLimitCounter.objects.get().hits == 4
    # One warning for the outage, not one per request.
    warnings = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(warnings) == 1

    with pytest.raises(RateLimited):
        ratelimit.enforce("post", "reader", limits)


@pytest.mark.redis
@pytest.mark.slow
def test_a_paused_redis_costs_one_timeout_then_the_database_counts(cache_on_own_redis):
    server = cache_on_own_redis
    assert ratelimit.hit("post", "reader", ["2/60"]).allowed  # connected, counted in Redis
    server.pause()
    try:
        started = time.monotonic()
        first = ratelimit.hit("post", "reader", ["2/60"])
        first_took = time.monotonic() - started
        started = time.monotonic()
        second = ratelimit.hit("post", "reader", ["2/60"])
        second_took = time.monotonic() - started
        third = ratelimit.hit("post", "reader", ["2/60"])
    finally:
        server.resume()
    assert first.allowed and second.allowed and not third.allowed
    assert first_took < settings.REDIS_SOCKET_TIMEOUT * 4
    assert second_took < 0.2  # the cache is left alone for a while after a failure
    assert RateLimitCounter.objects.get().hits == 3


@pytest.mark.redis
@pytest.mark.slow
def test_counting_returns_to_redis_once_it_is_back(cache_on_own_redis, monkeypatch, settings):
    server = cache_on_own_redis
    monkeypatch.setattr(windows, "CACHE_RETRY_SECONDS", 0.0)
    settings.REDIS_RETRY_SECONDS = 0  # the cache backend's own breaker (newsroom/cache.py)
    server.stop()
    assert ratelimit.hit("post", "reader", ["5/60"]).allowed
    assert RateLimitCounter.objects.get().hits == 1
    server.start()
    assert ratelimit.hit("post", "reader", ["5/60"]).allowed
    assert RateLimitCounter.objects.get().hits == 1  # counted in Redis again
    client = redis.Redis.from_url(server.url)
    assert client.keys("*rl:post:*")
    client.close()
