"""Writing through the API: create, edit, upload, submit, review, requests and grants."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.two_factor import has_second_factor
from datasets.models import DataFile, Dataset
from species.models import Country, KmgbfTarget, Site, Species, Theme
from tests.factories import DataFileFactory, DatasetFactory
from tests.two_factor import totp_code


def _token(client, user, password):
    otp = totp_code(user) if has_second_factor(user) else ""
    response = client.post(
        "/api/v1/auth/token/", {"username": user.username, "password": password, "otp": otp}
    )
    return {"HTTP_AUTHORIZATION": f"Token {response.json()['token']}"}


def test_a_researcher_shares_a_dataset_through_the_api(
    client, researcher_a, focal_point_a, password
):
    auth = _token(client, researcher_a, password)
    created = client.post(
        "/api/v1/datasets/",
        {
            "title": "Sign survey",
            "method": "sign_survey",
            "licence": "CC0-1.0",
            "access_level": "public",
            "species": ["TIGER_AMUR"],
            "sites": ["RU_LAND_OF_LEOPARD"],
        },
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["owner_country"], body["species"]) == (
        "draft",
        "KR",
        ["TIGER_AMUR"],
    )
    pk = body["id"]

    patched = client.patch(
        f"/api/v1/datasets/{pk}/", {"species": ["NO_SUCH"]}, content_type="application/json", **auth
    )
    assert patched.status_code == 400
    assert "NO_SUCH" in patched.content.decode()

    upload = SimpleUploadedFile("tracks.csv", b"timestamp,location-long,location-lat\n")
    files = client.post(f"/api/v1/datasets/{pk}/files/", {"file": [upload]}, **auth)
    assert files.status_code == 201
    assert files.json()[0]["state"] == "pending"

    early = client.post(f"/api/v1/datasets/{pk}/submit/", **auth)
    assert early.status_code == 400
    assert early.json()["detail"] == [
        "Wait until these files have been checked, then submit again: tracks.csv"
    ]
    DataFile.objects.filter(dataset_id=pk).update(state="ready")  # as the worker leaves it
    assert client.post(f"/api/v1/datasets/{pk}/submit/", **auth).json()["status"] == "submitted"
    fp = _token(client, focal_point_a, password)
    reviewed = client.post(
        f"/api/v1/datasets/{pk}/review/",
        {"decision": "approve"},
        content_type="application/json",
        **fp,
    )
    assert reviewed.json()["status"] == "published"
    listed = client.get("/api/v1/datasets/").json()
    assert [item["id"] for item in listed["results"]] == [pk]
    assert listed["results"][0]["files"][0]["download_url"].endswith("/download/")


def test_outsiders_get_404_or_403_never_the_object(client, researcher_a, researcher_b, password):
    dataset = DatasetFactory(uploader=researcher_a, status="draft")
    auth = _token(client, researcher_b, password)
    assert client.get(f"/api/v1/datasets/{dataset.pk}/", **auth).status_code == 404
    assert (
        client.patch(
            f"/api/v1/datasets/{dataset.pk}/",
            {"title": "x"},
            content_type="application/json",
            **auth,
        ).status_code
        == 404
    )
    assert client.post(f"/api/v1/datasets/{dataset.pk}/submit/", **auth).status_code == 404
    assert (
        client.post(
            f"/api/v1/datasets/{dataset.pk}/review/",
            {"decision": "approve"},
            content_type="application/json",
            **auth,
        ).status_code
        == 404
    )
    assert client.get("/api/v1/access-requests/", **auth).json()["results"] == []
    assert client.get("/api/v1/grants/", **auth).json()["results"] == []
    assert client.get("/api/v1/access-requests/").status_code in (401, 403)


def test_a_published_dataset_cannot_be_edited_by_its_uploader(client, researcher_a, password):
    dataset = DatasetFactory(uploader=researcher_a, status="published")
    auth = _token(client, researcher_a, password)
    response = client.patch(
        f"/api/v1/datasets/{dataset.pk}/", {"title": "x"}, content_type="application/json", **auth
    )
    assert response.status_code == 403


def test_request_grant_download_revoke_through_the_api(
    client, researcher_a, researcher_b, focal_point_a, password
):
    dataset = DatasetFactory(uploader=researcher_a, access_level="restricted")
    data_file = DataFileFactory(dataset=dataset)
    requester = _token(client, researcher_b, password)
    download = f"/api/v1/files/{data_file.pk}/download/"
    assert client.get(download, **requester).status_code == 404
    until = (timezone.localdate() + timedelta(days=60)).isoformat()
    asked = client.post(
        f"/api/v1/datasets/{dataset.pk}/access-requests/",
        {"purpose": "Population estimate", "wanted_until": until},
        content_type="application/json",
        **requester,
    )
    assert asked.status_code == 201
    fp = _token(client, focal_point_a, password)
    pending = client.get("/api/v1/access-requests/", **fp).json()["results"]
    assert [item["id"] for item in pending] == [asked.json()["id"]]
    granted = client.post(
        f"/api/v1/access-requests/{asked.json()['id']}/grant/",
        {"until": until},
        content_type="application/json",
        **fp,
    )
    assert granted.status_code == 200
    assert client.get(download, **requester).status_code == 200
    grant_id = client.get("/api/v1/grants/", **fp).json()["results"][0]["id"]
    assert client.post(f"/api/v1/grants/{grant_id}/revoke/", **fp).status_code == 200
    assert client.get(download, **requester).status_code == 404


@pytest.mark.parametrize("rows", [1, 15])
def test_the_list_costs_the_same_queries_for_any_page_size(
    client, researcher_a, rows, django_assert_num_queries
):
    for number in range(rows):
        DataFileFactory(dataset=_tagged(DatasetFactory(uploader=researcher_a, title=f"S{number}")))
    # Expect 3 queries: the count, the page (the download decision, the codes of the five
    # tag relations and the protocols the caller may see, in SQL) and its files. None per
    # dataset.
    with django_assert_num_queries(3) as captured:
        body = client.get("/api/v1/datasets/").json()
    assert body["count"] == rows
    # What a list never shows is never read: a document's text can be megabytes.
    files_query = captured.captured_queries[-1]["sql"]
    assert '"datasets_datafile"."original_name"' in files_query
    assert "extracted_text" not in files_query and "standard_metadata" not in files_query
    # Expect 2 queries: the unfiltered list's count is kept until the content changes.
    with django_assert_num_queries(2):
        assert client.get("/api/v1/datasets/").json() == body


def _tagged(dataset):
    """Tag ``dataset`` with a few of each kind, given out of their lists' order."""
    dataset.species.set(Species.objects.order_by("code")[:3])
    dataset.sites.set(Site.objects.order_by("-code")[:2])
    dataset.targets.set(KmgbfTarget.objects.filter(number__in=[20, 4]))
    dataset.themes.set(Theme.objects.order_by("-code")[:2])
    dataset.co_owner_countries.set(Country.objects.filter(code__in=["MN", "CN"]))
    return dataset


