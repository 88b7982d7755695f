"""``manage.py rebuild_search_index``: refresh every search document (after a restore, say).

``--vectors`` also computes the vectors of cross-language search, in this process;
``--vectors-only`` computes them alone, for documents indexed while no worker ran.
"""

from django.core.management.base import BaseCommand

from search.services import index_all
from search.vectors import search_vectors_rebuild


class Command(BaseCommand):
    help = "Rebuild the search documents of every publication, event and dataset."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--vectors", action="store_true", help="Also compute the vectors.")
        parser.add_argument(
            "--vectors-only", action="store_true", help="Compute the vectors of the documents."
        )

    def handle(self, *args, **options) -> None:
        if not options["vectors_only"]:
            self.stdout.write(self.style.SUCCESS(f"{index_all()} search documents rebuilt."))
        if options["vectors"] or options["vectors_only"]:
            count = search_vectors_rebuild()
            self.stdout.write(self.style.SUCCESS(f"{count} search vectors computed."))
