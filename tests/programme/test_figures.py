"""The programme's figures add up the events' own counts, and follow the filters."""

import pytest

from programme import selectors
from programme.models import ProgrammeTarget
from publications.models import ParticipantCount
from tests.programme.support import event_with, training_with

pytestmark = pytest.mark.django_db

ALL = selectors.FigureFilters()


@pytest.fixture
def events(secretariat):
    workshop = event_with(
        secretariat, year=2024, counts={"KR": (12, 11, 1), "MN": (3, 3, 0), None: (5, 5, 0)}
    )
    ulaanbaatar = training_with(
        secretariat,
        [
            ("MN", "youth", "frontline", 6, 14, 0),
            ("MN", "other", "frontline", 3, 9, 1),
            ("MN", "other", "community", 4, 3, 0),
            ("RU", "youth", "frontline", 2, 5, 0),
        ],
        year=2025,
        title="Ulaanbaatar",
    )
    vladivostok = training_with(
        secretariat,
        [("RU", "youth", "frontline", 4, 11, 0), (None, "other", "official", 1, 1, 0)],
        year=2026,
        title="Vladivostok",
    )
    return workshop, ulaanbaatar, vladivostok


def _event_totals_by(field):
    """Add up the stored rows directly, to compare with the selectors' grouped sums."""
    totals = {}
    for row in ParticipantCount.objects.all():
        key = getattr(row, field)
        women, men, other = totals.get(key, (0, 0, 0))
        totals[key] = (women + row.women, men + row.men, other + row.other)
    return totals


def test_it_adds_up_participation_by_country_and_gender_as_the_events_count_them(events):
    figures = selectors.participation_figures(filters=ALL)

    by_country = {
        row["country"]: (row["women"], row["men"], row["other"]) for row in figures["by_country"]
    }
    assert by_country == _event_totals_by("country_id")
    assert by_country["MN"] == (3 + 6 + 3 + 4, 3 + 14 + 9 + 3, 1)
    assert (
        figures["total"]["total"] == sum(row.total for row in ParticipantCount.objects.all()) == 104
    )
    assert figures["total"]["women"] == 40
    assert figures["total"]["women_share"] == round(100 * 40 / 104, 1)
    assert figures["events"] == 3
    assert [(row["year"], row["total"]) for row in figures["by_year"]] == [
        (2024, 40),
        (2025, 47),
        (2026, 17),
    ]


def test_it_counts_only_trainings_and_frontline_staff_for_capacity(events):
    figures = selectors.capacity_figures(filters=ALL, year=2025)

    assert figures["trainings"] == 2
    assert figures["total"]["total"] == 40 + 7 + 17
    assert figures["frontline"] == {
        "women": 6 + 3 + 2 + 4,
        "men": 14 + 9 + 5 + 11,
        "other": 1,
        "total": 55,
        "women_share": round(100 * 15 / 55, 1),
    }
    target = ProgrammeTarget.objects.get(measure="frontline_trained")
    assert (target.value, figures["progress"]) == (200, 27.5)
    assert [(row["year"], row["frontline"], row["running"]) for row in figures["by_year"]] == [
        (2025, 40, 40),
        (2026, 15, 55),
    ]
    by_age = {row["code"]: row["total"] for row in figures["by_age_group"]}
    assert by_age == {"youth": 20 + 7 + 15, "other": 13 + 7 + 2}
    by_role = {row["code"]: row["total"] for row in figures["by_role"]}
    assert by_role == {"frontline": 55, "community": 7, "official": 2}
    frontline = {row["country"]: row["total"] for row in figures["frontline_by_country"]}
    assert frontline == {"MN": 33, "RU": 22}


def test_a_new_training_moves_the_running_total(events, secretariat):
    before = selectors.capacity_figures(filters=ALL, year=2025)["frontline"]["total"]

    training_with(secretariat, [("CN", "youth", "frontline", 5, 7, 0)], year=2026, title="Hunchun")

    after = selectors.capacity_figures(filters=ALL, year=2025)
    assert after["frontline"]["total"] == before + 12
    assert after["by_year"][-1]["running"] == before + 12
    assert after["progress"] == round(100 * (before + 12) / 200, 1)


def test_the_headline_counts_the_targets_period_only(events, secretariat):
    training_with(secretariat, [("CN", "youth", "frontline", 50, 50, 0)], year=2031, title="Later")

    figures = selectors.capacity_figures(filters=ALL, year=2025)

    assert figures["frontline"]["total"] == 55  # 2031 is after the 2024–2030 target
    assert figures["by_year"][-1] == figures["by_year"][-1] | {"year": 2031, "running": 155}


def test_it_follows_the_period_and_country_filters(events):
    only_2025 = selectors.participation_figures(
        filters=selectors.FigureFilters(year_from=2025, year_to=2025)
    )
    russia = selectors.participation_figures(filters=selectors.FigureFilters(country="RU"))
    capacity_mn = selectors.capacity_figures(
        filters=selectors.FigureFilters(country="MN"), year=2025
    )

    assert only_2025["total"]["total"] == 47
    assert only_2025["events"] == 1
    assert [row["country"] for row in russia["by_country"]] == ["RU"]  # no partners row
    assert russia["total"]["total"] == 7 + 15
    assert capacity_mn["total"]["total"] == 40
    # The headline stays programme-wide: the target is the programme's, not one country's.
    assert capacity_mn["frontline"]["total"] == 55


def test_an_event_with_trainee_rows_still_shows_one_row_per_country(events, client):
    ulaanbaatar = events[1]

    content = client.get(ulaanbaatar.get_absolute_url()).content.decode()

    assert "47 participants" in content
    assert content.count("<td>Mongolia</td>") == 1


def test_the_figures_cost_a_fixed_number_of_queries(events, django_assert_num_queries):
    # Expect 3 queries: the grouped sums, the countries' names, the events counted.
    with django_assert_num_queries(3):
        selectors.participation_figures(filters=ALL)
    # Expect 5: the grouped sums, the names, the target, the target period's frontline sum,
    # the trainings counted.
    with django_assert_num_queries(5):
        selectors.capacity_figures(filters=ALL, year=2025)
