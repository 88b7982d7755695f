"""Processing messages are stored as codes with parameters and worded in the reader's
language; messages stored as English text before are migrated to codes where recognized."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from datasets.message_catalog import word
from datasets.messages import file_report
from tests.factories import DataFileFactory

BEFORE = [("datasets", "0012_merge_previews_counts")]
AFTER = [("datasets", "0013_processing_messages_as_codes")]


@pytest.mark.django_db
def test_a_stored_error_is_worded_in_the_readers_language():
    data_file = DataFileFactory(state="failed", error="The file is empty.", error_code="empty")
    with translation.override("ru"):
        assert file_report(data_file, with_values=False).error == "Файл пуст."
    with translation.override("en"):
        assert file_report(data_file, with_values=False).error == "The file is empty."


@pytest.mark.django_db
def test_a_legacy_text_is_shown_only_to_people_who_may_download():
    data_file = DataFileFactory(state="failed", error="row 2: “43.33N” is odd", warnings=["x 43.3"])
    assert file_report(data_file, with_values=True).error == "row 2: “43.33N” is odd"
    outsider = file_report(data_file, with_values=False)
    assert "43.33" not in outsider.error
    assert outsider.warnings == [outsider.error]


def test_a_row_number_is_grouped_as_the_reader_groups_digits():
    with translation.override("en"):
        assert word("field_too_long", {"row": 1204, "max": 1}).startswith("row 1,204:")
    with translation.override("ru"):
        assert "1\xa0204" in word("field_too_long", {"row": 1204, "max": 1})


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_known_english_messages_into_codes():
    old = _migrate(BEFORE)
    user = old.get_model("accounts", "User").objects.create(username="m-old", country_id="RU")
    DataFile = old.get_model("datasets", "DataFile")

    def stored(**fields):
        return DataFile.objects.create(
            file="x.csv", original_name="x.csv", size=1, uploaded_by=user, **fields
        )

    bomb = stored(
        state="failed", error="huge.csv expands 1000 times when unpacked: refused as a zip bomb."
    )
    wrong = stored(
        state="failed",
        error="The name ends in .pdf but the file is a PNG image; rename it or upload the "
        "right file.",
    )
    odd = stored(state="failed", error="Something the hub once said.")
    warned = stored(
        state="ready",
        warnings=[
            "The table has a header but no rows.",
            "Identical to a.csv, already in this dataset.",
            "An old note.",
        ],  # fmt: skip
    )

    new = _migrate(AFTER)
    files = new.get_model("datasets", "DataFile").objects
    bomb, wrong, odd, warned = (files.get(pk=row.pk) for row in (bomb, wrong, odd, warned))
    assert (bomb.error_code, bomb.error_params) == (
        "zip_bomb",
        {"name": "huge.csv", "ratio": 1000},
    )
    assert (wrong.error_code, wrong.error_params) == (
        "wrong_extension",
        {"suffix": ".pdf", "kind": "png"},
    )
    assert (odd.error_code, odd.error) == ("", "Something the hub once said.")
    assert warned.warnings == [
        {"code": "no_rows", "params": {}},
        {"code": "duplicate", "params": {"name": "a.csv"}},
        "An old note.",
    ]
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
