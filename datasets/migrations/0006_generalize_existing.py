"""Decide the public form of the occurrences stored before it existed, and take the cell
values out of earlier processing messages.

The same statement as ``datasets.locations.generalize_file``, with this migration's models;
``manage.py generalize_occurrences`` does it again whenever the rules change.
"""

from decimal import Decimal

from django.db import migrations

GRIDS = {"1": None, "2": Decimal("0.1"), "3": Decimal("0.01"), "4": Decimal("0.001"), "0": Decimal("0")}
COARSEST = Decimal("0.1")
LEGACY_NAMES_WARNING = "Names not in the species list"


def _stricter(first, second):
    if first is None or second is None:
        return None
    return max(first, second)


def generalize(apps, schema_editor):
    from datasets.locations import write_public_form

    Species = apps.get_model("species", "Species")
    DataFile = apps.get_model("datasets", "DataFile")
    Dataset = apps.get_model("datasets", "Dataset")
    Occurrence = apps.get_model("datasets", "Occurrence")
    PublicOccurrence = apps.get_model("datasets", "PublicOccurrence")
    rules = {pk: GRIDS[sensitivity] for pk, sensitivity in Species.objects.values_list("pk", "sensitivity")}
    with_records = Occurrence.objects.values("data_file_id").distinct()
    for data_file in DataFile.objects.filter(pk__in=with_records).only("pk", "dataset_id"):
        dataset = Dataset.objects.get(pk=data_file.dataset_id)
        fallback = COARSEST
        for sensitivity in dataset.species.values_list("sensitivity", flat=True):
            fallback = _stricter(fallback, GRIDS[sensitivity])
        PublicOccurrence.objects.filter(data_file_id=data_file.pk).delete()
        write_public_form(
            schema_editor.connection,
            data_file_id=data_file.pk,
            rules=rules,
            fallback=fallback,
            public_table=PublicOccurrence._meta.db_table,
            occurrence_table=Occurrence._meta.db_table,
        )


def legacy_messages(apps, schema_editor):
    """Keep earlier messages that quote cells only for those who may download the file."""
    DataFile = apps.get_model("datasets", "DataFile")
    for data_file in DataFile.objects.exclude(error="", warnings=[]).iterator():
        warnings = [w for w in data_file.warnings if not str(w).startswith(LEGACY_NAMES_WARNING)]
        problems = []
        if data_file.error.startswith("row "):
            problems = [{"code": "legacy", "text": part} for part in data_file.error.split("; ")]
        if problems or warnings != data_file.warnings:
            data_file.problems = problems or data_file.problems
            data_file.error = "" if problems else data_file.error
            data_file.warnings = warnings
            data_file.save(update_fields=["problems", "error", "warnings"])


class Migration(migrations.Migration):
    dependencies = [
        ("datasets", "0005_public_occurrences"),
        ("species", "0002_species_vernacular_names"),
    ]

    operations = [
        migrations.RunPython(generalize, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(legacy_messages, migrations.RunPython.noop, elidable=True),
    ]
