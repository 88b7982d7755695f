"""The Camtrap DP export, validated by Frictionless and the Camtrap DP profile.

The owner gets every detection at its exact station; anyone else who sees the dataset gets
the public form, where a sensitive species' camera station is withheld (its detections left
out, the package says how many); whoever may not see it gets 404, as does a dataset that is
not a camera-trap survey. Each export is an audited download.
"""

import csv
import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path

import frictionless
import jsonschema
import pytest
from django.urls import reverse
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from access.models import AuditEvent
from datasets import locations
from datasets.models import Occurrence
from species.models import Species
from tests.exports.archives import body
from tests.factories import DataFileFactory, DatasetFactory

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas" / "camtrap-dp-1.0.2"
TIGER = (43.21013, 131.38761)
DEER = (43.5, 131.9)


def _dataset(uploader, **fields):
    dataset = DatasetFactory(
        uploader=uploader, method="camera_traps", access_level="country", **fields
    )
    records = DataFileFactory(dataset=dataset, state="ready")
    tiger = Species.objects.get(code="TIGER_AMUR")
    rows = [
        (tiger, "Panthera tigris altaica", TIGER, date(2023, 5, 1)),
        (tiger, "Panthera tigris altaica", TIGER, date(2023, 5, 9)),
        (None, "Capreolus pygargus", DEER, date(2023, 6, 2)),
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
            context="camera_station",
        )
    locations.generalize_file(records)
    return dataset


def _validated(data: bytes, tmp_path: Path) -> dict[str, list[dict]]:
    """Validate the package with Frictionless and the profile; return its tables' rows."""
    folder = tmp_path / "package"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(folder)
    descriptor = json.loads((folder / "datapackage.json").read_text())
    profile = json.loads((SCHEMAS / "camtrap-dp-profile.json").read_text())
    profile["allOf"] = [part for part in profile["allOf"] if "$ref" not in part]
    geojson = json.loads(
        Path(frictionless.__file__)
        .with_name("assets")
        .joinpath("profiles/geojson.json")
        .read_text()
    )
    registry = Registry().with_resource(
        "http://json.schemastore.org/geojson.json",
        Resource.from_contents(geojson, default_specification=DRAFT4),
    )
    jsonschema.Draft4Validator(profile, registry=registry).validate(descriptor)
    local = dict(descriptor, profile="data-package")
    for resource in local["resources"]:
        resource["schema"] = json.loads(
            (SCHEMAS / resource["schema"].rsplit("/", 1)[-1]).read_text()
        )
    package = frictionless.Package(local, basepath=str(folder))
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "note"])
    return {
        name: list(csv_rows)
        for name, csv_rows in (
            (name, _rows(folder / f"{name}.csv")) for name in ("deployments", "observations")
        )
    } | {"descriptor": [descriptor]}


def _rows(path: Path) -> list[dict]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def _url(dataset) -> str:
    return reverse("api:dataset-export-camtrap-dp", args=[dataset.pk])


@pytest.mark.django_db
def test_it_gives_the_owner_every_detection_at_its_station(client, researcher_a, tmp_path):
    dataset = _dataset(researcher_a)
    client.force_login(researcher_a)
    response = client.get(_url(dataset))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    tables = _validated(body(response), tmp_path)
    stations = sorted((row["latitude"], row["longitude"]) for row in tables["deployments"])
    assert stations == [("43.21013", "131.38761"), ("43.5", "131.9")]
    assert len(tables["observations"]) == 3
    descriptor = tables["descriptor"][0]
    assert descriptor["temporal"] == {"start": "2023-05-01", "end": "2023-06-02"}
    event = AuditEvent.objects.get(action="dataset.export")
    assert event.detail == {"dataset": dataset.pk, "format": "camtrap-dp", "exact": True}


@pytest.mark.django_db
def test_a_visitor_never_gets_a_sensitive_camera_station(client, researcher_a, tmp_path):
    dataset = _dataset(researcher_a, status="published")
    response = client.get(_url(dataset))
    assert response.status_code == 200
    data = body(response)
    tables = _validated(data, tmp_path)
    assert b"43.21013" not in data and b"131.38761" not in data
    names = {row["scientificName"] for row in tables["observations"]}
    assert "Panthera tigris altaica" not in names
    left_out = re.search(r"(\d+) records are left out", tables["descriptor"][0]["description"])
    assert int(left_out.group(1)) + len(tables["observations"]) == 3
    for row in tables["deployments"]:  # whatever is given is on the public grid
        assert len(row["latitude"].split(".")[-1]) <= 2, row
    event = AuditEvent.objects.get(action="dataset.export")
    assert event.detail["exact"] is False


@pytest.mark.django_db
def test_it_is_404_to_outsiders_and_for_other_methods(client, researcher_a, researcher_b):
    dataset = _dataset(researcher_a, status="draft")  # researcher B may not see it
    client.force_login(researcher_b)
    assert client.get(_url(dataset)).status_code == 404
    counts = DatasetFactory(uploader=researcher_a, method="bird_count")
    client.force_login(researcher_a)
    assert client.get(_url(counts)).status_code == 404
    assert not AuditEvent.objects.filter(action="dataset.export").exists()
