"""Profile and preview of a dataset's tables: who sees what, exact or in public form.

People: visitor, researcher B (another country, no right), a grantee (researcher B with a
grant), the owner (researcher A, uploader) and focal point A (owner country).
"""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from access import policy
from datasets import locations
from datasets.models import FilePreview
from datasets.processing import pipeline
from species.models import Sensitivity, Species
from tests.factories import DataFileFactory, DatasetFactory

TABLE = (
    "scientificName,eventDate,decimalLatitude,decimalLongitude,locality,individualCount\n"
    "Panthera tigris altaica,2023-02-11,43.1234,131.5678,Near the ranger hut,1\n"
    "Grus japonensis,2023-03-01,42.9876,131.1111,Marsh edge,\n"
    "Zzunknownia fictiva,2023-03-02,42.55,130.44,Creek,2\n"
)


def _processed(dataset, name, text):
    data_file = DataFileFactory(dataset=dataset, original_name=name)
    data_file.file.save(name, ContentFile(text.encode()))
    assert pipeline.process(data_file.pk) == "ready"
    return data_file


@pytest.fixture
def table(db, researcher_a):
    dataset = DatasetFactory(uploader=researcher_a, access_level="country")
    dataset.species.set([])
    return _processed(dataset, "records.csv", TABLE)


def _client_for(client, person, users):
    if users[person] is not None:
        client.force_login(users[person])
    return client


@pytest.fixture
def users(researcher_a, researcher_b, focal_point_a, partner):
    return {
        "visitor": None,
        "outsider": researcher_b,
        "grantee": partner,
        "owner": researcher_a,
        "focal_point": focal_point_a,
    }


def _grant(table, grantee, focal_point):
    policy.grant(
        dataset=table.dataset,
        until=timezone.now() + timedelta(days=30),
        granted_by=focal_point,
        user=grantee,
    )


def test_processing_stores_the_profile_and_both_forms_of_the_first_rows(table):
    preview = FilePreview.objects.get(data_file=table)
    assert [column["name"] for column in preview.columns][:4] == [
        "scientificName",
        "eventDate",
        "decimalLatitude",
        "decimalLongitude",
    ]
    types = {column["name"]: column["type"] for column in preview.columns}
    assert types == {
        "scientificName": "text",
        "eventDate": "date",
        "decimalLatitude": "decimal",
        "decimalLongitude": "decimal",
        "locality": "text",
        "individualCount": "integer",
    }
    fill = {column["name"]: column["filled"] for column in preview.columns}
    assert fill["individualCount"] == pytest.approx(2 / 3, abs=1e-3)
    assert preview.sampled == 3
    assert preview.exact_rows[0][2:5] == ["43.1234", "131.5678", "Near the ranger hut"]
    tiger, _crane, unknown = preview.public_rows
    # The tiger on its 0.1° grid, the locality blank; the unresolved name fails closed.
    assert tiger["cells"][2:5] == ["43.1", "131.6", None]
    assert tiger["grid"] == 0.1
    assert unknown["cells"][2:5] == ["42.6", "130.4", None]
    text = str(preview.public_rows)
    assert "43.1234" not in text and "ranger" not in text and "130.44" not in text


@pytest.mark.parametrize(
    "person,exact",
    [("grantee", True), ("owner", True), ("focal_point", True)],
)
def test_people_who_may_download_read_exact_rows(client, table, users, person, exact):
    _grant(table, users["grantee"], users["focal_point"])
    body = _client_for(client, person, users).get(f"/api/v1/files/{table.pk}/preview/").json()
    assert body["exact"] is exact
    assert body["rows"][0][2:5] == ["43.1234", "131.5678", "Near the ranger hut"]
    assert body["notes"] == []
    profile = client.get(f"/api/v1/datasets/{table.dataset_id}/profile/").json()
    assert profile["exact"] is True
    assert profile["bbox"] == [130.44, 42.55, 131.5678, 43.1234]


