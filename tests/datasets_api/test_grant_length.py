"""A grant lasts at most ``GRANT_MAX_DAYS`` (two years): longer is refused, on the page and
in the API, with the date to choose instead."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.utils import timezone

from datasets import services
from datasets.models import AccessGrant, AccessRequest, RequestStatus
from tests.factories import DatasetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def access_request(researcher_a, researcher_b):
    dataset = DatasetFactory(uploader=researcher_a)
    return services.access_request_create(
        actor=researcher_b,
        dataset=dataset,
        purpose="Corridor study",
        intended_use="",
        wanted_until=timezone.localdate() + timedelta(days=90),
    )


def _days(count: int):
    return timezone.localdate() + timedelta(days=count)


def test_the_limit_is_two_years_by_default(settings):
    assert settings.GRANT_MAX_DAYS == 730


def test_it_grants_up_to_the_limit_and_not_a_day_more(access_request, focal_point_a, settings):
    settings.GRANT_MAX_DAYS = 730
    with pytest.raises(ValidationError, match="at most 730 days"):
        services.access_request_grant(
            actor=focal_point_a, access_request=access_request, until=_days(731)
        )
    assert not AccessGrant.objects.exists()

    grant_row = services.access_request_grant(
        actor=focal_point_a, access_request=access_request, until=_days(730)
    )
    assert grant_row.expires_at.date() == _days(730)


def test_a_group_grant_has_the_same_limit(researcher_a, focal_point_a):
    dataset = DatasetFactory(uploader=researcher_a)
    team = Group.objects.create(name="Tiger corridor team")
    with pytest.raises(ValidationError, match="no later than"):
        services.group_grant(
            actor=focal_point_a, dataset=dataset, group=team, until=date(9999, 12, 31)
        )
    with pytest.raises(ValidationError, match="must end in the future"):
        services.group_grant(actor=focal_point_a, dataset=dataset, group=team, until=_days(0))
    assert not AccessGrant.objects.exists()


def test_a_request_cannot_ask_for_longer_than_a_grant_may_last(researcher_a, researcher_b):
    dataset = DatasetFactory(uploader=researcher_a)
    with pytest.raises(ValidationError, match="at most 730 days"):
        services.access_request_create(
            actor=researcher_b,
            dataset=dataset,
            purpose="Forever",
            intended_use="",
            wanted_until=_days(731),
        )
    assert not AccessRequest.objects.exists()


def test_the_page_refuses_a_grant_until_9999_with_the_reason(client, access_request, focal_point_a):
    client.force_login(focal_point_a)
    response = client.post(
        f"/data/requests/{access_request.pk}/decide/",
        {"decision": "grant", "until": "9999-12-31"},
    )
    assert response.status_code == 302
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("at most 730 days" in text for text in shown), shown
    access_request.refresh_from_db()
    assert access_request.status == RequestStatus.PENDING
    assert not AccessGrant.objects.exists()


def test_the_api_refuses_a_grant_until_9999_with_the_reason(client, access_request, focal_point_a):
    client.force_login(focal_point_a)
    response = client.post(
        f"/api/v1/access-requests/{access_request.pk}/grant/",
        {"until": "9999-12-31"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "at most 730 days" in str(response.json())
    assert not AccessGrant.objects.exists()

    response = client.post(
        f"/api/v1/access-requests/{access_request.pk}/grant/",
        {"until": _days(730).isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()


def test_the_api_refuses_a_request_for_longer_than_the_limit(client, researcher_a, researcher_b):
    dataset = DatasetFactory(uploader=researcher_a)
    client.force_login(researcher_b)
    response = client.post(
        f"/api/v1/datasets/{dataset.pk}/access-requests/",
        {"purpose": "Forever", "intended_use": "", "wanted_until": "9999-12-31"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "at most 730 days" in str(response.json())
