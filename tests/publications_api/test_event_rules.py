"""Page and API agree on every event rule: the same refusal, the same field, nothing kept.

Each case sends the same bad input through the secretariat's page and through the API.
The page must show the service's message beside the named form field (400); the API must
answer 400 with that message under the named key; no row may change either way. A rule
written twice would fail here as soon as the two copies drift.
"""

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from publications import events_services
from publications.models import Material
from species.models import Country
from tests.publications_api.event_support import (
    EVENT_PAGE,
    material,
    pdf,
    speaker_rows,
    state,
)

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Surface:
    """One of the secretariat's forms, as a page and as an API endpoint."""

    page: str  # URL name of the page
    form: str  # context name of the form on the page
    api: str  # API path under /api/v1/events/{pk}/
    method: str
    multipart: bool = False


MATERIAL = Surface("publications:material_add", "material_form", "materials/", "post", True)
EVENT = Surface("publications:event_edit", "event_form", "", "patch")
PARTICIPANTS = Surface(
    "publications:participants_edit", "participants_form", "participants/", "put"
)
SESSION = Surface("publications:session_add", "new_session_form", "sessions/", "post")


@dataclass
class Case:
    """One bad input, as the page's form and as the API's body."""

    surface: Surface
    page_data: Any  # callable returning the POST body (files are read once)
    api_data: Any
    page_field: str | None  # form field shown beside, None above the form
    api_field: str
    message: str | None  # the service's own words, on both surfaces


CASES = {
    "presentation-without-speaker": Case(
        surface=MATERIAL,
        page_data=lambda: {
            "kind": "presentation",
            "title": "Flyway tracking",
            "language": "en",
            "visibility": "public",
            "files": [pdf()],
        },
        api_data=lambda: {"kind": "presentation", "title": "Flyway tracking", "file": [pdf()]},
        page_field="speakers",
        api_field="speakers",
        message="Name the speaker of the presentation.",
    ),
    "speaker-affiliation-without-name": Case(
        surface=MATERIAL,
        page_data=lambda: {
            "kind": "presentation",
            "title": "Flyway tracking",
            **speaker_rows({"name": "", "affiliation": "WSCC"}),
            "language": "en",
            "visibility": "public",
            "files": [pdf()],
        },
        api_data=lambda: {
            "kind": "presentation",
            "title": "Flyway tracking",
            "speakers": json.dumps([{"name": "", "affiliation": "WSCC"}]),
            "file": [pdf()],
        },
        page_field="speakers",
        api_field="speakers",
        message="Give the name of speaker 1.",
    ),
    "recording-without-link": Case(
        surface=MATERIAL,
        page_data=lambda: {
            "kind": "recording",
            "title": "Video",
            "language": "en",
            "visibility": "public",
        },
        api_data=lambda: {"kind": "recording", "title": "Video"},
        page_field="link",
        api_field="link",
        message="A recording needs its link.",
    ),
    "report-without-files-or-link": Case(
        surface=MATERIAL,
        page_data=lambda: {
            "kind": "report",
            "title": "Workshop report",
            "language": "en",
            "visibility": "public",
        },
        api_data=lambda: {"kind": "report", "title": "Workshop report"},
        page_field="files",
        api_field="files",
        message="Add the file(s), or a link where they can be read.",
    ),
    "event-ending-before-it-starts": Case(
        surface=EVENT,
        page_data=lambda: {**EVENT_PAGE, "end_date": "2025-04-01"},
        api_data=lambda: {"end_date": "2025-04-01"},
        page_field="end_date",
        api_field="end_date",
        message="The last day is before the first day.",
    ),
    "event-neither-online-nor-in-a-city": Case(
        surface=EVENT,
        page_data=lambda: {**EVENT_PAGE, "city": ""},
        api_data=lambda: {"city": "", "online": False},
        page_field="city",
        api_field="city",
        message="Give the city, or mark the event as online.",
    ),
    "event-with-too-many-species": Case(
        surface=EVENT,
        page_data=lambda: {**EVENT_PAGE, "species": ["WN_CRANE"] * 51},
        api_data=lambda: {"species": ["WN_CRANE"] * 51},
        page_field="species",
        api_field="species",
        message="Give at most 50 (51 were sent).",
    ),
    "event-summary-too-long": Case(
        surface=EVENT,
        page_data=lambda: {**EVENT_PAGE, "summary": "x" * 20_001},
        api_data=lambda: {"summary": "x" * 20_001},
        page_field="summary",
        api_field="summary",
        message=None,  # each surface words a too-long text in its framework's words
    ),
    "counts-not-adding-up": Case(
        surface=PARTICIPANTS,
        page_data=lambda: {"MN_women": "10", "MN_men": "10", "total": "61"},
        api_data=lambda: {"rows": [{"country": "MN", "women": 10, "men": 10}], "total": 61},
        page_field="total",
        api_field="total",
        message="The counts add up to 20, not 61.",
    ),
    "negative-count": Case(
        surface=PARTICIPANTS,
        page_data=lambda: {"MN_women": "-1", "MN_men": "10"},
        api_data=lambda: {"rows": [{"country": "MN", "women": -1, "men": 10}]},
        page_field=None,
        api_field="counts",
        message="Counts of MN must be three whole numbers from 0 to 100000.",
    ),
    "count-out-of-bounds": Case(
        surface=PARTICIPANTS,
        page_data=lambda: {"MN_women": "100001"},
        api_data=lambda: {"rows": [{"country": "MN", "women": 100_001}]},
        page_field=None,
        api_field="counts",
        message="Counts of MN must be three whole numbers from 0 to 100000.",
    ),
    "session-order-out-of-range": Case(
        surface=SESSION,
        page_data=lambda: {"new-session-title": "Flyways", "new-session-order": "40000"},
        api_data=lambda: {"title": "Flyways", "order": 40_000},
        page_field="order",
        api_field="order",
        message=None,  # the model's validator, worded by each framework
    ),
}


