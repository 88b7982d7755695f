"""With Redis down, every page and upload still answers: the cache only costs speed."""

import logging

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from datasets.models import DataFile, FileState
from neaspec_portal import cache as redis_cache
from tests.factories import DatasetFactory

VISITOR_PAGES = ["/", "/data/", "/library/", "/library/events/", "/search/?q=tiger"]


@pytest.mark.parametrize("url", VISITOR_PAGES)
def test_it_renders_visitor_pages_without_the_cache(url, redis_down, client, researcher_a):
    DatasetFactory(uploader=researcher_a, title="Kedrovaya Pad transects")
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200


def test_a_published_dataset_shows_on_the_list_while_redis_is_down(
    redis_down, client, researcher_a
):
    DatasetFactory(uploader=researcher_a, title="Hunchun camera traps")
    assert "Hunchun camera traps" in client.get("/data/").content.decode()


def test_it_warns_once_and_then_leaves_redis_alone(redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="neaspec_portal.cache"):
        for _ in range(20):
            assert cache.get("anything", "default") == "default"
            cache.set("anything", 1)
            assert cache.add("anything", 1) is False
            assert cache.get_many(["a", "b"]) == {}
    warnings = [r for r in caplog.records if r.name == "neaspec_portal.cache"]
    assert len(warnings) == 1
    assert "serving without the cache" in warnings[0].getMessage()
    assert redis_cache.outage.skipping()


def test_it_bumps_the_page_generation_when_redis_is_back(settings):
    # A process that could not bump while Redis was down bumps at the first success.
    cache.set("page-cache:generation", "before the outage", None)
    redis_cache.outage.down = True
    redis_cache.outage.retry_at = 0.0
    redis_cache.outage.succeeded()
    assert cache.get("page-cache:generation") != "before the outage"


def test_an_upload_through_the_api_is_accepted_and_left_pending(
    redis_down, client, researcher_a, password, caplog, django_capture_on_commit_callbacks
):
    dataset = DatasetFactory(uploader=researcher_a, status="draft")
    token = client.post(
        "/api/v1/auth/token/",
        {"username": researcher_a.username, "password": password},
        content_type="application/json",
    ).json()["token"]
    upload = SimpleUploadedFile("tracks.csv", b"timestamp,location-long,location-lat\n")
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            f"/api/v1/datasets/{dataset.pk}/files/",
            {"file": [upload]},
            HTTP_AUTHORIZATION=f"Token {token}",
        )
    assert answer.status_code == 201, answer.content
    assert answer.json()[0]["state"] == "pending"
    assert DataFile.objects.get(dataset=dataset).state == FileState.PENDING
    # The broker was really down: the file waits for the sweeper.
    assert "the sweeper will retry" in caplog.text


def test_an_upload_through_the_page_is_accepted_and_left_pending(redis_down, client, researcher_a):
    dataset = DatasetFactory(uploader=researcher_a, status="draft")
    client.force_login(researcher_a)
    upload = SimpleUploadedFile("tracks.csv", b"timestamp,location-long,location-lat\n")
    answer = client.post(
        f"/data/{dataset.pk}/files/", {"files": [upload]}, HTTP_ACCEPT="application/json"
    )
    assert answer.status_code == 200, answer.content
    assert [f["name"] for f in answer.json()["added"]] == ["tracks.csv"]
    assert DataFile.objects.get(dataset=dataset).state == FileState.PENDING
