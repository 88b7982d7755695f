"""Occurrence points: stored from tables, generalized for people without download rights."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from access import policy
from datasets.models import Occurrence
from datasets.processing import pipeline
from tests.factories import DataFileFactory, DatasetFactory

TIGER = (
    "scientificName,eventDate,decimalLatitude,decimalLongitude\n"
    "Panthera tigris altaica,2023-02-11,43.1234,131.5678\n"
)


def _processed(dataset, name, text):
    data_file = DataFileFactory(dataset=dataset, original_name=name)
    data_file.file.save(name, ContentFile(text.encode()))
    assert pipeline.process(data_file.pk) == "ready"
    return data_file


def test_a_tiger_point_is_generalized_for_outsiders_and_exact_for_insiders(
    db, researcher_a, researcher_b, visitor
):
    dataset = DatasetFactory(uploader=researcher_a, access_level="country")
    _processed(dataset, "tigers.csv", TIGER)
    assert Occurrence.objects.count() == 1

    [outside] = policy.occurrences_for(researcher_b)
    assert outside["geometry"]["coordinates"] == [131.6, 43.1]
    assert outside["properties"]["coordinateUncertaintyInMeters"] == 15_721
    assert "0.1 degree grid" in outside["properties"]["dataGeneralizations"]
    assert policy.occurrences_for(visitor)[0]["geometry"]["coordinates"] == [131.6, 43.1]

    [inside] = policy.occurrences_for(researcher_a)
    assert inside["geometry"]["coordinates"] == [131.5678, 43.1234]
    assert "dataGeneralizations" not in inside["properties"]


def test_a_narrow_box_cannot_find_the_exact_point(db, researcher_a, researcher_b):
    dataset = DatasetFactory(uploader=researcher_a, access_level="country")
    _processed(dataset, "tigers.csv", TIGER)
    exact_box = (131.567, 43.123, 131.568, 43.124)
    assert policy.occurrences_for(researcher_b, bbox=exact_box) == []
    assert len(policy.occurrences_for(researcher_a, bbox=exact_box)) == 1


def test_camera_stations_and_recent_collar_fixes_are_withheld(db, researcher_a, researcher_b):
    dataset = DatasetFactory(uploader=researcher_a, access_level="country")
    recent = (timezone.localdate() - timedelta(days=10)).isoformat()
    _processed(
        dataset,
        "deployments.csv",
        "deploymentID,latitude,longitude,deploymentStart,deploymentEnd\n"
        "d1,43.12,131.56,2023-01-01,2023-03-01\n",
    )
    _processed(
        dataset,
        "gps.csv",
        "timestamp,location-long,location-lat,individual-local-identifier,"
        "individual-taxon-canonical-name\n"
        f"{recent} 10:00:00.000,131.5,43.2,T-12,Panthera tigris altaica\n"
        "2020-01-01 10:00:00.000,131.5,43.2,T-12,Panthera tigris altaica\n",
    )
    features = policy.occurrences_for(researcher_b)
    withheld = [f for f in features if f["geometry"] is None]
    assert len(withheld) == 2
    assert all("withheld" in f["properties"]["informationWithheld"] for f in withheld)
    [old_fix] = [f for f in features if f["geometry"] is not None]
    assert old_fix["geometry"]["coordinates"] == [131.5, 43.2]  # on the 0.1° grid already
    assert "0.1 degree grid" in old_fix["properties"]["dataGeneralizations"]
    assert all(f["geometry"] is not None for f in policy.occurrences_for(researcher_a))


def test_unpublished_datasets_show_no_points_to_outsiders(db, researcher_a, researcher_b, client):
    dataset = DatasetFactory(uploader=researcher_a, status="draft", access_level="public")
    _processed(dataset, "tigers.csv", TIGER)
    assert policy.occurrences_for(researcher_b) == []
    body = client.get("/api/v1/occurrences/", {"species": "TIGER_AMUR"}).json()
    assert body == {"type": "FeatureCollection", "features": []}
    assert client.get("/api/v1/occurrences/", {"bbox": "1,2"}).status_code == 400
