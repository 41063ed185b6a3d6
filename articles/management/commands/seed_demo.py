"""Load the demo newsroom once. Idempotent: running it again changes nothing."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEMO_PASSWORD = "newsroom-demo"  # noqa: S105 - printed to the developer; demo data only


class Command(BaseCommand):
    help = "Create the demo newsroom (accounts and content) if it is not there yet."

    def handle(self, *args, **options):
        User = get_user_model()
        if not User.objects.filter(is_superuser=True).exists():
            User.objects.create_superuser("admin", "admin@example.org", DEMO_PASSWORD)
            self.stdout.write("Created the demo administrator.")
        self.stdout.write("Demo logins (username / password):")
        self.stdout.write(f"  admin / {DEMO_PASSWORD}")
