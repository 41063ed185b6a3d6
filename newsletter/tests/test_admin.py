"""The newsletter admin: editions with progress and their buttons, lists, subscribers,
suppressions and the read-only ledger."""

import pytest
from django.urls import reverse

from articles.tests.factories import ArticleFactory
from authors.tests.factories import UserFactory
from newsletter.models import Delivery, Edition, Suppression
from newsletter.services import edition_prepare
from newsletter.tests.factories import (
    EditionFactory,
    SubscriptionFactory,
    SuppressionFactory,
)

pytestmark = pytest.mark.django_db

S = Edition.Status


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(editor=True))
    return client


def _url(name: str, edition) -> str:
    return reverse(f"admin:newsletter_edition_{name}", args=[edition.pk])


def _sending(edition, digest, readers: int = 3) -> Edition:
    for _ in range(readers):
        SubscriptionFactory(list=digest)
    Edition.objects.filter(pk=edition.pk).update(status=S.PREPARING)
    edition_prepare(edition_id=edition.pk)
    edition.refresh_from_db()
    return edition


def test_an_editor_creates_an_edition_with_articles(editor_client, digest):
    article = ArticleFactory(published=True)

    response = editor_client.post(
        reverse("admin:newsletter_edition_add"),
        {
            "list": digest.pk,
            "subject": "Weekend reading",
            "intro": "Our best stories of the week.",
            "send_at": "",
            "edition_articles-TOTAL_FORMS": "1",
            "edition_articles-INITIAL_FORMS": "0",
            "edition_articles-0-position": "0",
            "edition_articles-0-article": str(article.pk),
        },
    )

    assert response.status_code == 302, response.content.decode()[-2000:]
    edition = Edition.objects.get()
    assert list(edition.articles.all()) == [article]
    assert edition.status == S.DRAFT
    assert edition.created_by is not None


def test_the_edition_page_shows_progress_and_the_buttons_its_state_allows(
    editor_client, edition, digest
):
    page = editor_client.get(reverse("admin:newsletter_edition_change", args=[edition.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert f'action="{_url("send", edition)}"' in html
    assert f'action="{_url("test", edition)}"' in html
    assert _url("pause", edition) not in html

    edition = _sending(edition, digest)
    html = editor_client.get(
        reverse("admin:newsletter_edition_change", args=[edition.pk])
    ).content.decode()
    assert f'action="{_url("pause", edition)}"' in html
    assert _url("send", edition) not in html
    assert 'data-field="pending">3<' in html
    assert 'data-progress-url="' + _url("progress", edition) in html
    assert "newsletter/edition-progress.js" in html


def test_the_send_button_starts_sending(editor_client, edition):
    response = editor_client.post(_url("send", edition))

    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.status == S.PREPARING
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Sending started."]


def test_a_refused_action_shows_the_reason(editor_client, digest):
    edition = EditionFactory(list=digest, intro="")

    response = editor_client.post(_url("send", edition), follow=True)

    assert "Add at least one article" in response.content.decode()
    edition.refresh_from_db()
    assert edition.status == S.DRAFT


def test_buttons_only_answer_post(editor_client, edition):
    assert editor_client.get(_url("send", edition)).status_code == 405
    edition.refresh_from_db()
    assert edition.status == S.DRAFT


def test_a_reporter_cannot_press_send(client, edition):
    client.force_login(UserFactory(reporter=True, is_superuser=False))

    assert client.post(_url("send", edition)).status_code == 403
    edition.refresh_from_db()
    assert edition.status == S.DRAFT


def test_pause_and_resume_buttons(editor_client, edition, digest):
    edition = _sending(edition, digest)

    editor_client.post(_url("pause", edition))
    edition.refresh_from_db()
    assert edition.status == S.PAUSED
    editor_client.post(_url("resume", edition))
    edition.refresh_from_db()
    assert edition.status == S.SENDING


def test_progress_json_counts_the_ledger(editor_client, edition, digest):
    edition = _sending(edition, digest, readers=4)
    first = Delivery.objects.order_by("id").first()
    Delivery.objects.filter(pk=first.pk).update(status="sent")

    data = editor_client.get(_url("progress", edition)).json()

    assert data["status"] == "sending"
    assert (data["total"], data["sent"], data["pending"], data["failed"]) == (4, 1, 3, 0)
    assert data["done_percent"] == 25


def test_the_send_test_button_mails_the_editor(editor_client, edition, smtp_settings):
    response = editor_client.post(_url("test", edition), follow=True)

    assert "Test sent to" in response.content.decode()
    assert smtp_settings.total() == 1


def test_a_sending_edition_cannot_be_edited(editor_client, edition, digest):
    edition = _sending(edition, digest)
    url = reverse("admin:newsletter_edition_change", args=[edition.pk])

    html = editor_client.get(url).content.decode()

    assert 'name="subject"' not in html
    assert edition.subject in html


def test_the_edition_list_shows_progress(editor_client, edition, digest):
    _sending(edition, digest)

    html = editor_client.get(reverse("admin:newsletter_edition_changelist")).content.decode()

    assert "0 / 3 sent" in html


def test_the_ledger_is_read_only(editor_client, edition, digest):
    edition = _sending(edition, digest)
    row = Delivery.objects.first()

    assert editor_client.get(reverse("admin:newsletter_delivery_changelist")).status_code == 200
    page = editor_client.get(reverse("admin:newsletter_delivery_change", args=[row.pk]))
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
    assert editor_client.get(reverse("admin:newsletter_delivery_add")).status_code == 403


def test_adding_a_suppression_in_the_admin(editor_client):
    response = editor_client.post(
        reverse("admin:newsletter_suppression_add"),
        {"email": "Reader@Example.org", "reason": "manual", "detail": "Asked by phone"},
    )

    assert response.status_code == 302
    suppression = Suppression.objects.get()
    assert (suppression.email, suppression.source) == ("reader@example.org", "admin")


def test_suppressing_subscribers_from_the_list(editor_client, digest):
    subscriber = SubscriptionFactory(list=digest).subscriber

    editor_client.post(
        reverse("admin:newsletter_subscriber_changelist"),
        {"action": "suppress_selected", "_selected_action": [subscriber.pk]},
    )

    assert Suppression.objects.filter(email=subscriber.email, reason="manual").exists()


def test_only_administrators_lift_a_suppression(editor_client, admin_client):
    suppression = SuppressionFactory()
    url = reverse("admin:newsletter_suppression_delete", args=[suppression.pk])

    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Suppression.objects.exists()


def test_editors_add_lists(editor_client):
    response = editor_client.post(
        reverse("admin:newsletter_list_add"),
        {
            "name": "Sport",
            "slug": "sport",
            "description": "Results and reports.",
            "is_public": "on",
            "position": "3",
            "uncertain_policy": "resend",
        },
    )

    assert response.status_code == 302
    assert editor_client.get(reverse("admin:newsletter_list_changelist")).status_code == 200
