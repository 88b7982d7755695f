"""No API action wraps its service calls any more: every refusal a service raises reaches
the client as 400, 403 or 404 with the service's own words (``neaspec_portal.api_errors``),
never as a 500."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from publications import services as publication_services
from tests.factories import DatasetFactory

pytestmark = pytest.mark.django_db


def _post(client, url: str, body: dict | None = None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def draft(researcher_a):
    return DatasetFactory(uploader=researcher_a, status="draft", published_at=None)


@pytest.fixture
def published(researcher_a):
    return DatasetFactory(uploader=researcher_a, access_level="restricted")


def test_submitting_without_files_is_400(client, researcher_a, draft):
    client.force_login(researcher_a)
    response = _post(client, f"/api/v1/datasets/{draft.pk}/submit/")
    assert (response.status_code, response.json()) == (
        400,
        {"detail": ["Add at least one file before submitting."]},
    )


def test_requesting_changes_without_a_comment_is_400(client, researcher_a, focal_point_a):
    submitted = DatasetFactory(uploader=researcher_a, status="submitted", published_at=None)
    client.force_login(focal_point_a)
    response = _post(
        client, f"/api/v1/datasets/{submitted.pk}/review/", {"decision": "request_changes"}
    )
    assert response.status_code == 400
    assert response.json()["comment"] == ["Say what should change, or why it is rejected."]


def test_withdrawing_without_the_right_is_403(client, researcher_b, published):
    client.force_login(researcher_b)
    response = _post(client, f"/api/v1/datasets/{published.pk}/withdraw/", {"reason": "Old."})
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Only the uploader, collaborators and focal points of the owner countries "
        "withdraw a dataset."
    )


def test_asking_access_for_a_past_date_is_400(client, researcher_b, published):
    client.force_login(researcher_b)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = _post(
        client,
        f"/api/v1/datasets/{published.pk}/access-requests/",
        {"purpose": "Corridors.", "wanted_until": yesterday},
    )
    assert (response.status_code, response.json()) == (
        400,
        {"detail": ["The date must be in the future."]},
    )


def test_adding_files_to_a_published_dataset_is_403(client, researcher_a, published):
    client.force_login(researcher_a)
    response = client.post(f"/api/v1/datasets/{published.pk}/files/", {"file": []})
    assert response.status_code == 403


def test_returning_a_publication_without_a_comment_is_400(client, researcher_a, focal_point_a):
    publication = publication_services.publication_create(
        actor=researcher_a, type="report", title="Tiger corridors", year=2024, language="en"
    )
    client.force_login(focal_point_a)
    response = _post(
        client, f"/api/v1/publications/{publication.pk}/review/", {"decision": "return"}
    )
    assert (response.status_code, response.json()) == (
        400,
        {"comment": ["Say what should change before the publication is returned."]},
    )


def test_reviewing_ones_own_publication_is_403(client, focal_point_a):
    publication = publication_services.publication_create(
        actor=focal_point_a, type="report", title="Tiger corridors", year=2024, language="en"
    )
    client.force_login(focal_point_a)
    response = _post(
        client, f"/api/v1/publications/{publication.pk}/review/", {"decision": "approve"}
    )
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Nobody reviews their own publication")
