"""Builders for valid comment submissions, shared by the comments tests."""

import time

from comments.forms import form_stamp


def form_data(article, **overrides) -> dict:
    """A valid comment form submission, rendered a minute ago."""
    data = {
        "body": "The harbour plan ignores the fishermen.",
        "author_name": "Ada Reader",
        "author_email": "ada@example.org",
        "author_url": "",
        "parent": "",
        "homepage": "",
        "stamp": form_stamp(article.pk, now=time.time() - 60),
    }
    data.update(overrides)
    return data


def post_kwargs(article, **overrides) -> dict:
    """Valid keyword arguments for services.comment_post."""
    kwargs = {
        "article": article,
        "author_name": "Ada Reader",
        "author_email": "ada@example.org",
        "author_url": "",
        "body": "The harbour plan ignores the fishermen.",
        "parent_id": None,
        "ip": "203.0.113.10",
        "user_agent": "Mozilla/5.0 Firefox/128.0",
    }
    kwargs.update(overrides)
    return kwargs


def moderator_account(**kwargs):
    """A Moderator with the role's comment permissions. Transactional tests flush the groups
    the migrations made, so the role is rebuilt here when needed."""
    from django.contrib.auth.models import Group, Permission

    from authors.tests.factories import UserFactory

    group, _ = Group.objects.get_or_create(name="Moderator")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="comments",
            codename__in=[
                "view_comment",
                "change_comment",
                "moderate_comment",
                "view_moderationqueue",
                "change_moderationqueue",
            ],
        )
    )
    kwargs.setdefault("username", "moira")
    kwargs.setdefault("email", "moira@newsroom.example")
    return UserFactory(groups=["Moderator"], **kwargs)


class Purges:
    """The cache keys purged (edgecache outbox events) since it was made."""

    def __init__(self):
        from outbox.models import Event

        self.seen = set(Event.objects.values_list("pk", flat=True))

    def new_keys(self) -> set[str]:
        from edgecache.services import TOPIC
        from outbox.models import Event

        events = Event.objects.filter(topic=TOPIC).exclude(pk__in=self.seen)
        return {key for event in events for key in event.payload["keys"]}
