"""Who must prove a second factor when signing in, and when a session counts as signed in.

A second factor (a time-based one-time password from an authenticator app, or a recovery code)
is required, when STAFF_OTP_REQUIRED is on, of the accounts that can do the most harm:
editors (they publish) and administrators (superusers, and anyone who may change accounts and
so grant themselves any role). Anyone else who has set one up uses it too: a factor that is
there is always asked for.
"""

from django.conf import settings
from django_otp import user_has_device

# Holders of any of these are editors or administrators.
POWERFUL_PERMISSIONS = ("articles.publish_article", "auth.change_user")


def is_editor_or_administrator(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or any(user.has_perm(perm) for perm in POWERFUL_PERMISSIONS)


def second_factor_required(user) -> bool:
    """Must this account set up a second factor before it may do anything?"""
    return bool(settings.STAFF_OTP_REQUIRED) and is_editor_or_administrator(user)


def second_factor_pending(user) -> bool:
    """Signed in with a password, but still owing a second factor (set up or to enter)."""
    if not (user and user.is_authenticated) or user.is_verified():
        return False
    return second_factor_required(user) or user_has_device(user, confirmed=True)
