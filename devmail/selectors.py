"""Reads of the development mail outbox: the newest messages and one message, parsed."""

import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from .backend import outbox_dir

MAIL_ID = re.compile(r"^\d{8}-\d{6}-\d{6}-[0-9a-f]{4}$")
LIST_LIMIT = 200


@dataclass
class Mail:
    id: str
    subject: str
    sender: str
    to: str
    date: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    text: str = ""
    html: str = ""
    attachments: list[str] = field(default_factory=list)


def _parse(path: Path, *, with_body: bool) -> Mail:
    message: EmailMessage = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    mail = Mail(
        id=path.stem,
        subject=str(message.get("Subject", "")),
        sender=str(message.get("From", "")),
        to=", ".join(str(message.get(h, "")) for h in ("To", "Cc") if message.get(h)),
        date=str(message.get("Date", "")),
    )
    if with_body:
        mail.headers = [(name, str(value)) for name, value in message.items()]
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        mail.text = text.get_content() if text is not None else ""
        mail.html = html.get_content() if html is not None else ""
        mail.attachments = [
            part.get_filename() or "(unnamed)" for part in message.iter_attachments()
        ]
    return mail


def mail_list_newest(limit: int = LIST_LIMIT) -> tuple[list[Mail], int]:
    """The newest messages first, and how many there are in all."""
    folder = outbox_dir()
    paths = sorted(folder.glob("*.eml"), reverse=True) if folder.is_dir() else []
    return [_parse(path, with_body=False) for path in paths[:limit]], len(paths)


def mail_get(mail_id: str) -> Mail | None:
    if not MAIL_ID.match(mail_id):
        return None
    path = outbox_dir() / f"{mail_id}.eml"
    return _parse(path, with_body=True) if path.is_file() else None