def test_the_list_shows_each_tag_in_the_order_the_record_does(client, researcher_a):
    """The list reads its codes in SQL; a record reads them through Django's relations.
    Both give the same codes in the same order."""
    for number in range(3):
        _tagged(DatasetFactory(uploader=researcher_a, title=f"S{number}"))
    listed = client.get("/api/v1/datasets/").json()["results"]
    assert listed and all(row["species"] and row["targets"] for row in listed)
    for row in listed:
        record = client.get(f"/api/v1/datasets/{row['id']}/").json()
        for name in ("species", "sites", "targets", "themes", "co_owner_countries"):
            assert row[name] == record[name], name
    dataset = Dataset.objects.get(pk=listed[0]["id"])
    assert listed[0]["species"] == [species.code for species in dataset.species.all()]
    assert listed[0]["targets"] == [4, 20]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"species": ["NO_SUCH"]}, "species"),
        ({"sites": ["NOWHERE"]}, "sites"),
        ({"co_owner_countries": ["XX"]}, "co_owner_countries"),
        ({"co_owner_countries": ["KR"]}, "co-owner"),
        ({"access_level": "secret"}, "access_level"),
        ({"title": ""}, "title"),
        ({"temporal_start": "2024-05-01", "temporal_end": "2024-01-01"}, "coverage"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_left_behind(
    client, researcher_a, password, body, field
):
    auth = _token(client, researcher_a, password)
    base = {"title": "Tracks", "method": "telemetry", "licence": "CC0-1.0"}
    response = client.post(
        "/api/v1/datasets/", {**base, **body}, content_type="application/json", **auth
    )
    assert response.status_code == 400
    assert field in response.content.decode()
    assert not Dataset.objects.exists()


def test_reviewing_twice_or_out_of_turn_is_a_clear_4xx(
    client, researcher_a, focal_point_a, password
):
    dataset = DatasetFactory(uploader=researcher_a, status="draft")
    fp = _token(client, focal_point_a, password)
    response = client.post(
        f"/api/v1/datasets/{dataset.pk}/review/",
        {"decision": "approve"},
        content_type="application/json",
        **fp,
    )
    assert response.status_code == 403
    dataset.refresh_from_db()
    assert dataset.status == "draft"
