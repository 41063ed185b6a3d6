"""Setting up and changing a staff member's second factor: an authenticator app (TOTP) and ten
single-use recovery codes (django-otp's static device) for when the phone is lost."""

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.errors import InvalidInput, NotAllowed

from .policies import second_factor_required

RECOVERY_CODES = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


class SecondFactorError(InvalidInput):
    """A code that does not confirm the set-up."""


class SecondFactorRequired(NotAllowed):
    """The role must keep its second factor."""


def authenticator_pending(*, user) -> TOTPDevice:
    """The authenticator being set up (not confirmed yet): the same one until it is confirmed,
    so reloading the page does not change the QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


@transaction.atomic
def authenticator_confirm(*, user, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator with a code it shows; returns it and a fresh set of
    recovery codes (shown once). Any earlier authenticator is replaced."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False)
        .order_by("pk")
        .first()
    )
    if device is None:
        raise SecondFactorError("Start the set-up again: there is no authenticator to confirm.")
    if not device.verify_token(code):
        raise SecondFactorError(
            "That code does not match. Check the time on your phone and enter the current code."
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device, recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    """Ten new single-use recovery codes; the old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def second_factor_remove(*, user) -> None:
    """Remove one's own authenticator and recovery codes, where the role does not require them."""
    if second_factor_required(user):
        raise SecondFactorRequired(
            "Your role must sign in with a second factor: it cannot be removed."
        )
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
