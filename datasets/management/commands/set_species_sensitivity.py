"""Change a species' sensitivity category and decide again the public form of its records.

The Django admin shows the category read-only once a species exists: changed there alone,
the records stored under the old category would keep their old public form. The change
writes an audit event (no actor: the command line); the public rows written again are
derived from it, and are not audited one by one.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q

from access.services import audit_record
from datasets import locations
from datasets.models import Dataset, Occurrence
from species.models import Sensitivity, Species


class Command(BaseCommand):
    help = "Set a species' sensitivity category (0-4) and regeneralize its records."

    def add_arguments(self, parser):
        parser.add_argument("code", help="Species code, e.g. TIGER_AMUR.")
        parser.add_argument("category", choices=Sensitivity.values)

    @transaction.atomic
    def handle(self, *args, code, category, **options):
        try:
            species = Species.objects.select_for_update().get(code=code)
        except Species.DoesNotExist:
            raise CommandError(f"No species {code}.") from None
        previous = species.sensitivity
        species.sensitivity = category
        species.save(update_fields=["sensitivity"])
        audit_record(
            actor=None,
            action="species.sensitivity",
            obj=species,
            detail={"via": "set_species_sensitivity", "from": previous, "to": category},
        )
        # Its own records, and every dataset tagged with it (their unresolved names).
        recorded = Occurrence.objects.filter(species=species).values("dataset_id")
        datasets = Dataset.objects.filter(Q(species=species) | Q(pk__in=recorded)).distinct()
        rows = sum(locations.generalize_dataset(dataset) for dataset in datasets)
        self.stdout.write(
            f"{species.code}: {species.get_sensitivity_display()}; {rows} public rows written."
        )
