"""Decide again the public form of stored occurrence records.

Run it after changing a species' sensitivity in SQL, after loading new reference names,
or after restoring occurrences from a backup (deploy/README.md says when).
"""

from django.core.management.base import BaseCommand, CommandError

from datasets import locations
from datasets.models import Dataset


class Command(BaseCommand):
    help = "Decide again the public (generalized) form of stored occurrence records."

    def add_arguments(self, parser):
        parser.add_argument("--dataset", type=int, help="Only this dataset's records.")

    def handle(self, *args, dataset=None, **options):
        if dataset is None:
            rows = locations.generalize_all()
        else:
            try:
                rows = locations.generalize_dataset(Dataset.objects.get(pk=dataset))
            except Dataset.DoesNotExist:
                raise CommandError(f"No dataset {dataset}.") from None
        self.stdout.write(f"{rows} public rows written.")
