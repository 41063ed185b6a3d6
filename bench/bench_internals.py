"""Benchmark of the places where Newsroom weighed a library's internals against its public API
(docs/performance.md, "Library internals: kept or replaced"):

  cache get           one cache.get() of a small value: Django's RedisCache (a new redis.Redis
                      client object per call) against newsroom.cache.RedisCache (one client per
                      process and connection pool), which reaches into Django's backend for it
  cache get_many      the same for get_many() of three keys
  token signing       one newsletter link token: Django's Signer, made once per sender (what
                      the fan-out uses) and made per token, against an HMAC with the derived
                      key computed by hand once (what the fan-out did before)

CPU time of this process per call, the best of several rounds, with the variants interleaved
so that a busy machine slows them alike. Needs Redis (REDIS_URL; the database is not used).

    make bench BENCH=internals
"""

import hashlib
import hmac
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = int(os.environ.get("BENCH_INTERNALS_ROUNDS", "7"))
CALLS = int(os.environ.get("BENCH_INTERNALS_CALLS", "5000"))

os.environ.update(
    {
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
)
sys.path.insert(0, str(ROOT))


def per_call_us(variants: dict) -> dict:
    """Best CPU microseconds per call of each variant over the rounds, interleaved."""
    best = dict.fromkeys(variants, float("inf"))
    for _ in range(ROUNDS):
        for name, call in variants.items():
            start = time.process_time()
            for _ in range(CALLS):
                call()
            best[name] = min(best[name], (time.process_time() - start) / CALLS * 1e6)
    return best


def main() -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core import signing
    from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

    from newsletter.tokens import UNSUBSCRIBE_SALT, token_signer
    from newsroom.cache import RedisCache

    location = os.environ["REDIS_URL"]
    params = {"KEY_PREFIX": "bench-internals", "OPTIONS": settings.CACHES["default"]["OPTIONS"]}
    django_cache, our_cache = DjangoRedisCache(location, params), RedisCache(location, params)
    our_cache.set_many({"a": {"id": 1}, "b": "two", "c": 3})
    rows = []

    found = per_call_us(
        {
            "Django's RedisCache": lambda: django_cache.get("a"),
            "newsroom": lambda: our_cache.get("a"),
        }
    )
    rows.append(("cache get", found))
    found = per_call_us(
        {
            "Django's RedisCache": lambda: django_cache.get_many(["a", "b", "c"]),
            "newsroom": lambda: our_cache.get_many(["a", "b", "c"]),
        }
    )
    rows.append(("cache get_many", found))

    once = token_signer(UNSUBSCRIBE_SALT)
    key = hashlib.sha256(f"{UNSUBSCRIBE_SALT}signer{settings.SECRET_KEY}".encode()).digest()

    def by_hand():
        mac = hmac.new(key, b"123456.3-4", hashlib.sha256).digest()
        return f"123456.3-4:{signing.b64_encode(mac).decode()}"

    assert by_hand() == once.sign("123456.3-4")
    found = per_call_us(
        {
            "Signer once per sender": lambda: once.sign("123456.3-4"),
            "Signer per token": lambda: token_signer(UNSUBSCRIBE_SALT).sign("123456.3-4"),
            "key derived by hand": by_hand,
        }
    )
    rows.append(("token signing", found))

    print(f"{'measure':16} {'variant':26} {'CPU µs/call':>12}")
    for measure, found in rows:
        for variant, micros in found.items():
            print(f"{measure:16} {variant:26} {micros:12.1f}")
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
