"""Comment settings with their defaults, read at call time so tests and operators can override.

Every value is a Django setting named ``COMMENTS_<NAME>`` (newsroom/settings.py reads them from
the environment); docs/comments.md explains each one.
"""

from django.conf import settings

DEFAULTS = {
    # Threading: a comment (depth 0), a reply (1), a reply to a reply (2). Deeper replies join
    # the last level under the same parent, so a conversation never becomes a narrow column.
    "MAX_DEPTH": 3,
    "BODY_MAX_LENGTH": 5000,
    "NAME_MAX_LENGTH": 80,
    # The form's whole request body; anything bigger is refused (413) before it is parsed.
    "MAX_REQUEST_BYTES": 128 * 1024,
    # The signed form timestamp: faster than this is a bot, older than this asks again.
    "MIN_SUBMIT_SECONDS": 3,
    "FORM_MAX_AGE": 7 * 24 * 3600,
    # (limit, seconds) pairs, applied per IP and per email address.
    "RATE_LIMITS": ((5, 60), (30, 3600)),
    "FLAG_RATE_LIMITS": ((10, 3600),),
    "DUPLICATE_WINDOW": 600,
    "LINK_LIMIT": 2,
    # Articles older than this (days since first publication) refuse new comments; 0 = never.
    "AUTO_CLOSE_DAYS": 30,
    # Site-wide post-moderation for trusted commenters; sections and articles may override it.
    "POST_MODERATION": False,
    "TRUSTED_MIN_APPROVED": 2,
    "TRUSTED_REJECTION_WINDOW_DAYS": 90,
    # Surge guard: more posts (or flags) than this on one article within SURGE_WINDOW seconds
    # switches the article to pre-moderation for SURGE_HOLD seconds and alerts the moderators.
    "SURGE_POSTS": 30,
    "SURGE_FLAGS": 10,
    "SURGE_WINDOW": 600,
    "SURGE_HOLD": 6 * 3600,
    "FLAG_THRESHOLD": 3,
    "RETENTION_DAYS": 30,
    # What erasing an email address does to its comments: "anonymise" or "delete".
    "ERASE_MODE": "anonymise",
    # Akismet-compatible spam checker, off unless a URL and key are set.
    "SPAM_CHECKER_URL": "",
    "SPAM_CHECKER_KEY": "",
    "SPAM_CHECKER_TIMEOUT": 3.0,
    # Notification mails per recipient: (limit, seconds) pairs.
    "NOTIFY_RATE_LIMITS": ((5, 3600), (20, 86400)),
    # A new confirmation request to the same address at most this often.
    "CONFIRMATION_INTERVAL_DAYS": 30,
    "DIGEST_INTERVAL_HOURS": 6,
    # Extra digest and alert recipients besides the Moderator group's members.
    "MODERATOR_EMAILS": (),
    "REMEMBER_COOKIE_AGE": 365 * 24 * 3600,
    "PENDING_TOKEN_MAX_AGE": 7 * 24 * 3600,
}


class _CommentSettings:
    def __getattr__(self, name: str):
        if name not in DEFAULTS:
            raise AttributeError(name)
        return getattr(settings, f"COMMENTS_{name}", DEFAULTS[name])


comments_settings = _CommentSettings()
