"""Sign-up with double opt-in, confirmation, unsubscribe, preferences and suppressions."""

import pytest
from django.core import mail
from django.core.cache import cache

from core.emails import canonical_email
from core.errors import NotAllowed, RateLimited
from newsletter.models import Subscriber, Subscription, Suppression
from newsletter.services import (
    CONFIRMATION_TOPIC,
    InvalidChoice,
    InvalidEmail,
    confirmation_check,
    delivery_feedback_record,
    subscriber_add_confirmed,
    subscriber_preferences_update,
    subscriber_signup,
    subscription_confirm,
    subscription_unsubscribe,
    suppression_add,
    suppression_remove,
    unsubscribe_by_mail,
)
from newsletter.tests.factories import (
    ListFactory,
    SubscriberFactory,
    SubscriptionFactory,
    SuppressionFactory,
)
from newsletter.tests.helpers import deliver_confirmations
from newsletter.tokens import (
    InvalidToken,
    confirm_token_make,
    unsubscribe_token_make,
)
from outbox.models import Event

pytestmark = pytest.mark.django_db

Status = Subscription.Status


def _confirm_url(message) -> str:
    return next(line for line in message.body.splitlines() if "/newsletter/confirm/" in line)


def _token_from(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Reader@Example.ORG ", "reader@example.org"),
        ("leser@bücher.example", "leser@xn--bcher-kva.example"),
    ],
)
def test_addresses_are_stored_in_one_spelling(typed, stored):
    assert canonical_email(typed) == stored


@pytest.mark.parametrize("typed", ["", "no-at-sign", "a@", "@b.example", "wörd@example.org"])
def test_an_address_that_cannot_be_mailed_is_refused(typed):
    with pytest.raises(InvalidEmail):
        canonical_email(typed)


def test_signing_up_creates_unconfirmed_subscriptions_and_one_confirmation_email(digest, breaking):
    subscriber_signup(
        email="Reader@Example.org", lists=[digest, breaking], source="signup-box", ip="203.0.113.5"
    )

    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader@example.org"
    assert (subscriber.consent_source, subscriber.consent_ip) == ("signup-box", "203.0.113.5")
    assert set(subscriber.subscriptions.values_list("status", flat=True)) == {Status.UNCONFIRMED}
    [message] = deliver_confirmations()
    assert message.to == ["reader@example.org"]
    assert "Daily digest" in message.body and "Breaking news" in message.body
    assert "/newsletter/confirm/" in _confirm_url(message)
    # Running the event again (a worker died before marking it done) sends nothing more.
    Event.objects.update(processed_at=None)
    assert len(deliver_confirmations()) == 1


def test_confirming_subscribes_and_the_link_works_once(digest):
    subscriber_signup(email="reader@example.org", lists=[digest], source="signup-box")
    [message] = deliver_confirmations()
    token = _token_from(_confirm_url(message))

    result = subscription_confirm(token=token, ip="198.51.100.7")

    assert [lst.slug for lst in result.lists] == ["daily-digest"]
    subscription = Subscription.objects.get()
    assert subscription.status == Status.CONFIRMED
    assert subscription.subscriber.confirmed_ip == "198.51.100.7"
    with pytest.raises(InvalidToken, match="already been used"):
        subscription_confirm(token=token)


def test_a_confirmation_link_expires(digest, settings):
    settings.NEWSLETTER_CONFIRM_MAX_AGE_DAYS = 0
    subscriber_signup(email="reader@example.org", lists=[digest], source="signup-box")
    subscriber = Subscriber.objects.get()
    token = confirm_token_make(subscriber_id=subscriber.pk, nonce=subscriber.confirmation_nonce)

    with pytest.raises(InvalidToken, match="expired"):
        subscription_confirm(token=token)
    assert Subscription.objects.get().status == Status.UNCONFIRMED


def test_a_forged_confirmation_link_confirms_nothing(digest):
    subscriber_signup(email="reader@example.org", lists=[digest], source="signup-box")
    subscriber = Subscriber.objects.get()

    with pytest.raises(InvalidToken):
        subscription_confirm(token=f"{subscriber.pk}.guess:1abc:forged")
    with pytest.raises(InvalidToken):
        confirmation_check(
            token=confirm_token_make(subscriber_id=subscriber.pk, nonce="wrong-nonce")
        )
    assert Subscription.objects.get().status == Status.UNCONFIRMED


