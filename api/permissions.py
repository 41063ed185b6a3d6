"""Who may call what. articles.policy decides (whose draft, which transition, what is seen);
these classes turn away early what no role of the caller could do, with 401 for "who are you?"
and 403 for "not you"."""

from rest_framework import permissions
from rest_framework.exceptions import NotAuthenticated

from articles import policy


def is_staff(user) -> bool:
    """Newsroom staff signed in (by token or session): they read drafts and workflow fields."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def _require_login(request) -> None:
    if not (request.user and request.user.is_authenticated):
        raise NotAuthenticated("Authenticate with a staff token: Authorization: Token <key>.")


class ReadOnlyOrCreateArticles(permissions.BasePermission):
    """Anyone reads; creating needs the right to create articles; edits go to the services."""

    message = "You do not have permission to create articles."

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        _require_login(request)
        if request.method == "POST" and getattr(view, "action", None) == "create":
            return policy.can_create(request.user)
        if not is_staff(request.user):
            self.message = "Only newsroom staff can change articles."
            return False
        return True


class StaffOnly(permissions.BasePermission):
    """Signed-in newsroom staff who may see articles in the admin."""

    message = "Only newsroom staff can see this."

    def has_permission(self, request, view) -> bool:
        _require_login(request)
        return policy.is_newsroom_staff(request.user)


class ReadOnlyOrEditor(permissions.BasePermission):
    """Anyone reads; only editors write (authors, sections)."""

    message = "Only editors can change this."

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        _require_login(request)
        return policy.is_editor(request.user)
