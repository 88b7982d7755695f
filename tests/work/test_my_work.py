"""The "My work" page: each role sees its own sections, outsiders see none of them, and the
page costs the same number of queries for one item per list as for many."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from datasets import services as dataset_services
from publications import events_services
from publications import services as publication_services
from tests.factories import DatasetFactory, FocalPointFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/my-work/"


def _request(requester, dataset, purpose="Corridor study"):
    return dataset_services.access_request_create(
        actor=requester,
        dataset=dataset,
        purpose=purpose,
        intended_use="",
        wanted_until=timezone.localdate() + timedelta(days=90),
    )


def _publication(uploader, title):
    return publication_services.publication_create(
        actor=uploader,
        type="report",
        title=title,
        year=2024,
        language="en",
        authors=[{"name": "A. Author"}],
    )


def _event(secretariat, title):
    return events_services.event_save(
        actor=secretariat,
        title=title,
        type="workshop",
        start_date=timezone.localdate() + timedelta(days=30),
        end_date=timezone.localdate() + timedelta(days=31),
        city="Seoul",
    )


def _world(count, *, researcher_a, researcher_b, secretariat):
    """Give each list of every role ``count`` rows."""
    for number in range(count):
        UserFactory(username=f"new-kr-{number}", country_id="KR", status="pending")
        UserFactory(username=f"new-partner-{number}", country_id=None, status="pending")
        DatasetFactory(
            uploader=researcher_a,
            title=f"Submitted survey {number}",
            status="submitted",
            submitted_at=timezone.now(),
            published_at=None,
        )
        _publication(researcher_a, f"Waiting report {number}")
        restricted = DatasetFactory(
            uploader=researcher_a, title=f"Restricted survey {number}", access_level="restricted"
        )
        _request(researcher_b, restricted)
        _event(secretariat, f"Draft workshop {number}")


def test_it_asks_a_visitor_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_it_shows_a_researcher_their_work_and_no_queue(
    client, researcher_a, researcher_b, focal_point_a, secretariat
):
    _world(1, researcher_a=researcher_a, researcher_b=researcher_b, secretariat=secretariat)
    client.force_login(researcher_a)
    page = client.get(URL).content.decode()
    assert "Submitted survey 0" in page
    assert "Waiting report 0" in page
    assert "Waiting for review" in page  # the publication's state
    # Nothing of the focal points' or the secretariat's sections.
    assert "new-kr-0" not in page
    assert "Waiting for you" not in page
    assert "Everything pending in the hub" not in page
    assert "Draft workshop 0" not in page


def test_it_shows_the_requester_their_requests(client, researcher_a, researcher_b, secretariat):
    _world(1, researcher_a=researcher_a, researcher_b=researcher_b, secretariat=secretariat)
    client.force_login(researcher_b)
    page = client.get(URL).content.decode()
    assert "Restricted survey 0" in page
    assert "Waiting for a decision" in page
    assert "Submitted survey 0" not in page


def test_it_shows_a_focal_point_the_queues_of_their_country_only(
    client, researcher_a, researcher_b, focal_point_a, focal_point_b, secretariat
):
    _world(2, researcher_a=researcher_a, researcher_b=researcher_b, secretariat=secretariat)
    client.force_login(focal_point_a)
    response = client.get(URL)
    queues = response.context["queues"]
    assert queues["accounts"].count == 2
    assert queues["datasets"].count == 2
    assert queues["publications"].count == 2
    assert queues["access_requests"].count == 2
    assert queues["accounts"].oldest is not None
    page = response.content.decode()
    assert "new-kr-0" in page
    assert "new-partner-0" not in page  # partners are the secretariat's to verify
    assert "Everything pending in the hub" not in page
    assert "Draft workshop 0" not in page

    client.force_login(focal_point_b)
    queues = client.get(URL).context["queues"]
    assert [queues[name].count for name in ("accounts", "datasets", "publications")] == [0, 0, 0]
    assert queues["access_requests"].count == 0


def test_it_shows_the_secretariat_everything_pending_and_the_events_to_curate(
    client, researcher_a, researcher_b, focal_point_a, secretariat
):
    _world(2, researcher_a=researcher_a, researcher_b=researcher_b, secretariat=secretariat)
    client.force_login(secretariat)
    response = client.get(URL)
    hub = {row["code"]: row for row in response.context["hub"]}
    assert hub["KR"]["accounts"] == 2
    assert hub["KR"]["datasets"] == 2
    assert hub["KR"]["publications"] == 2
    assert hub["KR"]["access_requests"] == 2
    assert hub[None]["accounts"] == 2
    assert response.context["drafts"].count == 2
    assert response.context["queues"]["accounts"].count == 2  # partner accounts
    assert response.context["queues"]["access_requests"] is None  # not a focal point
    page = response.content.decode()
    assert "Draft workshop 1" in page
    assert "new-partner-0" in page


def test_a_person_with_several_roles_sees_each_section(
    client, researcher_a, researcher_b, secretariat
):
    """A focal point is a researcher too: their own work and their queues, on one page."""
    focal_point = FocalPointFactory(username="focal-and-author", country_id="MN")
    _publication(focal_point, "My own brief")
    _world(1, researcher_a=researcher_a, researcher_b=researcher_b, secretariat=secretariat)
    client.force_login(focal_point)
    response = client.get(URL)
    assert response.context["mine"]["publications"].count == 1
    assert response.context["queues"] is not None
    page = response.content.decode()
    assert "My own brief" in page and "Waiting for you" in page


def test_a_pending_account_is_told_what_comes_next(client, pending):
    client.force_login(pending)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your account is not verified yet" in page
    assert response.context["mine"] is None and response.context["queues"] is None
    assert reverse("datasets:create") not in page  # no dead end offered


def test_empty_lists_say_what_to_do_next(client, researcher_a):
    client.force_login(researcher_a)
    page = client.get(URL).content.decode()
    assert "You have not shared a dataset yet." in page
    assert "To ask for restricted data, open the dataset" in page


@pytest.mark.parametrize("count", [1, 6])
def test_it_costs_the_same_queries_for_any_number_of_items(
    client, researcher_a, researcher_b, focal_point_a, secretariat, count, django_assert_num_queries
):
    _world(count, researcher_a=researcher_a, researcher_b=researcher_b, secretariat=secretariat)

    client.force_login(researcher_a)
    client.get(URL)  # the menu's roles and counts are cached after the first page
    # Expect 11 queries: session and account (2), the focal-point appointments the roles
    # read (1), then two per list (its first rows; its count with the age of its oldest)
    # for my datasets, publications, access requests and grants (8).
    with django_assert_num_queries(11):
        assert client.get(URL).status_code == 200

    client.force_login(focal_point_a)
    client.get(URL)
    # Expect 20 queries: session, account and authenticator (3), appointments (1), the
    # four lists of their own (8), and four queues, two queries each: accounts to verify,
    # datasets and publications to review, access requests to answer (8).
    with django_assert_num_queries(20):
        assert client.get(URL).status_code == 200

    client.force_login(secretariat)
    client.get(URL)
    # Expect 25 queries: session, account and authenticator (3), appointments (1), their
    # own four lists (8), three queues (6; no access requests: not a focal point), the
    # countries' names (1), what waits in the hub by country, four parts (4), and the
    # draft events (2).
    with django_assert_num_queries(25):
        assert client.get(URL).status_code == 200
