"""Too many files in one upload request: a JSON 400 that names the limit, from the upload
pages and from the API, for datasets and publications alike; nothing is stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from datasets.models import DataFile
from publications import services as publication_services
from tests.factories import DatasetFactory

pytestmark = pytest.mark.django_db

LIMIT = 3


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = LIMIT


def _files(field: str, count: int) -> dict:
    return {
        field: [
            SimpleUploadedFile(f"station-{n}.csv", b"station,lat,lon\nA,43.1,131.2\n")
            for n in range(count)
        ]
    }


def _assert_names_the_limit(response) -> None:
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["detail"] == f"Send at most {LIMIT} files in one upload."
    assert body["errors"] == [body["detail"]]
    assert not DataFile.objects.exists()


@pytest.fixture
def draft_dataset(researcher_a):
    return DatasetFactory(uploader=researcher_a, status="draft", published_at=None)


@pytest.fixture
def publication(researcher_a):
    return publication_services.publication_create(
        actor=researcher_a, type="report", title="Tiger corridors", year=2024, language="en"
    )


def _page_client(user) -> Client:
    # The CSRF check reads the form before any view: the limit is met there, as in production.
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.cookies["csrftoken"] = token = _get_new_csrf_string()
    client.token = token  # type: ignore[attr-defined]
    return client


def test_the_dataset_upload_page_answers_json_naming_the_limit(researcher_a, draft_dataset):
    client = _page_client(researcher_a)
    response = client.post(
        f"/data/{draft_dataset.pk}/files/",
        {"csrfmiddlewaretoken": client.token, **_files("files", LIMIT + 1)},  # type: ignore[attr-defined]
    )
    _assert_names_the_limit(response)


def test_the_publication_upload_page_answers_json_naming_the_limit(researcher_a, publication):
    client = _page_client(researcher_a)
    response = client.post(
        f"/library/{publication.pk}/files/",
        {"csrfmiddlewaretoken": client.token, **_files("files", LIMIT + 1)},  # type: ignore[attr-defined]
        HTTP_ACCEPT="text/html",
    )
    _assert_names_the_limit(response)


@pytest.mark.parametrize("kind", ["datasets", "publications"])
def test_the_api_answers_json_naming_the_limit(
    client, researcher_a, draft_dataset, publication, kind
):
    client.force_login(researcher_a)
    pk = draft_dataset.pk if kind == "datasets" else publication.pk
    response = client.post(f"/api/v1/{kind}/{pk}/files/", _files("file", LIMIT + 1))
    _assert_names_the_limit(response)


def test_up_to_the_limit_the_files_are_taken(client, researcher_a, draft_dataset):
    client.force_login(researcher_a)
    response = client.post(f"/api/v1/datasets/{draft_dataset.pk}/files/", _files("file", LIMIT))
    assert response.status_code == 201, response.content
    assert DataFile.objects.count() == LIMIT
