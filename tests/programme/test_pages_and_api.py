"""The public pages and API of the programme's figures, and the target the secretariat sets."""

import pytest
from django.urls import reverse

from access.models import AuditEvent
from programme.models import ProgrammeTarget
from tests.programme.support import event_with, training_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(secretariat):
    event_with(secretariat, year=2024, counts={"KR": (12, 11, 1), None: (5, 5, 0)})
    training_with(
        secretariat,
        [("MN", "youth", "frontline", 6, 14, 0), ("MN", "other", "community", 4, 3, 0)],
        year=2025,
    )


@pytest.mark.parametrize("who", ["visitor", "researcher_a", "secretariat"])
def test_everyone_reads_the_capacity_and_participation_pages(client, request, events, who):
    if who != "visitor":
        client.force_login(request.getfixturevalue(who))

    capacity = client.get(reverse("programme:capacity")).content.decode()
    participation = client.get(reverse("programme:participation")).content.decode()

    assert "20 of 200 frontline staff trained" in capacity
    assert "27 trainees at 1 training." in capacity
    assert "61 participants at 2 events" in participation
    assert "Women: 44.3%." in participation
    assert ('href="/reports/"' in capacity) is (who == "secretariat")


def test_the_pages_ignore_filters_they_cannot_read_and_say_so(client, events):
    response = client.get(reverse("programme:capacity"), {"year_from": "20x4", "country": "\x00"})

    assert response.status_code == 200
    assert "Some filters were not understood" in response.content.decode()


def test_the_pages_follow_the_filters(client, events):
    response = client.get(reverse("programme:participation"), {"country": "KR"})

    content = response.content.decode()
    assert "24 participants at 1 event" in content
    assert '<th scope="row" class="fw-normal">Partners and others</th>' not in content


def test_the_pages_cost_a_fixed_number_of_queries(client, events, django_assert_num_queries):
    # Expect 4: the figures' 3 (see test_figures) and the member States of the filter; a
    # visitor has no session to read.
    with django_assert_num_queries(4):
        client.get(reverse("programme:participation"))


def test_the_api_gives_the_same_figures_to_everyone(client, events, researcher_a):
    anonymous = client.get("/api/v1/reports/participation/").json()
    client.force_login(researcher_a)
    signed_in = client.get("/api/v1/reports/participation/").json()

    assert anonymous == signed_in
    assert anonymous["total"] == {
        "women": 27,
        "men": 33,
        "other": 1,
        "total": 61,
        "women_share": 44.3,
    }
    assert {row["country"]: row["total"] for row in anonymous["by_country"]} == {
        "KR": 24,
        "MN": 27,
        None: 10,
    }


def test_the_capacity_api_gives_the_target_and_follows_year_and_country(client, events):
    body = client.get("/api/v1/reports/capacity/", {"year": 2025, "country": "mn"}).json()
    empty = client.get("/api/v1/reports/capacity/", {"year": 2024}).json()

    assert body["filters"] == {"year_from": 2025, "year_to": 2025, "country": "MN"}
    assert body["target"] == {
        "measure": "frontline_trained",
        "value": 200,
        "start_year": 2024,
        "end_year": 2030,
    }
    assert body["frontline_trained"]["total"] == 20
    assert body["progress"] == 10.0
    assert body["by_year"] == [
        {
            "year": 2025,
            "frontline": 20,
            "running": 20,
            "women": 10,
            "men": 17,
            "other": 0,
            "total": 27,
            "women_share": 37.0,
        }
    ]
    assert {row["code"]: row["total"] for row in body["by_role"]} == {
        "frontline": 20,
        "community": 7,
    }
    assert (empty["total"]["total"], empty["by_year"]) == (0, [])


@pytest.mark.parametrize(
    "query", [{"year": "abc"}, {"year": "1800"}, {"country": "KOR"}, {"year_from": "2024x"}]
)
def test_the_api_refuses_filters_it_cannot_read(client, query):
    for path in ("/api/v1/reports/capacity/", "/api/v1/reports/participation/"):
        response = client.get(path, query)
        assert response.status_code == 400
        assert set(response.json()) == set(query)


def test_the_api_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()

    for path in ("/api/v1/reports/capacity/", "/api/v1/reports/participation/"):
        parameters = {parameter["name"] for parameter in schema["paths"][path]["get"]["parameters"]}
        assert {"year", "year_from", "year_to", "country"} <= parameters


def test_the_secretariat_changes_the_target_in_the_admin_and_it_is_audited(client, secretariat):
    target = ProgrammeTarget.objects.get(measure="frontline_trained")
    client.force_login(secretariat)

    response = client.post(
        reverse("admin:programme_programmetarget_change", args=[target.pk]),
        {
            "measure": "frontline_trained",
            "value": "250",
            "start_year": "2024",
            "end_year": "2030",
            "source": "Revised plan",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    target.refresh_from_db()
    assert target.value == 250
    audit = AuditEvent.objects.get(action="admin.change", object_type="programme.programmetarget")
    assert audit.actor == secretariat
    assert (
        "of 250 frontline staff trained"
        in client.get(reverse("programme:capacity")).content.decode()
    )


def test_a_target_that_ends_before_it_starts_is_refused(admin_client):
    response = admin_client.post(
        reverse("admin:programme_programmetarget_add"),
        {"measure": "frontline_trained", "value": "10", "start_year": "2030", "end_year": "2026"},
    )

    assert response.status_code == 200
    assert "The last year is before the first year." in response.content.decode()
    assert ProgrammeTarget.objects.count() == 1


def test_others_cannot_change_the_target(client, researcher_a, focal_point_a):
    target = ProgrammeTarget.objects.get()
    for user in (researcher_a, focal_point_a):
        client.force_login(user)
        response = client.get(reverse("admin:programme_programmetarget_change", args=[target.pk]))
        assert response.status_code == 302  # to the admin's sign-in page