def _page_errors(response, case: Case) -> list[str]:
    form = response.context[case.surface.form]
    if case.page_field == "speakers":
        return list(form.speaker_errors)  # shown above the speaker rows
    return list(form.errors.get(case.page_field or "__all__", []))


def _api(client, event, case: Case):
    url = f"/api/v1/events/{event.pk}/{case.surface.api}"
    send = getattr(client, case.surface.method)
    if case.surface.multipart:
        return send(url, case.api_data())
    return send(url, json.dumps(case.api_data()), content_type="application/json")


@pytest.mark.parametrize("name", CASES)
def test_page_and_api_refuse_the_same_input_the_same_way(client, secretariat, event, name):
    case = CASES[name]
    client.force_login(secretariat)
    before = state()

    page = client.post(reverse(case.surface.page, args=[event.pk]), case.page_data())
    assert page.status_code == 400, page.content
    page_errors = _page_errors(page, case)
    assert page_errors, f"the page shows no error beside {case.page_field}"
    assert state() == before

    api = _api(client, event, case)
    assert api.status_code == 400, api.content
    api_errors = api.json()[case.api_field]
    assert state() == before

    if case.message is not None:
        assert case.message in page_errors
        assert escape(case.message) in page.content.decode(), "the page does not show it"
        assert case.message in api_errors


def test_a_presentation_without_a_speaker_is_refused_by_the_service_itself(secretariat, event):
    with pytest.raises(ValidationError) as refused:
        events_services.material_add(
            actor=secretariat,
            event=event,
            kind="presentation",
            title="Flyway tracking",
            files=[pdf()],
        )
    assert refused.value.message_dict == {"speakers": ["Name the speaker of the presentation."]}
    assert Material.objects.count() == 0


