"""Reader pages: the "Stay Connected" form, confirmation, one-click unsubscribe (RFC 8058),
preferences, and the sign-up box on pages."""

import base64
import json

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from newsletter.models import List, Subscriber, Subscription, Suppression
from newsletter.tests.factories import ListFactory, SubscriptionFactory, SuppressionFactory
from newsletter.tests.helpers import deliver_confirmations
from newsletter.tokens import preferences_token_make, unsubscribe_token_make

pytestmark = pytest.mark.django_db

Status = Subscription.Status


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def _signup(client, **data):
    return client.post(reverse("newsletter:signup"), {"lists": ["daily-digest"], **data})


def _confirmation_link() -> str:
    [message] = deliver_confirmations()
    url = next(line for line in message.body.splitlines() if "/newsletter/confirm/" in line)
    return url.strip().removeprefix("http://localhost:8000")


def test_the_sign_up_box_renders_the_form_with_the_public_lists(
    digest, breaking, django_assert_max_num_queries
):
    ListFactory(name="Staff only", is_public=False)
    template = Template("{% load newsletter_tags %}{% newsletter_signup %}")

    with django_assert_max_num_queries(1):
        html = template.render(Context({"csrf_token": "TOKEN123"}))

    assert 'action="/newsletter/subscribe/"' in html
    assert 'name="csrfmiddlewaretoken" value="TOKEN123"' in html
    assert "Daily digest" in html and "Breaking news" in html
    assert "Staff only" not in html
    assert _checked(html, "daily-digest")
    assert not _checked(html, "breaking-news")


def _checked(html: str, slug: str) -> bool:
    start = html.index(f'value="{slug}"')
    tag = html[html.rindex("<input", 0, start) : html.index(">", start)]
    return "checked" in tag


def test_the_sign_up_box_is_empty_without_public_lists():
    List.objects.update(is_public=False)
    html = Template("{% load newsletter_tags %}{% newsletter_signup %}").render(Context({}))
    assert html == ""


def test_signing_up_redirects_to_the_same_answer_for_every_address(client, digest):
    SubscriptionFactory(list=digest, subscriber__email="known@example.org")
    SuppressionFactory(email="bounced@example.org")

    answers = [
        _signup(client, email=email)
        for email in ("new@example.org", "known@example.org", "bounced@example.org")
    ]

    assert {(r.status_code, r["Location"]) for r in answers} == {
        (302, reverse("newsletter:signup-done"))
    }
    page = client.get(reverse("newsletter:signup-done"))
    assert page.status_code == 200
    assert "Check your inbox" in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"


def test_the_sign_up_form_needs_its_csrf_token(csrf_client, digest):
    response = _signup(csrf_client, email="reader@example.org")

    assert response.status_code == 403
    assert not Subscriber.objects.exists()


def test_an_invalid_sign_up_shows_the_errors(client, digest):
    response = _signup(client, email="not an address")

    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert not Subscriber.objects.exists()
    response = client.post(reverse("newsletter:signup"), {"email": "reader@example.org"})
    assert response.status_code == 400
    assert "Choose at least one newsletter." in response.content.decode()


def test_a_filled_honeypot_looks_accepted_but_subscribes_nobody(client, digest):
    response = _signup(client, email="bot@example.org", website="http://spam.example")

    assert response.status_code == 302
    assert not Subscriber.objects.exists()


def test_too_many_sign_ups_from_one_address_answer_429(client, digest, settings):
    settings.NEWSLETTER_SIGNUPS_PER_IP_PER_HOUR = 2
    for i in range(2):
        assert _signup(client, email=f"reader{i}@example.org").status_code == 302

    response = _signup(client, email="reader3@example.org")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3601  # until the hour's window ends
    assert "Too many sign-ups" in response.content.decode()


