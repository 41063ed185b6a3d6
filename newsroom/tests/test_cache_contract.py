"""What newsroom/cache.py relies on in Django's Redis cache backend beyond its public API.

The backend keeps one redis.Redis client per connection pool and process instead of Django's
new client per call (docs/performance.md, "Library internals"). Django has no public hook for
that, so it replaces the client class a backend builds (``RedisCache._class``) and asks it
which pool a call uses (``_get_connection_pool_index``). These tests fail on the Django upgrade
that changes either, before the site does; then check newsroom/cache.py against the new backend
and move the version below.
"""

import inspect

import django
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

from newsroom.cache import RedisCache, ReusingRedisCacheClient

CHECKED_WITH = (5, 2)
SERVERS = "redis://127.0.0.1:1/0,redis://127.0.0.1:2/0"  # never connected to


def test_django_is_the_version_the_cache_backend_was_checked_with():
    assert django.VERSION[:2] == CHECKED_WITH, (
        f"Django {django.get_version()}: check newsroom/cache.py against the new Redis cache "
        f"backend (see this module's docstring), then set CHECKED_WITH"
    )


def test_a_backend_still_builds_its_client_from_its_class_attribute():
    assert DjangoRedisCache(SERVERS, {})._class is RedisCacheClient
    ours = RedisCache(SERVERS, {})
    assert isinstance(ours._cache, ReusingRedisCacheClient)


def test_the_client_still_chooses_a_pool_by_index_and_hands_out_clients_by_write():
    parameters = inspect.signature(RedisCacheClient.get_client).parameters
    assert list(parameters) == ["self", "key", "write"]
    assert parameters["write"].kind is inspect.Parameter.KEYWORD_ONLY
    client = RedisCache(SERVERS, {})._cache
    assert client._get_connection_pool_index(write=True) == 0  # writes go to the first server
    assert client._get_connection_pool_index(write=False) == 1  # reads to a replica


def test_one_client_per_pool_and_the_breaker_names_every_server():
    backend = RedisCache(SERVERS, {})
    client = backend._cache
    assert client.get_client(write=True) is client.get_client(write=True)
    assert client.get_client(write=False) is not client.get_client(write=True)
    assert backend.breaker.server == SERVERS
