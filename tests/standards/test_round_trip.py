"""A Darwin Core Archive imported, exported and imported again keeps its occurrences: exact
for the owner. The export is read by the hub's own reader and by python-dwca-reader."""

import random
import time

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from datasets.models import Occurrence
from datasets.processing import pipeline
from tests.exports.archives import body, read_archive
from tests.factories import DataFileFactory, DatasetFactory
from tests.standards import archives

NAMES = [
    "Panthera tigris altaica",
    "Grus monacha",
    "Grus vipio",
    "Platalea minor",
    "Capra sibirica",
]
ROWS = 3000


def _rows(count: int) -> list[list[str]]:
    generator = random.Random(17)
    return [
        [
            f"r{index}",
            generator.choice(NAMES),
            f"2023-{generator.randint(1, 12):02d}-{generator.randint(1, 28):02d}",
            f"{generator.uniform(41, 48):.5f}",
            f"{generator.uniform(125, 135):.5f}",
        ]
        for index in range(count)
    ]


def _import(dataset, name: str, data: bytes):
    data_file = DataFileFactory(dataset=dataset, original_name=name)
    data_file.file.save(name, ContentFile(data))
    assert pipeline.process(data_file.pk) == "ready"
    data_file.refresh_from_db()
    return data_file


def _records(data_file) -> list[tuple]:
    return sorted(
        Occurrence.objects.filter(data_file=data_file).values_list(
            "scientific_name", "event_date", "latitude", "longitude", "species__code"
        )
    )


@pytest.mark.django_db
def test_an_archive_exported_and_imported_again_has_the_same_occurrences(
    client, researcher_a, tmp_path, capsys
):
    dataset = DatasetFactory(uploader=researcher_a, access_level="country")
    started = time.perf_counter()
    first = _import(dataset, "in.zip", archives.occurrence_dwca(_rows(ROWS)))
    client.force_login(researcher_a)
    exported = body(client.get(reverse("api:dataset-export-dwca", args=[dataset.pk])))
    rows, _eml = read_archive(exported, tmp_path)  # python-dwca-reader opens it
    again = _import(DatasetFactory(uploader=researcher_a), "out.zip", exported)
    seconds = time.perf_counter() - started

    assert first.row_count == len(rows) == again.row_count == ROWS
    assert _records(again) == _records(first)
    with capsys.disabled():
        print(f"\nround trip: {ROWS} rows in, {len(rows)} rows out, {seconds:.2f} s")
