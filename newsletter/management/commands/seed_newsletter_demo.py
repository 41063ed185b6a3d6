"""Give the demo newsroom's newsletters an audience. Idempotent: running it again changes nothing.

Five readers at example.org addresses, confirmed on "Daily digest" and "Breaking news" with
"demo" as their recorded consent source, so an edition can be sent from the admin at once.
`make run` runs it right after `seed_demo`.
"""

from django.core.management.base import BaseCommand

from newsletter.models import List
from newsletter.services import BREAKING_LIST_SLUG, DIGEST_LIST_SLUG, subscriber_add_confirmed

READERS = [
    "lena.fischer@example.org",
    "omar.benali@example.org",
    "grace.liu@example.org",
    "pedro.alves@example.org",
    "sofia.marin@example.org",
]
LISTS = [DIGEST_LIST_SLUG, BREAKING_LIST_SLUG]
CONSENT_SOURCE = "demo"


class Command(BaseCommand):
    help = "Add the demo newsletter readers, confirmed on both lists, if they are not there yet."

    def handle(self, *args, **options):
        lists = list(List.objects.filter(slug__in=LISTS))
        if len(lists) != len(LISTS):
            # The lists come with the migrations; without them there is nothing to subscribe to,
            # and `make run` should still start.
            self.stderr.write("The newsletter lists are missing: no demo readers added.")
            return
        added = sum(
            subscriber_add_confirmed(email=email, lists=lists, source=CONSENT_SOURCE)
            for email in READERS
        )
        if added:
            self.stdout.write(f"Added {added} demo newsletter subscriptions.")
        else:
            self.stdout.write("The demo newsletter readers are already there; nothing changed.")