def test_behind_a_proxy_each_reader_has_their_own_sign_up_limit(client, digest, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.NEWSLETTER_SIGNUPS_PER_IP_PER_HOUR = 1

    def signup(email: str, forwarded: str) -> int:
        # Every request arrives from the proxy, which names the reader in X-Forwarded-For.
        return client.post(
            reverse("newsletter:signup"),
            {"lists": ["daily-digest"], "email": email},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=forwarded,
        ).status_code

    assert signup("ada@example.org", "198.51.100.2") == 302
    assert signup("ben@example.org", "198.51.100.3") == 302
    # The same reader again, whatever they put in front of the proxy's entry.
    assert signup("ada2@example.org", "192.0.2.1, 198.51.100.2") == 429


def test_the_confirmation_link_shows_a_button_and_the_button_confirms(client, digest):
    _signup(client, email="reader@example.org")
    link = _confirmation_link()

    page = client.get(link)
    assert page.status_code == 200
    assert "Yes, subscribe me" in page.content.decode()
    assert Subscription.objects.get().status == Status.UNCONFIRMED  # GET changes nothing

    done = client.post(link)
    assert done.status_code == 200
    assert "subscribed" in done.content.decode()
    assert Subscription.objects.get().status == Status.CONFIRMED
    again = client.post(link)
    assert again.status_code == 400
    assert "already been used" in again.content.decode()


def test_a_broken_confirmation_link_answers_400_with_a_new_sign_up_form(client, digest):
    response = client.get(reverse("newsletter:confirm", kwargs={"token": "nonsense"}))

    assert response.status_code == 400
    assert 'action="/newsletter/subscribe/"' in response.content.decode()


def test_one_click_unsubscribe_post_works_without_csrf_login_or_redirect(csrf_client, digest):
    subscriber = SubscriptionFactory(list=digest).subscriber
    token = unsubscribe_token_make(subscriber_id=subscriber.pk, list_ids=[digest.pk])
    url = reverse("newsletter:unsubscribe", kwargs={"token": token})

    response = csrf_client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert "unsubscribed" in response.content.decode()
    subscription = Subscription.objects.get()
    assert (subscription.status, subscription.unsubscribe_source) == (
        Status.UNSUBSCRIBED,
        "one-click",
    )


def test_the_unsubscribe_link_opened_in_a_browser_changes_nothing_until_the_button(client, digest):
    subscriber = SubscriptionFactory(list=digest).subscriber
    token = unsubscribe_token_make(subscriber_id=subscriber.pk, list_ids=[digest.pk])
    url = reverse("newsletter:unsubscribe", kwargs={"token": token})

    page = client.get(url)

    assert page.status_code == 200
    assert "Daily digest" in page.content.decode()
    assert f'action="{url}"' in page.content.decode()
    assert Subscription.objects.get().status == Status.CONFIRMED
    client.post(url)
    assert Subscription.objects.get().unsubscribe_source == "link"


def test_a_forged_unsubscribe_token_answers_400(client, digest):
    subscriber = SubscriptionFactory(list=digest).subscriber
    url = reverse("newsletter:unsubscribe", kwargs={"token": f"{subscriber.pk}.{digest.pk}:x"})

    assert client.post(url).status_code == 400
    assert client.get(url).status_code == 400
    assert Subscription.objects.get().status == Status.CONFIRMED


def test_the_preference_page_changes_lists(client, digest, breaking):
    subscriber = SubscriptionFactory(list=digest).subscriber
    url = reverse(
        "newsletter:preferences",
        kwargs={"token": preferences_token_make(subscriber_id=subscriber.pk)},
    )

    page = client.get(url)
    assert page.status_code == 200
    assert subscriber.email in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex, nofollow"

    response = client.post(url, {"lists": [str(breaking.pk)]})
    assert response.status_code == 302
    assert "Saved." in client.get(response["Location"]).content.decode()
    assert dict(subscriber.subscriptions.values_list("list__slug", "status")) == {
        "daily-digest": Status.UNSUBSCRIBED,
        "breaking-news": Status.CONFIRMED,
    }


def test_the_preference_page_refuses_a_list_it_does_not_offer(client, digest):
    subscriber = SubscriptionFactory(list=digest).subscriber
    hidden = ListFactory(is_public=False)
    url = reverse(
        "newsletter:preferences",
        kwargs={"token": preferences_token_make(subscriber_id=subscriber.pk)},
    )

    response = client.post(url, {"lists": [str(hidden.pk)]})

    assert response.status_code == 400
    assert not subscriber.subscriptions.filter(list=hidden).exists()


def test_the_preference_page_needs_its_csrf_token(csrf_client, digest):
    subscriber = SubscriptionFactory(list=digest).subscriber
    url = reverse(
        "newsletter:preferences",
        kwargs={"token": preferences_token_make(subscriber_id=subscriber.pk)},
    )

    assert csrf_client.post(url, {"lists": []}).status_code == 403
    assert Subscription.objects.get().status == Status.CONFIRMED


def test_the_preference_page_for_a_forgotten_reader_is_404(client, digest):
    url = reverse(
        "newsletter:preferences", kwargs={"token": preferences_token_make(subscriber_id=999)}
    )
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("newsletter:preferences", kwargs={"token": "999:bad"})).status_code
        == 400
    )


