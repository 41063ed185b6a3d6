"""Erase everything stored about a commenter's email address (GDPR erasure request)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from comments.models import Comment
from comments.privacy import commenter_erase


class Command(BaseCommand):
    help = (
        "Erase a commenter's personal data: anonymise their comments (or delete them with "
        "--mode delete) and remove their reports' contact details, consent and mail log."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--mode",
            choices=["anonymise", "delete"],
            help=f"Default: COMMENTS_ERASE_MODE ({settings.COMMENTS_ERASE_MODE}).",
        )
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, email, mode=None, yes=False, **options):
        mode = mode or settings.COMMENTS_ERASE_MODE
        count = Comment.objects.by_email(email).count()
        if not yes:
            answer = input(f"Erase ({mode}) {count} comment(s) by {email}? Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing erased.")
        try:
            result = commenter_erase(actor=None, email=email, mode=mode)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        verb = "anonymised" if result["mode"] == "anonymise" else "deleted"
        self.stdout.write(
            f"Erased {email}: {result['comments']} comment(s) {verb}, "
            f"{result['reports']} report(s) cleared."
        )
