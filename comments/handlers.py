"""Outbox handlers: the mails a comment change causes. Each runs inside the event's transaction
and is idempotent (the mail log remembers what was sent), as the outbox may run it again."""

from outbox.handlers import register

from .services.common import ALERT_TOPIC, NOTIFY_TOPIC


@register(NOTIFY_TOPIC)
def comment_notifications(event) -> None:
    from .mail import comment_notifications_send

    comment_id = (event.payload or {}).get("comment_id")
    if comment_id:
        comment_notifications_send(comment_id=comment_id)


@register(ALERT_TOPIC)
def moderators_alert(event) -> None:
    from .moderator_mail import moderators_alert_send

    payload = event.payload or {}
    moderators_alert_send(
        kind=payload["kind"],
        stamp=payload["stamp"],
        comment_id=payload.get("comment_id"),
        article_id=payload.get("article_id"),
        detail=payload.get("detail", ""),
    )