@pytest.mark.parametrize("state", ["new", "unconfirmed", "confirmed", "unsubscribed", "suppressed"])
def test_signing_up_says_nothing_about_the_address(digest, state):
    """The service returns the same (nothing) whatever the address's state; only a reader who
    still has to confirm gets an email, and a confirmed or suppressed one gets none."""
    email = "someone@example.org"
    if state != "new":
        subscription = SubscriptionFactory(list=digest, subscriber__email=email)
        subscription.status = {
            "unconfirmed": Status.UNCONFIRMED,
            "unsubscribed": Status.UNSUBSCRIBED,
        }.get(state, Status.CONFIRMED)
        subscription.save()
    if state == "suppressed":
        SuppressionFactory(email=email)

    assert subscriber_signup(email=email, lists=[digest], source="signup-box") is None

    sent = deliver_confirmations()
    expect_mail = state in ("new", "unconfirmed", "unsubscribed")
    assert len(sent) == (1 if expect_mail else 0)


def test_an_address_gets_only_a_few_confirmation_emails_a_day(digest, settings):
    settings.NEWSLETTER_CONFIRMATIONS_PER_ADDRESS_PER_DAY = 2
    for _ in range(5):
        subscriber_signup(email="victim@example.org", lists=[digest], source="signup-box")
        deliver_confirmations()

    assert len(mail.outbox) == 2


def test_sign_ups_from_one_network_are_rate_limited(digest, settings):
    settings.NEWSLETTER_SIGNUPS_PER_IP_PER_HOUR = 3
    for i in range(3):
        subscriber_signup(
            email=f"reader{i}@example.org", lists=[digest], source="signup-box", ip="192.0.2.1"
        )

    with pytest.raises(RateLimited) as error:
        subscriber_signup(
            email="reader9@example.org", lists=[digest], source="signup-box", ip="192.0.2.1"
        )
    assert 0 < error.value.retry_after <= 3601  # until the hour's window ends
    subscriber_signup(
        email="reader9@example.org", lists=[digest], source="signup-box", ip="192.0.2.2"
    )
    assert Subscriber.objects.count() == 4
    cache.clear()


def test_sign_ups_from_one_ipv6_network_share_a_limit(digest, settings):
    settings.NEWSLETTER_SIGNUPS_PER_IP_PER_HOUR = 2
    for i in range(2):
        subscriber_signup(
            email=f"reader{i}@example.org", lists=[digest], source="box", ip=f"2001:db8:0:7::{i}"
        )
    # Another address of the same /64 (one phone or household) shares the limit.
    with pytest.raises(RateLimited):
        subscriber_signup(
            email="reader9@example.org", lists=[digest], source="box", ip="2001:db8:0:7:a::1"
        )
    subscriber_signup(
        email="reader9@example.org", lists=[digest], source="box", ip="2001:db8:0:8::1"
    )


def test_signing_up_needs_a_public_list(digest):
    hidden = ListFactory(is_public=False)

    with pytest.raises(InvalidChoice):
        subscriber_signup(email="reader@example.org", lists=[], source="signup-box")
    with pytest.raises(InvalidChoice):
        subscriber_signup(email="reader@example.org", lists=[hidden], source="signup-box")
    assert not Subscriber.objects.exists()


def test_unsubscribing_with_the_link_stops_those_lists_only(digest, breaking):
    subscriber = SubscriptionFactory(list=digest).subscriber
    SubscriptionFactory(list=breaking, subscriber=subscriber)
    token = unsubscribe_token_make(subscriber_id=subscriber.pk, list_ids=[digest.pk])

    lists = subscription_unsubscribe(token=token, source="one-click")
    subscription_unsubscribe(token=token, source="one-click")  # twice is fine

    assert [lst.slug for lst in lists] == ["daily-digest"]
    statuses = dict(subscriber.subscriptions.values_list("list__slug", "status"))
    assert statuses == {"daily-digest": Status.UNSUBSCRIBED, "breaking-news": Status.CONFIRMED}
    assert subscriber.subscriptions.get(list=digest).unsubscribe_source == "one-click"


def test_a_tampered_unsubscribe_link_changes_nothing(digest):
    subscriber = SubscriptionFactory(list=digest).subscriber
    token = unsubscribe_token_make(subscriber_id=subscriber.pk, list_ids=[digest.pk])
    other = SubscriptionFactory(list=digest).subscriber
    forged = token.replace(f"{subscriber.pk}.", f"{other.pk}.", 1)

    with pytest.raises(InvalidToken):
        subscription_unsubscribe(token=forged, source="one-click")
    assert other.subscriptions.get().status == Status.CONFIRMED


def test_an_unsubscribe_email_with_the_token_in_its_subject_unsubscribes(digest):
    subscriber = SubscriptionFactory(list=digest).subscriber
    token = unsubscribe_token_make(subscriber_id=subscriber.pk, list_ids=[digest.pk])

    assert not unsubscribe_by_mail(subject="please stop")
    assert unsubscribe_by_mail(subject=f"unsubscribe {token}")
    assert subscriber.subscriptions.get().unsubscribe_source == "mailto"


