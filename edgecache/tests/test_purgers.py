"""Each remote purger against a local server speaking that cache's documented purge API: the
request it sends, how it batches, and what it does with errors and rate limits."""

import re

import pytest

from edgecache.purgers import PurgeError, PurgeRequest, configured

pytestmark = pytest.mark.django_db


def request(keys=(), paths=(), hard=False, event_id=7):
    return PurgeRequest(keys=tuple(keys), paths=tuple(paths), hard=hard, event_id=event_id)


def only(settings, name):
    settings.EDGECACHE_PURGERS = [name]
    (purger,) = configured()
    return purger


# -- Varnish (deploy/varnish/default.vcl) ----------------------------------------------
def test_varnish_soft_purges_every_host_in_header_sized_batches(settings, fake_server):
    hosts = [fake_server(lambda r: (200, {}, "Purged")) for _ in range(2)]
    settings.EDGECACHE_VARNISH_URLS = [host.url for host in hosts]
    keys = [f"article:{n}" for n in range(1000)]  # about 12 kB of keys
    only(settings, "varnish").purge(request(keys))
    for host in hosts:
        sent = [r.headers["xkey-softpurge"].split(" ") for r in host.requests]
        assert {r.method for r in host.requests} == {"PURGE"}
        assert len(sent) == 2 and all(len(" ".join(batch)) <= 6000 for batch in sent)
        assert [key for batch in sent for key in batch] == keys


def test_varnish_refusing_a_purge_is_an_error_to_retry(settings, fake_server):
    host = fake_server(lambda r: (403, {}, "Forbidden"))
    settings.EDGECACHE_VARNISH_URLS = [host.url]
    with pytest.raises(PurgeError, match="403"):
        only(settings, "varnish").purge(request(["home"]))


# -- Fastly ------------------------------------------------------------------------------
@pytest.fixture
def fastly(settings, fake_server):
    api = fake_server(lambda r: (200, {}, {key: f"id-{key}" for key in r.json()["surrogate_keys"]}))
    settings.EDGECACHE_FASTLY_API_URL = api.url
    settings.EDGECACHE_FASTLY_SERVICE_ID = "SU1Z0isxPaozGVKXdv0eY"
    settings.EDGECACHE_FASTLY_API_TOKEN = "fastly-token"
    return api


def test_fastly_bulk_purges_surrogate_keys_256_at_a_time(settings, fastly):
    keys = [f"tag:{n}" for n in range(300)]
    only(settings, "fastly").purge(request(keys))
    first, second = fastly.requests
    assert (first.method, first.path) == ("POST", "/service/SU1Z0isxPaozGVKXdv0eY/purge")
    assert first.headers["Fastly-Key"] == "fastly-token"
    assert first.headers["Fastly-Soft-Purge"] == "1"
    assert first.headers["Content-Type"] == "application/json"
    assert first.json() == {"surrogate_keys": keys[:256]}
    assert second.json() == {"surrogate_keys": keys[256:]}


def test_fastly_hard_purge_and_rate_limit(settings, fastly):
    purger = only(settings, "fastly")
    purger.purge(request(["article:1"], hard=True))
    assert "Fastly-Soft-Purge" not in fastly.requests[0].headers
    import time

    reset = str(int(time.time()) + 120)
    fastly.script.append(
        (
            429,
            {"Fastly-RateLimit-Remaining": "0", "Fastly-RateLimit-Reset": reset},
            {"msg": "Too many requests"},
        )
    )
    with pytest.raises(PurgeError) as caught:
        purger.purge(request(["article:1"]))
    assert 100 <= caught.value.retry_after <= 120
    fastly.script.append((401, {}, {"msg": "Provided credentials are missing or invalid"}))
    with pytest.raises(PurgeError, match=r"401.*credentials"):
        purger.purge(request(["article:1"]))


# -- Cloudflare --------------------------------------------------------------------------
@pytest.fixture
def cloudflare(settings, fake_server):
    api = fake_server(
        lambda r: (200, {}, {"success": True, "errors": [], "messages": [], "result": {"id": "x"}})
    )
    settings.EDGECACHE_CLOUDFLARE_API_URL = api.url + "/client/v4"
    settings.EDGECACHE_CLOUDFLARE_ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353"
    settings.EDGECACHE_CLOUDFLARE_API_TOKEN = "cf-token"
    return api


def test_cloudflare_purges_cache_tags_100_at_a_time(settings, cloudflare):
    keys = [f"tag:{n}" for n in range(150)]
    only(settings, "cloudflare").purge(request(keys))
    first, second = cloudflare.requests
    assert first.method == "POST"
    assert first.path == "/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/purge_cache"
    assert first.headers["Authorization"] == "Bearer cf-token"
    assert first.json() == {"tags": keys[:100]} and second.json() == {"tags": keys[100:]}


