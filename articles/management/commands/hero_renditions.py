"""Make the hero images' renditions and crops that are missing: for articles uploaded before
the crops existed, or while no worker ran. Idempotent: what exists is kept."""

from django.core.management.base import BaseCommand

from articles.images import article_hero_renditions_generate, article_ids_missing_renditions


class Command(BaseCommand):
    help = (
        "Make the renditions and 16:9, 4:3 and 1:1 crops of every hero image that has no crops "
        "yet (--all: of every hero image), as the worker does after an upload."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", dest="every", help="Every article with a hero image."
        )

    def handle(self, *args, every=False, **options):
        ids = article_ids_missing_renditions(every=every)
        made = skipped = 0
        for article_id in ids:
            if article_hero_renditions_generate(article_id=article_id) is None:
                skipped += 1
            else:
                made += 1
        self.stdout.write(
            f"Hero images: {made} with their renditions and crops, {skipped} skipped "
            "(missing or unreadable; see the log)."
        )
