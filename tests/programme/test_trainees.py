"""The secretariat records a training's trainees; the rules are the service's, page or not."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from access.models import AuditEvent
from publications.models import ParticipantCount
from publications.training_services import trainees_set
from tests.programme.support import event_with, training_with

pytestmark = pytest.mark.django_db

ROW = {"country": "MN", "age_group": "youth", "role": "frontline", "women": 2, "men": 3}


@pytest.fixture
def training(secretariat):
    return event_with(secretariat, type="training", year=2025)


def _post(client, event, rows):
    data = {
        "trainee-TOTAL_FORMS": str(len(rows)),
        "trainee-INITIAL_FORMS": "0",
        "trainee-MIN_NUM_FORMS": "0",
        "trainee-MAX_NUM_FORMS": "1000",
    }
    for number, row in enumerate(rows):
        data.update({f"trainee-{number}-{key}": value for key, value in row.items()})
    return client.post(reverse("publications:trainees_edit", args=[event.pk]), data)


def test_it_replaces_the_trainees_and_audits_the_change(secretariat, training):
    trainees_set(actor=secretariat, event=training, rows=[ROW, {**ROW, "role": "official"}])
    trainees_set(actor=secretariat, event=training, rows=[{**ROW, "men": 0, "women": 0}, ROW])

    assert list(
        ParticipantCount.objects.values_list("country", "age_group", "role", "women", "men")
    ) == [("MN", "youth", "frontline", 2, 3)]
    audit = AuditEvent.objects.filter(action="event.trainees.set").latest("pk")
    assert audit.detail == {"rows": [["MN", "youth", "frontline", 2, 3, 0]]}


@pytest.mark.parametrize(
    "rows, message",
    [
        ([ROW, ROW], "Row 2 repeats"),
        ([{**ROW, "country": "US"}], "unknown member State code US"),
        ([{**ROW, "role": "chief"}], "choose an age group and a role"),
        ([{**ROW, "women": -1}], "whole numbers from 0"),
    ],
)
def test_it_refuses_rows_it_cannot_count_and_changes_nothing(secretariat, training, rows, message):
    trainees_set(actor=secretariat, event=training, rows=[ROW])

    with pytest.raises(ValidationError, match=message):
        trainees_set(actor=secretariat, event=training, rows=rows)

    assert ParticipantCount.objects.get().women == 2


def test_it_records_trainees_only_for_trainings(secretariat):
    workshop = event_with(secretariat, type="workshop")

    with pytest.raises(ValidationError, match="make this event a training"):
        trainees_set(actor=secretariat, event=workshop, rows=[ROW])


def test_only_the_secretariat_records_trainees(researcher_a, focal_point_a, training):
    for actor in (researcher_a, focal_point_a):
        with pytest.raises(PermissionDenied):
            trainees_set(actor=actor, event=training, rows=[ROW])


def test_it_checks_the_total_when_given(secretariat, training):
    with pytest.raises(ValidationError, match="add up to 5, not 6"):
        trainees_set(actor=secretariat, event=training, rows=[ROW], total=6)


def test_the_secretariat_saves_trainees_on_the_editing_page(client, secretariat, training):
    client.force_login(secretariat)
    page = client.get(reverse("publications:event_edit", args=[training.pk]))
    assert "Save the trainees" in page.content.decode()

    response = _post(
        client,
        training,
        [
            {**ROW, "other": ""},
            {"country": "partners", "age_group": "other", "role": "official", "men": "1"},
            {"country": "KR", "age_group": "undisclosed", "role": "frontline"},  # left empty
        ],
    )

    assert response.status_code == 302
    rows = ParticipantCount.objects.order_by("country").values_list(
        "country", "role", "women", "men"
    )
    assert list(rows) == [("MN", "frontline", 2, 3), (None, "official", 0, 1)]


def test_the_page_shows_a_refusal_above_the_rows_and_keeps_the_input(client, secretariat, training):
    client.force_login(secretariat)

    response = _post(client, training, [ROW, ROW])

    assert response.status_code == 400
    content = response.content.decode()
    assert "Row 2 repeats" in content
    assert 'value="3"' in content
    assert not ParticipantCount.objects.exists()


def test_a_workshop_keeps_its_grid_of_participants(client, secretariat):
    workshop = event_with(secretariat, type="workshop")
    client.force_login(secretariat)

    content = client.get(reverse("publications:event_edit", args=[workshop.pk])).content.decode()

    assert "Save the figures" in content
    assert "Save the trainees" not in content


def test_the_trainees_page_does_not_exist_for_anyone_else(
    client, training, researcher_a, focal_point_a
):
    assert _post(client, training, [ROW]).status_code == 302  # to sign in
    for user in (researcher_a, focal_point_a):
        client.force_login(user)
        assert _post(client, training, [ROW]).status_code == 404
    assert not ParticipantCount.objects.exists()


def test_the_training_shows_its_trainees_by_country_on_its_page(client, secretariat):
    event = training_with(
        secretariat,
        [("RU", "youth", "frontline", 1, 2, 0), ("RU", "other", "official", 3, 0, 0)],
    )

    content = client.get(event.get_absolute_url()).content.decode()

    assert "6 participants" in content
    assert content.count("Russian Federation") >= 1
