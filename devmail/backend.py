"""The development mail outbox: every message a file in var/mail/, announced in one log line.

`EMAIL_URL=devmail://` (the default with DEBUG on) selects it. Nothing leaves the machine; staff
read the messages at /dev/mail/ (a confirmation link is one click away), or open the .eml files
in any mail program.
"""

import logging
import secrets
import threading
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from core.links import absolute_url

logger = logging.getLogger(__name__)
_lock = threading.Lock()


def outbox_dir() -> Path:
    return Path(settings.EMAIL_FILE_PATH)


def new_mail_id() -> str:
    """Sortable by time: 20261205-085701-962341-3f2a."""
    return f"{datetime.now():%Y%m%d-%H%M%S-%f}-{secrets.token_hex(2)}"


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        folder = outbox_dir()
        folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            with _lock:
                mail_id = new_mail_id()
                path = folder / f"{mail_id}.eml"
            try:
                path.write_bytes(message.message().as_bytes(linesep="\n"))
            except OSError:
                if not self.fail_silently:
                    raise
                continue
            sent += 1
            url = absolute_url(reverse("devmail:detail", args=[mail_id]))
            logger.info(
                "Mail to %s: %s (read it at %s)",
                ", ".join(message.recipients()),
                message.subject,
                url,
            )
        return sent
