"""Comment and report rate limits against the real Redis cache (core.ratelimit): per IP network
and per email address, with Retry-After."""

import pytest
import redis
from django.conf import settings
from django.core.cache import caches

from comments import services
from comments.tests.factories import CommentFactory
from comments.tests.helpers import post_kwargs
from core.errors import RateLimited

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


@pytest.fixture(autouse=True)
def _real_redis(redis_required):
    assert type(caches["default"]).__name__ == "RedisCache"


def test_a_sixth_post_in_a_minute_from_one_ip_is_refused_with_retry_after(article, fresh_minute):
    for n in range(5):
        services.comment_post(
            **post_kwargs(article, body=f"Point {n}", author_email=f"r{n}@example.org")
        )
    with pytest.raises(RateLimited) as exc_info:
        services.comment_post(**post_kwargs(article, body="Point 6", author_email="x@example.org"))
    assert 1 <= exc_info.value.retry_after <= 61
    assert "wait" in exc_info.value.message


def test_one_email_is_limited_across_ips(article, fresh_minute):
    for n in range(5):
        services.comment_post(**post_kwargs(article, body=f"Point {n}", ip=f"198.51.100.{n}"))
    with pytest.raises(RateLimited):
        services.comment_post(**post_kwargs(article, body="Again", ip="198.51.100.99"))


def test_the_hourly_limit_answers_with_the_longer_wait(article, settings):
    settings.COMMENTS_RATE_LIMITS = ["100/60", "3/3600"]
    for n in range(3):
        services.comment_post(**post_kwargs(article, body=f"Point {n}"))
    with pytest.raises(RateLimited) as exc_info:
        services.comment_post(**post_kwargs(article, body="Point 4"))
    assert exc_info.value.retry_after > 60


def test_moderators_are_not_rate_limited(article, moderator):
    for n in range(7):
        services.comment_post(**post_kwargs(article, body=f"Note {n}", user=moderator))


def test_counters_expire_and_never_name_the_reader(article):
    services.comment_post(**post_kwargs(article, author_email="private.person@example.org"))
    client = redis.Redis.from_url(settings.REDIS_URL)
    keys = [key.decode() for key in client.keys("*rl:*")]
    assert keys
    for key in keys:
        assert "private.person" not in key and "203.0.113.10" not in key
        assert 0 < client.ttl(key) <= 3601


def test_reports_are_rate_limited_per_ip(settings):
    settings.COMMENTS_FLAG_RATE_LIMITS = ["2/3600"]
    comments = CommentFactory.create_batch(3)
    services.comment_flag(comment=comments[0], reason="spam", ip="198.51.100.1")
    services.comment_flag(comment=comments[1], reason="spam", ip="198.51.100.1")
    with pytest.raises(RateLimited) as exc_info:
        services.comment_flag(comment=comments[2], reason="spam", ip="198.51.100.1")
    assert exc_info.value.retry_after > 0