def test_page_and_api_refuse_an_order_naming_another_eventsmaterial(client, secretariat, event):
    first = material(secretariat, event, "First")
    other = events_services.event_save(
        actor=secretariat,
        title="Webinar",
        type="webinar",
        start_date=date(2025, 5, 1),
        end_date=date(2025, 5, 1),
        online=True,
    )
    stranger = material(secretariat, other, "Stranger")
    client.force_login(secretariat)
    before = state()
    message = f"Not materials of this event: {stranger.pk}."

    page = client.post(
        reverse("publications:materials_reorder", args=[event.pk]),
        {"order": f"{stranger.pk},{first.pk}"},
        follow=True,
    )
    assert message in [str(m) for m in page.context["messages"]]
    assert state() == before

    api = client.put(
        f"/api/v1/events/{event.pk}/materials/order/",
        json.dumps({"material_ids": [stranger.pk, first.pk]}),
        content_type="application/json",
    )
    assert api.status_code == 400
    assert api.json()["material_ids"] == [message]
    assert state() == before


def test_a_garbled_order_is_explained_on_the_page(client, secretariat, event):
    material(secretariat, event, "First")
    client.force_login(secretariat)
    before = state()
    page = client.post(
        reverse("publications:materials_reorder", args=[event.pk]),
        {"order": "1,²," + "9" * 5000},
        follow=True,
    )
    assert page.status_code == 200
    assert "Give the order as material numbers separated by commas." in page.content.decode()
    assert state() == before


def test_the_api_bounds_speakers_and_codes_before_the_database(
    client, secretariat, event, django_assert_max_num_queries
):
    client.force_login(secretariat)
    speakers = [{"name": f"Speaker {n}"} for n in range(21)]
    response = client.post(
        f"/api/v1/events/{event.pk}/materials/",
        {"kind": "presentation", "title": "Panel", "speakers": json.dumps(speakers)},
    )
    assert response.status_code == 400
    assert response.json()["speakers"] == ["Give at most 20 (21 were sent)."]
    # Expect at most 14 queries whatever the number of codes: the session and the
    # secretariat's account, the event for editing and its agenda (with its tags, KMGBF
    # targets and themes among them); none per code.
    with django_assert_max_num_queries(14):
        response = client.patch(
            f"/api/v1/events/{event.pk}/",
            json.dumps({"sites": [f"SITE_{n}" for n in range(10_000)]}),
            content_type="application/json",
        )
    assert response.status_code == 400
    assert response.json()["sites"] == ["Give at most 50 (10000 were sent)."]
    response = client.patch(
        f"/api/v1/events/{event.pk}/",
        json.dumps({"countries": ["MN", "ZZ"]}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["countries"] == ["Object with code=ZZ does not exist."]


def test_only_member_states_are_named_on_an_event(client, secretariat, event):
    Country.objects.create(code="US", name_en="United States", is_member_state=False)
    client.force_login(secretariat)
    before = state()
    page = client.post(
        reverse("publications:event_edit", args=[event.pk]), {**EVENT_PAGE, "countries": ["US"]}
    )
    assert page.status_code == 400
    assert page.context["event_form"].errors["countries"]
    api = client.patch(
        f"/api/v1/events/{event.pk}/",
        json.dumps({"countries": ["MN", "US"]}),
        content_type="application/json",
    )
    assert api.status_code == 400
    assert api.json()["countries"] == ["Only member States can be named: not US."]
    assert state() == before
    assert list(event.countries.all()) == []


def test_page_and_api_refuse_a_session_past_the_agenda_limit(
    client, secretariat, event, monkeypatch
):
    monkeypatch.setattr(events_services, "MAX_SESSIONS", 1)  # the event has one session
    client.force_login(secretariat)
    before = state()
    message = "An agenda holds at most 1 sessions."
    page = client.post(
        reverse("publications:session_add", args=[event.pk]),
        {"new-session-title": "Flyways", "new-session-order": "1"},
    )
    assert page.status_code == 400
    assert page.context["new_session_form"].non_field_errors() == [message]
    api = client.post(
        f"/api/v1/events/{event.pk}/sessions/",
        json.dumps({"title": "Flyways"}),
        content_type="application/json",
    )
    assert api.status_code == 400
    assert api.json() == {"detail": [message]}
    assert state() == before
