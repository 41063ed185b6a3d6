from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from authors.tests.factories import UserFactory
from outbox.models import Event, Sweep
from outbox.tests.factories import EventFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:outbox_event_changelist")


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(admin=True))
    return client


def test_the_event_list_filters_by_state(admin_client):
    failed = EventFactory(failed=True, topic="article.published")
    EventFactory(processed=True, topic="article.updated")

    response = admin_client.get(CHANGELIST, {"state": "failed"})

    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert rows == [failed]


def test_the_event_page_shows_payload_and_error_escaped(admin_client):
    event = EventFactory(
        failed=True, payload={"title": "<script>alert(1)</script>"}, last_error="<b>boom</b>"
    )

    response = admin_client.get(reverse("admin:outbox_event_change", args=[event.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;boom&lt;/b&gt;" in html


def test_events_cannot_be_added_edited_or_deleted_in_the_admin(admin_client):
    event = EventFactory()

    assert admin_client.get(reverse("admin:outbox_event_add")).status_code == 403
    assert (
        admin_client.post(
            reverse("admin:outbox_event_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    admin_client.post(reverse("admin:outbox_event_change", args=[event.pk]), {"topic": "changed"})
    assert Event.objects.get(pk=event.pk).topic == "test.recorded"


def test_an_administrator_retries_failed_events_from_the_list(admin_client):
    failed = EventFactory(failed=True)

    response = admin_client.post(
        CHANGELIST, {"action": "retry_events", "_selected_action": [failed.pk]}, follow=True
    )

    assert response.status_code == 200
    assert "1 failed event(s) will be retried now." in response.content.decode()
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == ("pending", 0)


def test_a_viewer_without_change_permission_is_not_offered_the_retry_action(client):
    viewer = UserFactory()
    viewer.user_permissions.add(*_perms("view_event"))
    client.force_login(viewer)
    failed = EventFactory(failed=True)

    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert "retry_events" not in response.content.decode()

    client.post(CHANGELIST, {"action": "retry_events", "_selected_action": [failed.pk]})
    assert Event.objects.get(pk=failed.pk).state == "failed"


def test_the_sweep_list_flags_a_stale_sweep(admin_client):
    Sweep.objects.create(
        name="articles.publish_due",
        completed_at=timezone.now() - timedelta(minutes=5),
        duration=timedelta(),
    )

    response = admin_client.get(reverse("admin:outbox_sweep_changelist"))

    assert response.status_code == 200
    assert "stale: check beat and the workers" in response.content.decode()


def _perms(*codenames):
    return Permission.objects.filter(content_type__app_label="outbox", codename__in=codenames)
