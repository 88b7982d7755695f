"""``manage.py load_reference``: create or update the reference data shipped with the project."""

from django.core.management.base import BaseCommand

from species.services import reference_data_load


class Command(BaseCommand):
    help = "Load member States, flagship species, key sites, KMGBF targets and themes (idempotent)."

    def handle(self, *args, **options) -> None:
        counts = reference_data_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Reference data: {counts.countries} countries, {counts.species} species, "
                f"{counts.sites} sites, {counts.targets} KMGBF targets, {counts.themes} themes."
            )
        )