def test_cloudflare_errors_and_rate_limits(settings, cloudflare):
    purger = only(settings, "cloudflare")
    cloudflare.script.append(
        (
            429,
            {"Retry-After": "30"},
            {"success": False, "errors": [{"code": 971, "message": "Please wait"}]},
        )
    )
    with pytest.raises(PurgeError) as caught:
        purger.purge(request(["home"]))
    assert caught.value.retry_after == 30
    cloudflare.script.append(
        (
            200,
            {},
            {
                "success": False,
                "errors": [{"code": 1134, "message": "Invalid tag"}],
                "messages": [],
                "result": None,
            },
        )
    )
    with pytest.raises(PurgeError, match="1134: Invalid tag"):
        purger.purge(request(["home"]))


# -- CloudFront --------------------------------------------------------------------------
INVALIDATION = """<?xml version="1.0" encoding="UTF-8"?>
<Invalidation xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">
  <Id>I2J0I21PCUYOIK</Id><Status>InProgress</Status><CreateTime>2026-12-05T10:00:00Z</CreateTime>
  <InvalidationBatch><Paths><Quantity>1</Quantity><Items><Path>/a/</Path></Items></Paths>
  <CallerReference>x</CallerReference></InvalidationBatch>
</Invalidation>"""

TOO_MANY = """<?xml version="1.0"?>
<ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">
  <Error><Type>Sender</Type><Code>TooManyInvalidationsInProgress</Code>
  <Message>Processing your request will cause you to exceed the maximum number of in-progress
  wildcard invalidations.</Message></Error><RequestId>abc</RequestId>
</ErrorResponse>"""


@pytest.fixture
def cloudfront(settings, fake_server, monkeypatch):
    api = fake_server(
        lambda r: (201, {"Location": "https://x/", "Content-Type": "text/xml"}, INVALIDATION)
    )
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    settings.EDGECACHE_CLOUDFRONT_ENDPOINT_URL = api.url
    settings.EDGECACHE_CLOUDFRONT_DISTRIBUTION_ID = "EDFDVBD6EXAMPLE"
    from edgecache.purgers import cloudfront as module

    module._client.cache_clear()
    yield api
    module._client.cache_clear()


def test_cloudfront_invalidates_the_paths_signed_and_in_batches(settings, cloudfront):
    paths = [f"/2026/12/05/story-{n}/" for n in range(1500)]
    only(settings, "cloudfront").purge(request(["article:1"], paths=paths, event_id=42))
    first, second = cloudfront.requests
    assert (first.method, first.path) == (
        "POST", "/2020-05-31/distribution/EDFDVBD6EXAMPLE/invalidation",
    )  # fmt: skip
    assert first.headers["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
    assert "/cloudfront/aws4_request" in first.headers["Authorization"]
    body = first.body.decode()
    assert "<Quantity>1000</Quantity>" in body
    assert body.count("<Path>") == 1000 and "<Path>/2026/12/05/story-0/</Path>" in body
    assert "<CallerReference>newsroom-42-0</CallerReference>" in body
    assert "<CallerReference>newsroom-42-1</CallerReference>" in second.body.decode()
    assert second.body.decode().count("<Path>") == 500


def test_cloudfront_without_paths_does_nothing_and_errors_are_retried(settings, cloudfront):
    purger = only(settings, "cloudfront")
    purger.purge(request(["home"]))
    assert cloudfront.requests == []
    cloudfront.script.append((400, {"Content-Type": "text/xml"}, TOO_MANY))
    with pytest.raises(PurgeError, match="TooManyInvalidationsInProgress"):
        purger.purge(request(paths=["/"]))
    assert len(cloudfront.requests) == 1  # no retries of its own: the outbox retries


def test_a_configured_purger_without_its_settings_fails_the_system_check(settings):
    from edgecache.checks import check_purgers

    settings.EDGECACHE_PURGERS = [
        "origin",
        "fastly",
        "cloudflare",
        "cloudfront",
        "varnish",
        "akamai",
    ]
    assert [e.id for e in check_purgers()] == ["edgecache.E010"]
    settings.EDGECACHE_PURGERS = ["origin", "fastly", "cloudflare", "cloudfront", "varnish"]
    settings.EDGECACHE_CLOUDFRONT_DISTRIBUTION_ID = ""
    messages = " ".join(e.msg for e in check_purgers())
    for setting in (
        "EDGECACHE_FASTLY_SERVICE_ID", "EDGECACHE_CLOUDFLARE_API_TOKEN",
        "EDGECACHE_CLOUDFRONT_DISTRIBUTION_ID", "EDGECACHE_VARNISH_URLS",
    ):  # fmt: skip
        assert re.search(setting, messages)
