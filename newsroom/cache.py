"""The Redis cache backend, minus a cost of Django's: a new redis.Redis client object is built
for every cache call (a few hundred attributes set each time, half the cost of a small GET).
Here each process keeps one client per connection pool; redis-py clients are thread-safe and
the pools are Django's own, so behaviour is otherwise unchanged."""

import os

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, tuple[int, object]] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        pid = os.getpid()
        entry = self._clients.get(index)
        if entry is None or entry[0] != pid:  # none yet, or inherited across a fork
            entry = self._clients[index] = (pid, super().get_client(key, write=write))
        return entry[1]


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
