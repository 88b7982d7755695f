"""Idempotency-Key: a retried API create answers as the first time and makes nothing new."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone

from access.models import AuditEvent, IdempotentRequest
from datasets.models import DataFile, Dataset
from neaspec_portal.tasks import forget_idempotency_keys
from tests.factories import DatasetFactory

NEW_DATASET = {
    "title": "Sign survey",
    "method": "sign_survey",
    "licence": "CC0-1.0",
    "access_level": "public",
    "species": ["TIGER_AMUR"],
    "sites": ["RU_LAND_OF_LEOPARD"],
}


def _auth(client, user, password) -> dict[str, str]:
    answer = client.post("/api/v1/auth/token/", {"username": user.username, "password": password})
    return {"HTTP_AUTHORIZATION": f"Token {answer.json()['token']}"}


def _create(client, auth, key, body=NEW_DATASET):
    return client.post(
        "/api/v1/datasets/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key, **auth
    )


def test_a_retried_create_returns_the_first_answer_and_makes_nothing(
    client, researcher_a, password
):
    auth = _auth(client, researcher_a, password)
    key = str(uuid.uuid4())
    first = _create(client, auth, key)
    again = _create(client, auth, key)
    assert first.status_code == again.status_code == 201, first.content
    assert again.json() == first.json()
    assert again.get("Location") == first.get("Location")
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Dataset.objects.filter(title="Sign survey").count() == 1
    assert AuditEvent.objects.filter(action="dataset.create").count() == 1


def test_without_the_header_each_post_makes_an_object(client, researcher_a, password):
    auth = _auth(client, researcher_a, password)
    for _ in range(2):
        assert (
            client.post(
                "/api/v1/datasets/", NEW_DATASET, content_type="application/json", **auth
            ).status_code
            == 201
        )
    assert Dataset.objects.filter(title="Sign survey").count() == 2


def test_the_same_key_for_another_body_is_refused_with_422(client, researcher_a, password):
    auth = _auth(client, researcher_a, password)
    assert _create(client, auth, "key-1").status_code == 201
    other = _create(client, auth, "key-1", {**NEW_DATASET, "title": "Camera traps"})
    assert other.status_code == 422
    assert "used for a different request" in other.json()["detail"]
    assert not Dataset.objects.filter(title="Camera traps").exists()


def test_keys_belong_to_one_account(client, researcher_a, researcher_b, password):
    first = _create(client, _auth(client, researcher_a, password), "shared-key")
    second = _create(client, _auth(client, researcher_b, password), "shared-key")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]


@pytest.mark.parametrize("key", ["", "x" * 256, "naïve", "two words"])
def test_a_malformed_key_is_refused_with_400(key, client, researcher_a, password):
    answer = _create(client, _auth(client, researcher_a, password), key)
    assert answer.status_code == 400
    assert "1 to 255 visible ASCII characters" in answer.json()["detail"]
    assert not Dataset.objects.filter(title="Sign survey").exists()


def test_a_retried_upload_stores_the_file_once(client, researcher_a, password):
    auth = _auth(client, researcher_a, password)
    dataset = DatasetFactory(uploader=researcher_a, status="draft")
    answers = []
    for _ in range(2):
        upload = SimpleUploadedFile("tracks.csv", b"timestamp,location-long,location-lat\n")
        answers.append(
            client.post(
                f"/api/v1/datasets/{dataset.pk}/files/",
                {"file": [upload]},
                HTTP_IDEMPOTENCY_KEY="upload-1",
                **auth,
            )
        )
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[1].json() == answers[0].json()
    assert DataFile.objects.filter(dataset=dataset).count() == 1


def test_a_refusal_that_may_change_is_not_kept(client, researcher_a, researcher_b, password):
    # B may not add files to A's draft (404); the key stays free for B's real request.
    auth = _auth(client, researcher_b, password)
    draft = DatasetFactory(uploader=researcher_a, status="draft")
    refused = client.post(
        f"/api/v1/datasets/{draft.pk}/files/",
        {"file": [SimpleUploadedFile("a.csv", b"a\n")]},
        HTTP_IDEMPOTENCY_KEY="k",
        **auth,
    )
    assert refused.status_code == 404
    assert _create(client, auth, "k").status_code == 201


def test_a_key_is_kept_for_24_hours_then_forgotten(client, researcher_a, password):
    auth = _auth(client, researcher_a, password)
    first = _create(client, auth, "old-key")
    IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(hours=25))
    # Past 24 hours the key is new again.
    assert _create(client, auth, "old-key").json()["id"] != first.json()["id"]
    IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(hours=25))
    _create(client, auth, "another-key")
    assert forget_idempotency_keys() == 1
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["another-key"]


@pytest.mark.django_db(transaction=True)
def test_racing_retries_make_one_object(researcher_a, password):
    auth = _auth(Client(), researcher_a, password)
    start = threading.Barrier(6)
    answers = []

    def retry() -> None:
        try:
            start.wait()
            answers.append(_create(Client(), auth, "race-key"))
        finally:
            connection.close()

    threads = [threading.Thread(target=retry) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [201] * 6
    assert len({a.json()["id"] for a in answers}) == 1
    assert Dataset.objects.filter(title="Sign survey").count() == 1
    assert sum(a.get("Idempotent-Replayed") == "true" for a in answers) == 5


def test_the_schema_documents_the_header_on_every_post(client, db):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    posts = [ops["post"] for ops in schema["paths"].values() if "post" in ops]
    assert posts
    for post in posts:
        headers = [p["name"] for p in post["parameters"] if p["in"] == "header"]
        assert headers.count("Idempotency-Key") == 1
        assert "422" in post["responses"]


@pytest.mark.urls("tests.resilience.failing_api_urls")
def test_a_failure_undoes_the_work_and_frees_the_key(researcher_a, password):
    client = Client(raise_request_exception=False)
    auth = _auth(client, researcher_a, password)
    for _ in range(2):
        answer = client.post(
            "/api/v1/half-done/",
            {},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="k",
            **auth,
        )
        # Each retry runs again (no kept 500), and the half-done work went with the key.
        assert answer.status_code == 500
        assert "Idempotent-Replayed" not in answer
        assert not AuditEvent.objects.filter(action="test.half_done").exists()
        assert not IdempotentRequest.objects.exists()
