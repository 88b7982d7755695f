"""Occurrences stored before their public form existed get one when the release migrates."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("datasets", "0004_dataset_newest_first"), ("species", "0001_initial")]
AFTER = [("datasets", "0006_generalize_existing"), ("species", "0002_species_vernacular_names")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_stored_tiger_records_are_generalized_and_old_messages_lose_their_cells():
    old = _migrate(BEFORE)
    species = old.get_model("species", "Species").objects.get(code="TIGER_AMUR")
    user = old.get_model("accounts", "User").objects.create(username="m-old", country_id="RU")
    dataset = old.get_model("datasets", "Dataset").objects.create(
        title="Old survey", uploader=user, owner_country_id="RU", status="published"
    )
    dataset.species.add(species)
    DataFile = old.get_model("datasets", "DataFile")
    data_file = DataFile.objects.create(
        dataset=dataset,
        file="x.csv",
        original_name="x.csv",
        size=1,
        uploaded_by=user,
        state="ready",
        warnings=["Names not in the species list (kept, not linked): den 43.3351"],
    )
    failed = DataFile.objects.create(
        dataset=dataset,
        file="y.csv",
        original_name="y.csv",
        size=1,
        uploaded_by=user,
        state="failed",
        error="row 2: the coordinates “43.33N, 131.33E” are not numbers",
    )
    Occurrence = old.get_model("datasets", "Occurrence")
    for name, known, latitude in [
        ("Panthera tigris altaica", species, 43.21013),
        ("tiger near the den", None, 43.33512),
    ]:
        Occurrence.objects.create(
            dataset=dataset,
            data_file=data_file,
            species=known,
            scientific_name=name,
            latitude=latitude,
            longitude=131.38761,
            row=2,
        )

    new = _migrate(AFTER)
    public = new.get_model("datasets", "PublicOccurrence").objects.order_by("latitude")
    assert [(row.latitude, row.longitude, row.grid) for row in public] == [
        (43.2, 131.4, 0.1),
        (43.3, 131.4, 0.1),  # unresolved: the dataset's strictest rule, here the tiger's
    ]
    migrated = new.get_model("datasets", "DataFile")
    assert migrated.objects.get(pk=data_file.pk).warnings == []
    legacy = migrated.objects.get(pk=failed.pk)
    assert legacy.error == ""
    assert legacy.problems == [{"code": "legacy", "text": failed.error}]
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
