"""Add addresses to the suppression list, from arguments or a file (one address per line, or
the first column of a CSV export of a provider's bounce or complaint list).

    manage.py newsletter_suppress bob@example.org --reason complaint
    manage.py newsletter_suppress --file bounces.csv --reason hard_bounce --detail "ESP export"
"""

import csv
import sys

from django.core.management.base import BaseCommand, CommandError

from newsletter.models import Suppression
from newsletter.services import InvalidEmail, suppression_add


class Command(BaseCommand):
    help = "Never mail these addresses again (hard bounces, complaints, requests)."

    def add_arguments(self, parser):
        parser.add_argument("emails", nargs="*", help="Addresses to suppress.")
        parser.add_argument(
            "--file", help="A file with one address per line or a CSV (first column); - is stdin."
        )
        parser.add_argument(
            "--reason",
            choices=Suppression.Reason.values,
            default=Suppression.Reason.MANUAL,
            help="Why (default: manual).",
        )
        parser.add_argument("--detail", default="", help="A note kept with each suppression.")

    def _addresses(self, options):
        yield from options["emails"]
        name = options.get("file")
        if not name:
            return
        try:
            handle = sys.stdin if name == "-" else open(name, newline="", encoding="utf-8-sig")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"Cannot read {name}: {exc}") from exc
        with handle:
            for row in csv.reader(handle):
                if row and row[0].strip() and "@" in row[0]:
                    yield row[0].strip()

    def handle(self, *args, **options):
        if not options["emails"] and not options.get("file"):
            raise CommandError("Give addresses as arguments or --file.")
        added = existing = 0
        invalid = []
        for address in self._addresses(options):
            try:
                _, created = suppression_add(
                    email=address,
                    reason=options["reason"],
                    detail=options["detail"],
                    source="command",
                )
            except InvalidEmail:
                invalid.append(address)
                continue
            added += created
            existing += not created
        self.stdout.write(f"Suppressed {added} address(es); {existing} already suppressed.")
        if invalid:
            self.stderr.write(
                f"Skipped {len(invalid)} invalid address(es): {', '.join(invalid[:20])}"
            )