@pytest.mark.parametrize("person", ["visitor", "outsider"])
def test_people_who_may_not_download_read_the_public_form(client, table, users, person):
    body = _client_for(client, person, users).get(f"/api/v1/files/{table.pk}/preview/").json()
    assert body["exact"] is False
    assert body["rows"][0][2:5] == ["43.1", "131.6", None]
    assert "0.1 degree grid" in body["notes"][0]["dataGeneralizations"]
    assert "43.1234" not in str(body) and "ranger hut" not in str(body)
    profile = client.get(f"/api/v1/datasets/{table.dataset_id}/profile/").json()
    assert profile["exact"] is False and profile["bbox"] is None
    [records] = profile["files"]
    assert records["row_count"] == 3
    assert records["date_start"] == "2023-02-11" and records["date_end"] == "2023-03-02"
    assert {row["code"] for row in records["species"]} >= {"TIGER_AMUR"}
    # The name-matching report never quotes an unresolved name to them.
    assert "Zzunknownia" not in str(records["names"])
    assert records["thumbnail_url"] is None
    assert records["preview_url"] == f"/api/v1/files/{table.pk}/preview/"


@pytest.mark.parametrize("person", ["visitor", "outsider", "grantee"])
def test_an_unpublished_dataset_answers_404_to_outsiders(client, table, users, person):
    table.dataset.status = "submitted"
    table.dataset.save()
    _client_for(client, person, users)
    assert client.get(f"/api/v1/files/{table.pk}/preview/").status_code == 404
    assert client.get(f"/api/v1/datasets/{table.dataset_id}/profile/").status_code == 404


def test_reviewers_see_a_submission_before_they_decide(client, table, focal_point_a):
    table.dataset.status = "submitted"
    table.dataset.save()
    client.force_login(focal_point_a)
    assert client.get(f"/api/v1/files/{table.pk}/preview/").json()["exact"] is True
    assert client.get(f"/api/v1/datasets/{table.dataset_id}/profile/").status_code == 200


def test_missing_files_and_files_without_a_preview_answer_404(client, table):
    assert client.get("/api/v1/files/999999/preview/").status_code == 404
    pdf = DataFileFactory(dataset=table.dataset, original_name="notes.pdf")
    assert client.get(f"/api/v1/files/{pdf.pk}/preview/").status_code == 404


def test_camera_stations_and_recent_collar_fixes_are_blank_in_the_public_preview(
    client, db, researcher_a
):
    dataset = DatasetFactory(uploader=researcher_a, access_level="country")
    stations = _processed(
        dataset,
        "deployments.csv",
        "deploymentID,latitude,longitude,deploymentStart,deploymentEnd,locationName\n"
        "d1,43.12,131.56,2023-01-01,2023-03-01,Ridge 4\n",
    )
    recent = (timezone.localdate() - timedelta(days=10)).isoformat()
    fixes = _processed(
        dataset,
        "gps.csv",
        "timestamp,location-long,location-lat,individual-local-identifier,"
        "individual-taxon-canonical-name\n"
        f"{recent} 10:00:00.000,131.5123,43.2123,T-12,Panthera tigris altaica\n",
    )
    body = client.get(f"/api/v1/files/{stations.pk}/preview/").json()
    assert body["rows"][0][1:3] == [None, None] and body["rows"][0][5] is None
    assert "Camera-station" in body["notes"][0]["informationWithheld"]
    body = client.get(f"/api/v1/files/{fixes.pk}/preview/").json()
    assert body["rows"][0][1:3] == [None, None]
    assert "Collar fixes" in body["notes"][0]["informationWithheld"]


def test_the_preview_reads_two_queries(client, table, django_assert_num_queries):
    # Expect 2 queries: the file with its stored preview, and the dataset through the policy.
    with django_assert_num_queries(2):
        assert client.get(f"/api/v1/files/{table.pk}/preview/").status_code == 200


def test_files_processed_before_previews_get_one_when_reprocessed(table):
    FilePreview.objects.filter(data_file=table).delete()
    call_command("reprocess_files", "--file", str(table.pk), "--now", verbosity=0)
    assert FilePreview.objects.get(data_file=table).exact_rows[0][0] == "Panthera tigris altaica"


def test_a_species_made_more_sensitive_is_withheld_in_the_preview_too(client, table):
    Species.objects.filter(code="TIGER_AMUR").update(sensitivity=Sensitivity.EXTREME)
    locations.generalize_dataset(table.dataset)
    body = client.get(f"/api/v1/files/{table.pk}/preview/").json()
    assert body["rows"][0][2:5] == [None, None, None]
    assert "withheld" in body["notes"][0]["informationWithheld"]
