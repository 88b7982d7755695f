"""The demo data gives the capacity and participation pages real figures, once."""

import pytest

from programme import selectors
from programme.demo import seed_trainings
from publications import events_services
from publications.demo import INCHEON, PARTICIPANTS
from publications.models import Event

pytestmark = pytest.mark.django_db


def test_the_demo_trainings_add_up_and_a_second_run_changes_nothing(secretariat):
    workshop = events_services.event_save(actor=secretariat, **INCHEON)
    events_services.participants_set(actor=secretariat, event=workshop, counts=PARTICIPANTS)

    assert seed_trainings(secretariat=secretariat) == {"trainings": 2, "trainees": 109}
    assert seed_trainings(secretariat=secretariat) == {"trainings": 2, "trainees": 109}

    assert Event.objects.count() == 3
    # The workshop is still a draft: its participants count nowhere until it is published.
    draft = selectors.participation_figures(filters=selectors.FigureFilters())
    assert draft["total"]["total"] == 109
    events_services.event_publish(actor=secretariat, event=workshop)
    capacity = selectors.capacity_figures(filters=selectors.FigureFilters(), year=2026)
    participation = selectors.participation_figures(filters=selectors.FigureFilters())
    assert (capacity["frontline"]["total"], capacity["progress"]) == (89, 44.5)
    assert [(row["year"], row["running"]) for row in capacity["by_year"]] == [
        (2025, 46),
        (2026, 89),
    ]
    assert (participation["total"]["total"], participation["total"]["women_share"]) == (170, 36.5)
