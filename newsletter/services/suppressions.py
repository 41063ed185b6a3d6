"""The suppression list: addresses never mailed again, fed by bounces, complaints and the
mail provider's feedback."""

import logging

from django.db import transaction
from django.utils import timezone

from core.emails import canonical_email
from core.errors import NotAllowed

from ..models import Subscription, Suppression
from .errors import InvalidChoice, InvalidEmail

logger = logging.getLogger(__name__)

Status = Subscription.Status


def suppression_add(
    *, email: str, reason: str, detail: str = "", source: str = ""
) -> tuple[Suppression, bool]:
    """Never mail this address again; returns (suppression, created). Idempotent.

    A complaint also unsubscribes the reader from every list: they said so to their provider.
    """
    if reason not in Suppression.Reason.values:
        raise InvalidChoice(f"Unknown suppression reason {reason!r}.")
    email = canonical_email(email)
    with transaction.atomic():
        suppression, created = Suppression.objects.get_or_create(
            email=email, defaults={"reason": reason, "detail": detail[:2000], "source": source}
        )
        if not created and reason == Suppression.Reason.COMPLAINT != suppression.reason:
            suppression.reason = reason
            suppression.detail = detail[:2000]
            suppression.source = source
            suppression.save(update_fields=["reason", "detail", "source"])
        if reason == Suppression.Reason.COMPLAINT:
            Subscription.objects.filter(
                subscriber__email=email, status__in=[Status.CONFIRMED, Status.UNCONFIRMED]
            ).update(
                status=Status.UNSUBSCRIBED,
                unsubscribed_at=timezone.now(),
                unsubscribe_source="complaint",
            )
    if created:
        logger.info("Address suppressed", extra={"reason": reason, "source": source})
    return suppression, created


def suppression_remove(*, user, email: str) -> bool:
    """Allow an address again (a reader whose mailbox works again asked to be back)."""
    if not (user and user.is_active and user.has_perm("newsletter.delete_suppression")):
        raise NotAllowed("You may not remove suppressions.")
    deleted, _ = Suppression.objects.filter(email=canonical_email(email)).delete()
    if deleted:
        logger.info("Suppression removed", extra={"user_id": user.pk})
    return bool(deleted)


# django-anymail's normalized event types -> what they mean for the list.
_FEEDBACK = {
    "bounced": Suppression.Reason.HARD_BOUNCE,
    "complained": Suppression.Reason.COMPLAINT,
}
_REJECT_REASONS = {
    "bounced": Suppression.Reason.HARD_BOUNCE,
    "invalid": Suppression.Reason.HARD_BOUNCE,
}


def delivery_feedback_record(
    *,
    event_type: str,
    recipient: str | None,
    reject_reason: str | None = None,
    description: str = "",
    esp_name: str = "",
) -> str | None:
    """Act on a provider's tracking event; returns the suppression reason applied, if any.

    Bounces and complaints suppress the address; a provider-side unsubscribe unsubscribes the
    reader from every list. Deferrals, deliveries, opens and clicks change nothing.
    """
    if not recipient:
        return None
    source = f"webhook:{esp_name.lower()}" if esp_name else "webhook"
    reason = _FEEDBACK.get(event_type)
    if event_type == "rejected":
        reason = _REJECT_REASONS.get(reject_reason or "")
    if event_type == "unsubscribed":
        try:
            email = canonical_email(recipient)
        except InvalidEmail:
            return None
        Subscription.objects.filter(
            subscriber__email=email, status__in=[Status.CONFIRMED, Status.UNCONFIRMED]
        ).update(
            status=Status.UNSUBSCRIBED, unsubscribed_at=timezone.now(), unsubscribe_source=source
        )
        return None
    if reason is None:
        return None
    try:
        suppression_add(email=recipient, reason=reason, detail=description, source=source)
    except InvalidEmail:
        logger.warning("Provider feedback for an invalid address ignored", extra={"esp": esp_name})
        return None
    return reason
