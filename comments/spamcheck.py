"""An external spam checker speaking Akismet's comment-check protocol (Akismet itself, or any
compatible service). Off unless COMMENTS_SPAM_CHECKER_URL and COMMENTS_SPAM_CHECKER_KEY are set.

https://akismet.com/developers/detailed-docs/comment-check/
"""

import enum
import logging

import requests
from django.conf import settings

logger = logging.getLogger(__name__)


class Verdict(enum.Enum):
    HAM = "ham"
    SPAM = "spam"
    UNAVAILABLE = "unavailable"


def is_enabled() -> bool:
    return bool(settings.COMMENTS_SPAM_CHECKER_URL and settings.COMMENTS_SPAM_CHECKER_KEY)


def check(
    *,
    permalink: str,
    author_name: str,
    author_email: str,
    author_url: str,
    body: str,
    ip: str | None,
    user_agent: str,
) -> Verdict:
    """Ask the checker; a timeout, an error or an unexpected answer is UNAVAILABLE (the comment
    is then held, never lost and never auto-approved)."""
    data = {
        "api_key": settings.COMMENTS_SPAM_CHECKER_KEY,
        "blog": settings.SITE_URL,
        "user_ip": ip or "",
        "user_agent": user_agent,
        "permalink": permalink,
        "comment_type": "comment",
        "comment_author": author_name,
        "comment_author_email": author_email,
        "comment_author_url": author_url,
        "comment_content": body,
        "blog_charset": "UTF-8",
    }
    try:
        response = requests.post(
            settings.COMMENTS_SPAM_CHECKER_URL,
            data=data,
            timeout=settings.COMMENTS_SPAM_CHECKER_TIMEOUT,
            headers={"User-Agent": "Newsroom/1.0 | Akismet-compatible client"},
        )
    except requests.RequestException as exc:
        logger.warning("spam checker unreachable", extra={"error": str(exc)})
        return Verdict.UNAVAILABLE
    answer = response.text.strip().lower()
    if response.status_code == 200 and answer == "true":
        return Verdict.SPAM
    if response.status_code == 200 and answer == "false":
        return Verdict.HAM
    logger.warning(
        "spam checker gave no verdict",
        extra={
            "status": response.status_code,
            "debug_help": response.headers.get("X-akismet-debug-help", ""),
        },
    )
    return Verdict.UNAVAILABLE