def test_the_preference_page_sets_the_readers_lists(digest, breaking):
    subscriber = SubscriptionFactory(list=digest).subscriber

    subscriber_preferences_update(subscriber=subscriber, list_ids=[breaking.pk])

    statuses = dict(subscriber.subscriptions.values_list("list__slug", "status"))
    assert statuses == {"daily-digest": Status.UNSUBSCRIBED, "breaking-news": Status.CONFIRMED}
    with pytest.raises(InvalidChoice):
        subscriber_preferences_update(
            subscriber=subscriber, list_ids=[ListFactory(is_public=False).pk]
        )


def test_adding_a_confirmed_reader_subscribes_at_once_without_a_confirmation(digest, breaking):
    added = subscriber_add_confirmed(
        email=" Reader@Example.ORG", lists=[digest, breaking], source="import"
    )

    assert added == 2
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.consent_source) == ("reader@example.org", "import")
    assert subscriber.confirmed_at is not None
    statuses = dict(subscriber.subscriptions.values_list("list__slug", "status"))
    assert statuses == {"daily-digest": Status.CONFIRMED, "breaking-news": Status.CONFIRMED}
    assert not Event.objects.filter(topic=CONFIRMATION_TOPIC).exists()
    assert (
        subscriber_add_confirmed(email="reader@example.org", lists=[digest], source="import") == 0
    )
    assert Subscription.objects.count() == 2


def test_adding_a_confirmed_reader_keeps_their_own_choices(digest, breaking):
    left = SubscriptionFactory(list=digest, unsubscribed=True).subscriber
    waiting = SubscriptionFactory(list=digest, unconfirmed=True).subscriber
    SuppressionFactory(email="bounced@example.org")

    assert (
        subscriber_add_confirmed(email=left.email, lists=[digest, breaking], source="import") == 1
    )
    assert subscriber_add_confirmed(email=waiting.email, lists=[digest], source="import") == 1
    assert subscriber_add_confirmed(email="bounced@example.org", lists=[digest], source="x") == 0

    assert dict(left.subscriptions.values_list("list__slug", "status")) == {
        "daily-digest": Status.UNSUBSCRIBED,
        "breaking-news": Status.CONFIRMED,
    }
    assert waiting.subscriptions.get().status == Status.CONFIRMED
    assert not Subscriber.objects.filter(email="bounced@example.org").exists()
    with pytest.raises(InvalidChoice):
        subscriber_add_confirmed(email="new@example.org", lists=[], source="import")


def test_a_complaint_suppresses_and_unsubscribes_everywhere(digest, breaking):
    subscriber = SubscriptionFactory(list=digest).subscriber
    SubscriptionFactory(list=breaking, subscriber=subscriber)

    assert (
        delivery_feedback_record(
            event_type="complained", recipient=subscriber.email.upper(), esp_name="Postmark"
        )
        == "complaint"
    )

    suppression = Suppression.objects.get()
    assert (suppression.email, suppression.reason, suppression.source) == (
        subscriber.email,
        "complaint",
        "webhook:postmark",
    )
    assert set(subscriber.subscriptions.values_list("status", flat=True)) == {Status.UNSUBSCRIBED}


@pytest.mark.parametrize(
    ("event_type", "reject_reason", "suppressed"),
    [
        ("bounced", None, "hard_bounce"),
        ("rejected", "invalid", "hard_bounce"),
        ("rejected", "spam", None),
        ("deferred", None, None),
        ("delivered", None, None),
        ("opened", None, None),
    ],
)
def test_provider_events_that_suppress_and_those_that_do_not(event_type, reject_reason, suppressed):
    result = delivery_feedback_record(
        event_type=event_type, recipient="reader@example.org", reject_reason=reject_reason
    )

    assert result == suppressed
    assert Suppression.objects.exists() == bool(suppressed)


def test_suppressing_twice_keeps_one_row_and_a_complaint_wins(digest):
    suppression_add(email="reader@example.org", reason="manual")
    _, created = suppression_add(email="Reader@example.org", reason="complaint", detail="FBL")

    assert not created
    assert Suppression.objects.get().reason == "complaint"


def test_only_allowed_staff_remove_a_suppression(django_user_model):
    SuppressionFactory(email="reader@example.org")
    reporter = django_user_model.objects.create_user("reporter", password="pw")
    admin = django_user_model.objects.create_superuser("admin", password="pw")

    with pytest.raises(NotAllowed):
        suppression_remove(user=reporter, email="reader@example.org")
    assert suppression_remove(user=admin, email="reader@example.org")
    assert not Suppression.objects.exists()


def test_a_subscriber_email_is_unique_whatever_its_case():
    from django.db import IntegrityError, transaction

    SubscriberFactory(email="reader@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscriber.objects.create(email="READER@example.org")
