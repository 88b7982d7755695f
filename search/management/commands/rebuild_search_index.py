"""``manage.py rebuild_search_index``: refresh every search document (after a restore, say)."""

from django.core.management.base import BaseCommand

from search.services import index_all


class Command(BaseCommand):
    help = "Rebuild the search documents of every publication, event and dataset."

    def handle(self, *args, **options) -> None:
        self.stdout.write(self.style.SUCCESS(f"{index_all()} search documents rebuilt."))