# ---------------------------------------------------------------------------
# Provider webhooks (django-anymail)
# ---------------------------------------------------------------------------
def _postmark(client, payload, auth="hook:s3cret"):
    headers = {}
    if auth:
        headers["HTTP_AUTHORIZATION"] = "Basic " + base64.b64encode(auth.encode()).decode()
    return client.post(
        "/newsletter/anymail/postmark/tracking/",
        data=json.dumps(payload),
        content_type="application/json",
        **headers,
    )


BOUNCE = {
    "RecordType": "Bounce",
    "Type": "HardBounce",
    "TypeCode": 1,
    "Email": "gone@example.org",
    "Description": "The server was unable to deliver your message (ex: unknown user).",
    "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
    "BouncedAt": "2026-01-01T10:00:00Z",
    "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
}


def test_a_provider_bounce_webhook_suppresses_the_address(csrf_client, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:s3cret"}

    response = _postmark(csrf_client, BOUNCE)

    assert response.status_code == 200
    suppression = Suppression.objects.get()
    assert (suppression.email, suppression.reason, suppression.source) == (
        "gone@example.org",
        "hard_bounce",
        "webhook:postmark",
    )


def test_a_webhook_without_the_secret_is_refused(client, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:s3cret"}

    assert _postmark(client, BOUNCE, auth="hook:wrong").status_code == 400
    assert _postmark(client, BOUNCE, auth=None).status_code == 400
    assert not Suppression.objects.exists()


def test_webhooks_are_off_until_a_secret_is_configured(client, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": ""}

    assert _postmark(client, BOUNCE, auth=None).status_code == 404
    assert not Suppression.objects.exists()


@pytest.mark.parametrize(
    ("provider", "body"),
    [
        ("postmark", "[" * 100_000),  # nested beyond the JSON parser's recursion limit
        ("postmark", "not json"),
        ("sendgrid", json.dumps({"event": "bounce"})),  # an object where events are a list
        ("sparkpost", json.dumps(["not an event"])),
        ("mailjet", json.dumps({"no": "event"})),
        ("amazon_ses", json.dumps({"Type": "Nonsense"})),
    ],
)
def test_a_provider_webhook_body_that_cannot_be_read_is_a_400(client, settings, provider, body):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:s3cret"}
    auth = "Basic " + base64.b64encode(b"hook:s3cret").decode()

    response = client.generic(
        "POST",
        f"/newsletter/anymail/{provider}/tracking/",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=auth,
    )

    assert response.status_code == 400
    assert not Suppression.objects.exists()


def test_a_provider_that_needs_settings_of_its_own_answers_404_without_them(client, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:s3cret"}  # Mailgun also needs a signing key
    auth = "Basic " + base64.b64encode(b"hook:s3cret").decode()

    response = client.post(
        "/newsletter/anymail/mailgun/tracking/", {"event": "failed"}, HTTP_AUTHORIZATION=auth
    )

    assert response.status_code == 404


def test_the_article_page_carries_the_sign_up_box_and_the_readers_own_token_works(digest):
    from articles.tests.factories import ArticleFactory

    article = ArticleFactory(published=True)
    client = Client(enforce_csrf_checks=True)

    page = client.get(article.get_absolute_url())

    html = page.content.decode()
    assert page.status_code == 200
    assert 'action="/newsletter/subscribe/"' in html
    assert "csrfmiddlewaretoken" not in html  # the page is shared; the script adds the token
    token = client.get("/reader/state/").json()["csrf_token"]
    response = client.post(
        reverse("newsletter:signup"),
        {"email": "reader@example.org", "lists": ["daily-digest"], "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert Subscriber.objects.filter(email="reader@example.org").exists()


def test_the_sign_up_box_is_a_shared_fragment_that_follows_list_changes(
    client, digest, breaking, django_capture_on_commit_callbacks
):
    first = client.get("/_fragments/newsletter/")
    assert first.status_code == 200
    assert first["xkey"] == "newsletter-lists"
    assert first["Cache-Control"].startswith("public, ")
    assert "csrfmiddlewaretoken" not in first.content.decode()
    again = client.get("/_fragments/newsletter/")
    assert again["X-Origin-Cache"] == "hit" and again.content == first.content

    with django_capture_on_commit_callbacks(execute=True):
        digest.name = "Morning briefing"
        digest.save()
    changed = client.get("/_fragments/newsletter/")
    assert changed["X-Origin-Cache"] == "miss"
    assert "Morning briefing" in changed.content.decode()
