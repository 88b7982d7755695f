"""The review form: the server's refusal comes before any question, and keeps what was chosen."""

import pytest
from django.urls import reverse

from datasets.models import Dataset
from tests.factories import DatasetFactory

pytestmark = pytest.mark.django_db


def _submitted(researcher):
    return DatasetFactory(uploader=researcher, status="submitted", published_at=None)


def test_it_keeps_the_decision_and_says_the_comment_is_missing(client, researcher_a, focal_point_a):
    dataset = _submitted(researcher_a)
    client.force_login(focal_point_a)
    response = client.post(
        reverse("datasets:review", args=[dataset.pk]),
        {"decision": "reject", "comment": "  "},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="decision-reject" value="reject" required checked' in html
    assert 'id="review-comment-errors"' in html
    assert "Say what should change, or why it is rejected." in html
    assert Dataset.objects.get(pk=dataset.pk).status == "submitted"


def test_it_keeps_the_comment_when_no_decision_is_chosen(client, researcher_a, focal_point_a):
    dataset = _submitted(researcher_a)
    client.force_login(focal_point_a)
    response = client.post(
        reverse("datasets:review", args=[dataset.pk]), {"comment": "Add the station list."}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Add the station list.</textarea>" in html
    assert 'id="review-decision-errors"' in html


def test_the_form_lets_the_server_answer_before_the_question(client, researcher_a, focal_point_a):
    dataset = _submitted(researcher_a)
    client.force_login(focal_point_a)
    html = client.get(dataset.get_absolute_url()).content.decode()
    assert 'data-required-unless="decision=approve"' in html
    assert 'data-confirm-unless="decision=approve"' in html


def test_a_complete_decision_is_recorded(client, researcher_a, focal_point_a):
    dataset = _submitted(researcher_a)
    client.force_login(focal_point_a)
    response = client.post(
        reverse("datasets:review", args=[dataset.pk]),
        {"decision": "request_changes", "comment": "Add the station list."},
    )
    assert response.status_code == 302
    assert Dataset.objects.get(pk=dataset.pk).status != "submitted"


def test_an_outsider_cannot_review(client, researcher_a, researcher_b):
    dataset = _submitted(researcher_a)
    client.force_login(researcher_b)
    response = client.post(
        reverse("datasets:review", args=[dataset.pk]),
        {"decision": "approve", "comment": ""},
    )
    assert response.status_code == 404
    assert Dataset.objects.get(pk=dataset.pk).status == "submitted"
