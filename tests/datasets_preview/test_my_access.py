"""My access: a researcher's requests and grants, the expiry notice, recommendation and
delegation. People: researcher B (MN) asks for a KR dataset of researcher A; focal point A
decides; partner holds a group grant; visitor and others see nothing of it."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from access import policy
from access.models import AuditEvent
from datasets import services
from datasets.models import AccessGrant
from datasets.tasks import notify_expiring_grants
from tests.factories import DatasetFactory


def _ask(dataset, requester, purpose="Corridor study"):
    return services.access_request_create(
        actor=requester,
        dataset=dataset,
        purpose=purpose,
        intended_use="",
        wanted_until=timezone.localdate() + timedelta(days=60),
    )


@pytest.fixture
def datasets(db, researcher_a):
    return [DatasetFactory(uploader=researcher_a, title=f"Tigers {n}") for n in range(3)]


@pytest.fixture
def history(datasets, researcher_b, focal_point_a):
    pending = _ask(datasets[0], researcher_b)
    granted = _ask(datasets[1], researcher_b)
    services.access_request_grant(
        actor=focal_point_a,
        access_request=granted,
        until=timezone.localdate() + timedelta(days=40),
    )
    declined = _ask(datasets[2], researcher_b)
    services.access_request_decline(
        actor=focal_point_a, access_request=declined, reason="Cubs' dens in the data"
    )
    return pending, granted, declined


def test_a_researcher_reads_their_requests(
    client, history, researcher_b, django_assert_num_queries
):
    client.force_login(researcher_b)
    # Expect 5 queries: the session, the user, their focal-point countries (the policy's
    # visible datasets), the page's count, the requests with their datasets and grants.
    with django_assert_num_queries(5):
        body = client.get("/api/v1/me/access-requests/").json()
    by_status = {item["status"]: item for item in body["results"]}
    assert set(by_status) == {"pending", "granted", "declined"}
    assert by_status["granted"]["granted_until"].startswith(
        (timezone.localdate() + timedelta(days=40)).isoformat()
    )
    assert by_status["declined"]["decline_reason"] == "Cubs' dens in the data"
    assert by_status["pending"]["granted_until"] is None
    assert "recommendation" not in str(body)


def test_a_researcher_reads_their_current_grants(
    client, history, datasets, researcher_b, partner, focal_point_a, django_assert_num_queries
):
    team = Group.objects.create(name="Amur team")
    partner.groups.add(team)
    researcher_b.groups.add(team)
    services.group_grant(
        actor=focal_point_a,
        dataset=datasets[2],
        group=team,
        until=timezone.localdate() + timedelta(days=90),
    )
    expired = AccessGrant.objects.create(
        dataset=datasets[0],
        user=researcher_b,
        granted_by=focal_point_a,
        expires_at=timezone.now() - timedelta(days=1),
    )
    client.force_login(researcher_b)
    # Expect 5 queries: the session, the user, their focal-point countries, the page's
    # count, the grants with their datasets and groups.
    with django_assert_num_queries(5):
        body = client.get("/api/v1/me/grants/").json()
    assert [item["dataset"]["id"] for item in body["results"]] == [datasets[1].pk, datasets[2].pk]
    assert body["results"][1]["group"] == "Amur team"
    assert expired.pk not in {item["id"] for item in body["results"]}


def test_outsiders_read_nothing(client, history, researcher_a, partner):
    assert client.get("/api/v1/me/access-requests/").status_code in (401, 403)
    assert client.get("/api/v1/me/grants/").status_code in (401, 403)
    client.force_login(partner)
    assert client.get("/api/v1/me/access-requests/").json()["count"] == 0
    assert client.get("/api/v1/me/grants/").json()["count"] == 0


def test_a_withdrawn_dataset_leaves_the_lists(client, history, datasets, researcher_b):
    datasets[1].status = "withdrawn"
    datasets[1].save()
    client.force_login(researcher_b)
    assert client.get("/api/v1/me/grants/").json()["count"] == 0
    assert client.get("/api/v1/me/access-requests/").json()["count"] == 2


def test_the_page_shows_grants_with_their_end(client, history, researcher_b, datasets):
    assert client.get("/data/my-access/").status_code == 302
    client.force_login(researcher_b)
    page = client.get("/data/my-access/").content.decode()
    assert "Tigers 1" in page and "Waiting for a decision" in page
    assert "Cubs&#x27; dens in the data" in page
    end = AccessGrant.objects.get(dataset=datasets[1]).expires_at
    assert f'data-grant="{AccessGrant.objects.get(dataset=datasets[1]).pk}"' in page
    assert str(end.year) in page
    assert 'href="/data/my-access/"' in page  # the user menu links it


def test_the_expiry_notice_is_sent_once_14_days_before(db, datasets, researcher_b, focal_point_a):
    soon = policy.grant(
        dataset=datasets[0],
        user=researcher_b,
        until=timezone.now() + timedelta(days=13, hours=23),
        granted_by=focal_point_a,
    )
    policy.grant(
        dataset=datasets[1],
        user=researcher_b,
        until=timezone.now() + timedelta(days=15),
        granted_by=focal_point_a,
    )
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert notify_expiring_grants() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [researcher_b.email]
    assert "Tigers 0" in mail.outbox[0].subject
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert notify_expiring_grants() == 0
    assert len(mail.outbox) == 1
    soon.refresh_from_db()
    assert soon.expiry_notice_sent_at is not None
    assert AuditEvent.objects.filter(action="access.expiry_notice").count() == 1


def test_the_uploader_recommends_and_the_focal_point_reads_it(
    client, history, researcher_a, researcher_b, focal_point_a
):
    pending = history[0]
    client.force_login(researcher_b)
    url = f"/api/v1/access-requests/{pending.pk}/recommend/"
    assert client.post(url, {"recommendation": "grant"}).status_code == 404
    client.force_login(researcher_a)
    assert client.post(url, {"recommendation": "maybe"}).status_code == 400
    body = client.post(url, {"recommendation": "grant", "comment": "Known team"}).json()
    assert body["recommendation"] == "grant"
    assert AuditEvent.objects.filter(action="access.recommend").count() == 1
    page = client.get("/data/my-access/").content.decode()
    assert "You recommended: Grant." in page
    # The uploader cannot decide yet: only the focal point can.
    grant_url = f"/api/v1/access-requests/{pending.pk}/grant/"
    assert client.post(grant_url, {}).status_code == 404
    client.force_login(focal_point_a)
    page = client.get("/data/requests/").content.decode()
    assert "The uploader recommends: Grant." in page and "Known team" in page


def test_a_focal_point_lets_the_uploader_decide(
    client, history, datasets, researcher_a, researcher_b, focal_point_a, focal_point_b
):
    pending = history[0]
    delegate_url = f"/api/v1/datasets/{datasets[0].pk}/delegate-access/"
    client.force_login(focal_point_b)
    assert client.post(delegate_url, {"uploader_answers": True}).status_code == 403
    client.force_login(researcher_a)
    assert client.post(delegate_url, {"uploader_answers": True}).status_code == 403
    client.force_login(focal_point_a)
    assert client.post(delegate_url, {"uploader_answers": True}).json() == {
        "uploader_answers": True
    }
    assert AuditEvent.objects.filter(action="access.delegate").count() == 1
    client.force_login(researcher_a)
    answer = client.post(f"/api/v1/access-requests/{pending.pk}/grant/", {})
    assert answer.status_code == 200
    assert policy.can_download(researcher_b, datasets[0])
