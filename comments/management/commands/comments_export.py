"""Export everything stored about a commenter's email address as JSON (GDPR access request)."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from comments.privacy import commenter_export


class Command(BaseCommand):
    help = "Print (or write to a file) everything the comments app stores about an email address."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--output", "-o", help="Write the JSON to this file instead of stdout.")

    def handle(self, *args, email, output=None, **options):
        try:
            data = commenter_export(actor=None, email=email)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        text = json.dumps(data, indent=2, ensure_ascii=False)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            self.stderr.write(
                f"Wrote {len(data['comments'])} comment(s) and {len(data['reports'])} report(s) "
                f"to {output}."
            )
        else:
            self.stdout.write(text)
