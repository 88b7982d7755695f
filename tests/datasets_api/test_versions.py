"""Versions through the API and the pages: start, list, publish, carry grants over, delete
drafts, withdraw and restore; outsiders are denied on every endpoint, and the dataset page
keeps a written query budget."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from access.models import AuditEvent
from datasets import services
from datasets.models import DataFile, Dataset, PublicOccurrence
from datasets.processing import pipeline
from search import services as search_services
from search.models import SearchDocument
from tests.datasets_core.test_versions import TIGERS, processed
from tests.factories import DatasetFactory, UserFactory
from tests.processing import files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _post(client, url: str, body: dict | None = None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def first(researcher_a):
    dataset = DatasetFactory(uploader=researcher_a, access_level="restricted", title="Leopards")
    processed(dataset, "tigers.csv", TIGERS.encode())
    processed(dataset, "station.png", files.png())
    return dataset


def _grant(user, dataset, focal_point):
    request = services.access_request_create(
        actor=user,
        dataset=dataset,
        purpose="Corridor study",
        intended_use="",
        wanted_until=timezone.localdate() + timedelta(days=60),
    )
    services.access_request_grant(actor=focal_point, access_request=request)


def test_the_owner_starts_replaces_and_publishes_version_2_through_the_api(
    client, first, researcher_a, researcher_b, focal_point_a, django_capture_on_commit_callbacks
):
    _grant(researcher_b, first, focal_point_a)
    client.force_login(researcher_a)
    started = _post(client, f"/api/v1/datasets/{first.pk}/versions/", {"change_note": "Fixes."})
    assert started.status_code == 201, started.content
    body = started.json()
    assert (body["version"], body["series"], body["status"], body["change_note"]) == (
        2,
        first.pk,
        "draft",
        "Fixes.",
    )
    pk = body["id"]
    again = _post(client, f"/api/v1/datasets/{first.pk}/versions/")
    assert (again.status_code, again.json()["draft"]) == (409, pk)

    old_png = DataFile.objects.get(dataset_id=pk, original_name="station.png")
    client.post(reverse("datasets:file_delete", args=[pk, old_png.pk]))
    upload = SimpleUploadedFile("station-2.png", files.png((32, 32)))
    with django_capture_on_commit_callbacks(execute=False):
        added = client.post(f"/api/v1/datasets/{pk}/files/", {"file": [upload]})
    assert added.status_code == 201
    assert pipeline.process(added.json()[0]["id"]) == "ready"
    assert client.post(f"/api/v1/datasets/{pk}/submit/").status_code == 200
    client.force_login(focal_point_a)
    approved = _post(client, f"/api/v1/datasets/{pk}/review/", {"decision": "approve"})
    assert approved.json()["status"] == "published"

    client.force_login(researcher_b)  # holds a grant made on version 1
    listed = client.get(f"/api/v1/datasets/{pk}/versions/").json()
    assert [(row["version"], row["files"]) for row in listed] == [(2, 2), (1, 2)]
    assert listed[1]["superseded_at"] is not None
    assert listed[0]["url"].endswith(f"/data/{pk}/")
    for version in (first.pk, pk):
        detail = client.get(f"/api/v1/datasets/{version}/").json()
        assert detail["can_download"] is True
        for data_file in detail["files"]:
            assert client.get(data_file["download_url"]).status_code == 200
    in_list = [row["id"] for row in client.get("/api/v1/datasets/").json()["results"]]
    assert in_list == [pk]


def test_earlier_versions_are_denied_to_those_without_rights(client, first, researcher_a):
    client.force_login(researcher_a)
    pk = _post(client, f"/api/v1/datasets/{first.pk}/versions/").json()["id"]
    outsider = UserFactory(country_id="MN")
    client.force_login(outsider)
    csv = DataFile.objects.get(dataset=first, original_name="tigers.csv")
    assert client.get(f"/api/v1/files/{csv.pk}/download/").status_code == 404
    assert client.get(f"/api/v1/datasets/{pk}/versions/").status_code == 404
    assert [
        row["version"] for row in client.get(f"/api/v1/datasets/{first.pk}/versions/").json()
    ] == [1]  # the draft of version 2 is the owner side's


@pytest.mark.parametrize("who", ["visitor", "outsider", "secretariat"])
def test_outsiders_cannot_start_or_delete(client, first, researcher_a, secretariat, who):
    draft = DatasetFactory(uploader=researcher_a, status="draft", published_at=None)
    if who == "outsider":
        client.force_login(UserFactory(country_id="MN"))
    elif who == "secretariat":
        client.force_login(secretariat)
    started = _post(client, f"/api/v1/datasets/{first.pk}/versions/")
    deleted = client.delete(f"/api/v1/datasets/{draft.pk}/")
    assert (started.status_code, deleted.status_code) == (404, 404)
    assert Dataset.objects.filter(pk=draft.pk).exists()
    assert not Dataset.objects.filter(series=first).exists()


def test_the_owner_deletes_a_draft_but_not_a_published_dataset(client, first, researcher_a):
    draft = DatasetFactory(uploader=researcher_a, status="draft", published_at=None)
    client.force_login(researcher_a)
    assert client.delete(f"/api/v1/datasets/{first.pk}/").status_code == 409
    assert client.delete(f"/api/v1/datasets/{draft.pk}/").status_code == 204
    assert not Dataset.objects.filter(pk=draft.pk).exists()
    assert AuditEvent.objects.filter(action="dataset.delete", object_id=str(draft.pk)).exists()
    page_draft = DatasetFactory(uploader=researcher_a, status="draft", published_at=None)
    response = client.post(reverse("datasets:delete", args=[page_draft.pk]))
    assert response.status_code == 302
    assert not Dataset.objects.filter(pk=page_draft.pk).exists()


def test_withdrawing_purges_public_copies_and_restoring_rebuilds_them(
    client, first, focal_point_a, secretariat, visitor, django_capture_on_commit_callbacks
):
    search_services.index_all()
    png = first.files.get(original_name="station.png")
    thumbnail = png.thumbnail.name
    assert thumbnail and PublicOccurrence.objects.filter(dataset=first).exists()
    client.force_login(focal_point_a)
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = _post(client, f"/api/v1/datasets/{first.pk}/withdraw/", {"reason": "Dens."})
    assert withdrawn.json()["status"] == "withdrawn"
    assert not PublicOccurrence.objects.filter(dataset=first).exists()
    assert not SearchDocument.objects.filter(dataset=first).exists()
    png.refresh_from_db()
    assert (png.thumbnail.name, png.extracted_text) == ("", "")
    assert not png.file.storage.exists(thumbnail)
    event = AuditEvent.objects.get(action="dataset.withdraw")
    assert event.detail["purged"]["thumbnails"] == 1
    assert client.get(f"/data/files/{png.pk}/thumbnail/").status_code == 404

    assert _post(client, f"/api/v1/datasets/{first.pk}/restore/").status_code == 403
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=False):
        restored = _post(client, f"/api/v1/datasets/{first.pk}/restore/")
    assert restored.json()["status"] == "published"
    assert set(first.files.values_list("state", flat=True)) == {"pending"}
    for data_file in first.files.all():  # what the worker does with the queued files
        assert pipeline.process(data_file.pk) == "ready"
    png.refresh_from_db()
    assert png.thumbnail.name and png.file.storage.exists(png.thumbnail.name)
    assert PublicOccurrence.objects.filter(dataset=first).exists()
    assert AuditEvent.objects.filter(action="dataset.restore").exists()


def test_collaborators_are_named_on_the_edit_page(client, researcher_a, researcher_b):
    draft = DatasetFactory(uploader=researcher_a, status="draft", published_at=None)
    client.force_login(researcher_a)
    page = reverse("datasets:edit", args=[draft.pk])
    form = {
        "title": draft.title,
        "method": draft.method,
        "licence": draft.licence,
        "access_level": draft.access_level,
    }
    refused = client.post(page, {**form, "collaborators": "nobody@example.org"})
    assert "No verified account has this username or email" in refused.content.decode()
    saved = client.post(page, {**form, "collaborators": researcher_b.email.upper()})
    assert saved.status_code == 302
    assert list(draft.collaborators.all()) == [researcher_b]
    event = AuditEvent.objects.filter(action="dataset.update").latest("at")
    assert event.detail["collaborators"] == {"added": [researcher_b.username], "removed": []}


def _page_queries(client, django_assert_num_queries, pk: int, count: int) -> str:
    with django_assert_num_queries(count):
        response = client.get(reverse("datasets:detail", args=[pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_dataset_page_lists_versions_within_its_query_budget(
    client, first, researcher_a, focal_point_a, django_assert_num_queries
):
    client.force_login(researcher_a)
    response = client.post(reverse("datasets:new_version", args=[first.pk]), {"change_note": "x"})
    second = Dataset.objects.get(series=first)
    assert response.url == second.get_absolute_url()
    services.dataset_submit(actor=researcher_a, dataset=second)
    services.dataset_review(actor=focal_point_a, dataset=second, decision="approve")
    client.logout()
    # Expect 20 queries for a visitor: the dataset with its download rule; its species, sites, KMGBF
    # targets, themes, co-owners, collaborators, files, decisions and visible protocols
    # (prefetches); the species names that the files' name-matching reports quote; the series'
    # versions with file counts; the uploader with their country, whom the citation names first; the
    # profile and preview (stored previews, species, exact and public map rows), the counts (an
    # upsert and a read) and the JSON-LD's public extent (tests/datasets_preview says which).
    html = _page_queries(client, django_assert_num_queries, first.pk, 20)
    assert "A newer version of this dataset exists" in html
    assert f'href="/data/{second.pk}/"' in html
    client.force_login(researcher_a)
    # The owner: the same, plus the session, the account, their focal-point countries and
    # the exact rows of the map (the empty public-row read is skipped), and the usage
    # table by month and country (the counts grouped, the title).
    html = _page_queries(client, django_assert_num_queries, second.pk, 27)
    assert 'data-version-row="1"' in html and "Start new version" in html


def test_the_versions_list_costs_two_queries(
    client, first, researcher_a, django_assert_num_queries
):
    for number in (2, 3):
        DatasetFactory(
            uploader=researcher_a, series=first, version=number, title=f"Leopards v{number}"
        )
    # Expect 2 queries for a visitor: the dataset through the policy, then every visible
    # version of its series with its file count; no query per version.
    with django_assert_num_queries(2):
        listed = client.get(f"/api/v1/datasets/{first.pk}/versions/").json()
    assert [row["version"] for row in listed] == [3, 2, 1]


def test_the_page_restores_for_the_secretariat_only(
    client, first, focal_point_a, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.dataset_withdraw(actor=focal_point_a, dataset=first, reason="Den locations.")
    client.force_login(focal_point_a)
    assert "Restore this dataset" not in client.get(first.get_absolute_url()).content.decode()
    client.post(reverse("datasets:restore", args=[first.pk]))
    assert Dataset.objects.get(pk=first.pk).status == "withdrawn"
    client.force_login(secretariat)
    assert "Restore this dataset" in client.get(first.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("datasets:restore", args=[first.pk]))
    assert response.status_code == 302
    assert Dataset.objects.get(pk=first.pk).status == "published"
