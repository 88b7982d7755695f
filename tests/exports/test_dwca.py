"""The Darwin Core Archive export, read back with python-dwca-reader and the EML 2.2 XSD.

A person who may download the dataset gets every record exact; anyone else who sees it gets
the public form, generalized or withheld, saying so in ``dataGeneralizations`` and
``informationWithheld``; whoever may not see it gets 404. Each export is an audited download.
"""

from datetime import date

import pytest
from django.urls import reverse

from access.models import AuditEvent
from datasets import locations
from datasets.models import Occurrence
from species.models import Species
from tests.exports.archives import body, eml_schema, read_archive
from tests.factories import DataFileFactory, DatasetFactory

TIGER = (43.21013, 131.38761)
CRANE = (42.55555, 130.44444)


def _dataset(uploader, **fields):
    dataset = DatasetFactory(
        uploader=uploader,
        title="Tigers and cranes of the Tumen",
        title_en="Tigers and cranes",
        abstract="Camera stations along the river.\tTabs and\nlines stay in EML.",
        contact_name="Kim Min-jun",
        contact_email="kim@example.org",
        citation="Kim (2024). Tigers and cranes. NEASPEC.",
        temporal_start=date(2023, 1, 1),
        temporal_end=date(2023, 12, 31),
        **fields,
    )
    tiger = Species.objects.get(code="TIGER_AMUR")
    crane = Species.objects.get(code="HOODED_CRANE")
    dataset.species.set([tiger, crane])
    records = DataFileFactory(dataset=dataset, state="ready")
    rows = [
        (tiger, "Panthera tigris altaica", TIGER, date(2023, 5, 1)),
        (tiger, "Panthera tigris altaica", TIGER, date(2023, 5, 9)),
        (crane, "Grus monacha", CRANE, date(2023, 3, 2)),
        (None, "big cat sp.", (44.0, 132.0), None),
    ]
    for index, (species, name, (latitude, longitude), day) in enumerate(rows, start=2):
        Occurrence.objects.create(
            dataset=dataset,
            data_file=records,
            species=species,
            scientific_name=name,
            latitude=latitude,
            longitude=longitude,
            event_date=day,
            row=index,
        )
    locations.generalize_file(records)
    return dataset


def _url(dataset) -> str:
    return reverse("api:dataset-export-dwca", args=[dataset.pk])


@pytest.mark.django_db
def test_it_gives_the_owner_every_record_exact(client, researcher_a, tmp_path):
    dataset = _dataset(researcher_a)
    client.force_login(researcher_a)
    response = client.get(_url(dataset))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response.streaming
    rows, eml = read_archive(body(response), tmp_path)
    points = sorted((row["decimalLatitude"], row["decimalLongitude"]) for row in rows)
    assert points == sorted(
        [("43.21013", "131.38761")] * 2 + [("42.55555", "130.44444"), ("44.0", "132.0")]
    )
    names = sorted(row["scientificName"] for row in rows)
    assert names == [
        "Grus monacha",
        "Panthera tigris altaica",
        "Panthera tigris altaica",
        "big cat sp.",
    ]
    assert {row["dataGeneralizations"] for row in rows} == {""}
    assert {row["license"] for row in rows} == {"CC-BY-4.0"}
    assert len({row["occurrenceID"] for row in rows}) == 4
    eml_schema().validate(eml)


@pytest.mark.django_db
def test_it_gives_a_visitor_the_public_form_saying_so(client, researcher_a, tmp_path):
    dataset = _dataset(researcher_a, access_level="country")
    response = client.get(_url(dataset))
    assert response.status_code == 200
    data = body(response)
    rows, eml = read_archive(data, tmp_path)
    assert len(rows) == 4, "one line per record the public form stands for"
    assert b"43.21013" not in data and b"131.38761" not in data
    tigers = [row for row in rows if row["scientificName"] == "Panthera tigris altaica"]
    assert {(row["decimalLatitude"], row["decimalLongitude"]) for row in tigers} == {
        ("43.2", "131.4")
    }
    for row in tigers:
        assert row["coordinatePrecision"] == "0.1"
        assert int(row["coordinateUncertaintyInMeters"]) > 15_000
        assert "0.1 degree grid" in row["dataGeneralizations"]
        assert row["informationWithheld"]
        assert row["eventDate"] == "2023-05-01/2023-05-09"
    (unresolved,) = [row for row in rows if row["scientificName"] == ""]
    assert "could not be resolved" in unresolved["informationWithheld"]
    assert unresolved["decimalLatitude"] in ("", "44.0")
    eml_schema().validate(eml)
    assert "Tigers and cranes" in eml and "Grus monacha" in eml


@pytest.mark.django_db
def test_eml_coverage_is_the_public_extent_whoever_asks(client, researcher_a, tmp_path):
    dataset = _dataset(researcher_a)
    client.force_login(researcher_a)
    _rows, eml = read_archive(body(client.get(_url(dataset))), tmp_path)
    assert "43.21013" not in eml and "131.38761" not in eml
    assert "<westBoundingCoordinate>" in eml


@pytest.mark.django_db
def test_it_is_an_audited_download(client, researcher_a, researcher_b):
    dataset = _dataset(researcher_a, access_level="public")
    client.force_login(researcher_b)
    body(client.get(_url(dataset)))
    event = AuditEvent.objects.get(action="dataset.export")
    assert (event.actor, event.object_id) == (researcher_b, str(dataset.pk))
    assert event.detail == {"dataset": dataset.pk, "format": "dwca", "exact": True}


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["draft", "submitted", "withdrawn"])
def test_outsiders_get_404(client, researcher_a, researcher_b, status):
    dataset = _dataset(researcher_a, status=status, access_level="public")
    assert client.get(_url(dataset)).status_code == 404
    client.force_login(researcher_b)
    assert client.get(_url(dataset)).status_code == 404
    assert client.get(reverse("api:dataset-export-dwca", args=[999_999])).status_code == 404
    assert not AuditEvent.objects.filter(action="dataset.export").exists()


@pytest.mark.django_db
def test_the_dataset_page_offers_the_archive(client, researcher_a):
    dataset = _dataset(researcher_a)
    page = client.get(reverse("datasets:detail", args=[dataset.pk])).content.decode()
    assert _url(dataset) in page


@pytest.mark.django_db
def test_a_large_export_is_streamed_in_blocks(client, researcher_a, tmp_path):
    dataset = _dataset(researcher_a, access_level="public")
    records = dataset.files.get()
    Occurrence.objects.bulk_create(
        Occurrence(
            dataset=dataset,
            data_file=records,
            scientific_name="Grus monacha",
            latitude=42.0 + index / 10_000,
            longitude=130.0,
            row=10 + index,
        )
        for index in range(5000)
    )
    response = client.get(_url(dataset))
    chunks = list(response.streaming_content)
    assert len(chunks) > 5, "rows leave in blocks, not as one built archive"
    rows, _eml = read_archive(b"".join(chunks), tmp_path)
    assert len(rows) == 5004
