"""Events are drafts until the secretariat publishes them: a draft, and the materials it
holds, reach no surface but the secretariat's; materials are edited and removed from the
editor; sessions keep their times in the event's zone; materials carry their own species."""

import importlib
from datetime import UTC, date, datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from access.models import AuditEvent
from datasets.models import DataFile
from publications import events_materials, events_services
from publications.models import Event, Material, Publication, Session
from search.selectors import search
from search.services import index_all
from species.models import Species
from tests.publications_api.event_support import pdf, speaker_rows

pytestmark = pytest.mark.django_db

TITLE = "Workshop on crane flyways at Cheorwon"
TALK = "Crane roost counts on the Cheorwon plain"


@pytest.fixture
def draft(secretariat):
    """A draft workshop tagged with the white-naped crane, with one presentation."""
    crane = Species.objects.get(code="WN_CRANE")
    event = events_services.event_save(
        actor=secretariat,
        title=TITLE,
        type="workshop",
        start_date=date(2025, 3, 3),
        end_date=date(2025, 3, 4),
        city="Cheorwon",
        time_zone="Asia/Seoul",
        featured=True,
        species=[crane],
    )
    events_services.material_add(
        actor=secretariat,
        event=event,
        kind="presentation",
        title=TALK,
        speakers=[{"name": "Kim Jiwoo", "affiliation": "NIE"}],
        species=[crane],
        files=[pdf()],
    )
    index_all()
    return event


def _surfaces(client, event) -> dict[str, bool]:
    """Return, for each surface, whether it shows the event or its presentation."""
    talk = Publication.objects.get(title=TALK)
    return {
        "event list": TITLE in client.get(reverse("publications:event_list")).content.decode(),
        "event page": client.get(event.get_absolute_url()).status_code == 200,
        "event api list": TITLE in client.get("/api/v1/events/").content.decode(),
        "event api": client.get(f"/api/v1/events/{event.pk}/").status_code == 200,
        "species page": TITLE
        in client.get(reverse("species:species_detail", args=["WN_CRANE"])).content.decode(),
        "home": TITLE in client.get("/").content.decode(),
        "sitemap": event.get_absolute_url() in client.get("/sitemap.xml").content.decode(),
        "oai": f"event:{event.pk}"
        in client.get("/oai/", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
        .content.decode()
        .replace("/", ":"),
        "talk page": client.get(talk.get_absolute_url()).status_code == 200,
        "library": TALK in client.get(reverse("publications:list")).content.decode(),
        "publication api": client.get(f"/api/v1/publications/{talk.pk}/").status_code == 200,
    }


def _found(user) -> set[str]:
    return {document.title for document in search(user=user, query="crane Cheorwon").documents}


def test_a_draft_reaches_no_surface_of_anyone_but_the_secretariat(
    client, draft, researcher_a, focal_point_a, secretariat
):
    for person in (None, researcher_a, focal_point_a):
        client.logout()
        if person is not None:
            client.force_login(person)
        shown = {name for name, seen in _surfaces(client, draft).items() if seen}
        assert not shown, f"{person}: the draft shows on {sorted(shown)}"
        assert not _found(person or AnonymousUser()) & {TITLE, TALK}

    client.force_login(secretariat)
    assert client.get(draft.get_absolute_url()).status_code == 200
    page = client.get(reverse("publications:event_list")).content.decode()
    assert "Drafts" in page and TITLE in page


def test_once_published_it_reaches_every_surface(
    client, draft, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("publications:event_publish", args=[draft.pk]))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="event.publish").count() == 1
    client.logout()
    hidden = {name for name, seen in _surfaces(client, draft).items() if not seen}
    assert not hidden, f"the published event is missing from {sorted(hidden)}"
    assert {TITLE, TALK} <= _found(AnonymousUser())


def test_only_the_secretariat_publishes(client, draft, researcher_a, focal_point_a):
    for person in (researcher_a, focal_point_a):
        client.force_login(person)
        assert (
            client.post(reverse("publications:event_publish", args=[draft.pk])).status_code == 404
        )
        assert client.post(f"/api/v1/events/{draft.pk}/publish/").status_code in (403, 404)
    draft.refresh_from_db()
    assert not draft.is_published


def test_the_api_publishes_for_the_secretariat(client, draft, secretariat):
    client.force_login(secretariat)
    response = client.post(f"/api/v1/events/{draft.pk}/publish/")
    assert response.status_code == 200
    assert response.json()["status"] == "published"


def test_events_there_before_drafts_existed_stay_published(secretariat):
    migration = importlib.import_module(
        "publications.migrations.0003_event_draft_zone_session_times"
    )
    status = next(
        operation
        for operation in migration.Migration.operations
        if getattr(operation, "name", "") == "status"
    )
    assert status.field.default == "published"


# --- Materials: edit and remove ------------------------------------------------------------


def _talk(event) -> Material:
    return event.materials.get(publication__title=TALK)


def test_the_secretariat_edits_a_material(client, draft, secretariat):
    material = _talk(draft)
    session = events_services.session_save(actor=secretariat, event=draft, title="Counts")
    client.force_login(secretariat)
    url = reverse("publications:material_edit", args=[draft.pk, material.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "Roost counts, 2024-2025",
            "session": session.pk,
            "language": "ko",
            "visibility": "registered",
            "species": [Species.objects.get(code=code).pk for code in ("WN_CRANE", "HOODED_CRANE")],
            **speaker_rows({"name": "Kim Jiwoo", "affiliation": "NIE"}, {"name": "Lee Mi-Jin"}),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    material.refresh_from_db()
    publication = material.publication
    assert publication.title == "Roost counts, 2024-2025"
    assert material.session == session
    assert [a.name for a in publication.authors.all()] == ["Kim Jiwoo", "Lee Mi-Jin"]
    assert set(publication.species.values_list("code", flat=True)) == {"WN_CRANE", "HOODED_CRANE"}
    assert (publication.language, publication.visibility) == ("ko", "registered")
    assert AuditEvent.objects.filter(action="event.material.update").exists()


def test_a_removed_speaker_row_is_not_kept_and_none_left_is_refused(client, draft, secretariat):
    material = _talk(draft)
    client.force_login(secretariat)
    rows = speaker_rows({"name": "Kim Jiwoo", "affiliation": "NIE"})
    rows["material-speakers-0-DELETE"] = "on"
    response = client.post(
        reverse("publications:material_edit", args=[draft.pk, material.pk]),
        {"title": TALK, "language": "en", "visibility": "public", **rows},
    )
    assert response.status_code == 400
    assert "Name the speaker of the presentation." in response.content.decode()
    assert [a.name for a in _talk(draft).publication.authors.all()] == ["Kim Jiwoo"]


def test_the_secretariat_removes_a_material_with_its_files(client, draft, secretariat):
    material = _talk(draft)
    publication_pk = material.publication_id
    client.force_login(secretariat)
    response = client.post(reverse("publications:material_remove", args=[draft.pk, material.pk]))
    assert response.status_code == 302
    assert not Material.objects.filter(pk=material.pk).exists()
    assert not Publication.objects.filter(pk=publication_pk).exists()
    assert not DataFile.objects.filter(publication_link__publication_id=publication_pk).exists()
    assert DataFile.objects.count() == 0
    assert AuditEvent.objects.filter(action="event.material.remove").exists()


def test_editing_and_removing_materials_is_the_secretariats_alone(
    client, draft, researcher_a, focal_point_a, secretariat
):
    material = _talk(draft)
    other = events_services.event_save(
        actor=secretariat,
        title="Webinar",
        type="webinar",
        start_date=date(2025, 5, 1),
        end_date=date(2025, 5, 1),
        online=True,
    )
    edit = reverse("publications:material_edit", args=[draft.pk, material.pk])
    remove = reverse("publications:material_remove", args=[draft.pk, material.pk])
    for person in (researcher_a, focal_point_a):
        client.force_login(person)
        assert client.get(edit).status_code == 404
        assert client.post(edit, {"title": "Changed"}).status_code == 404
        assert client.post(remove).status_code == 404
    client.force_login(secretariat)
    # A material is reached through its own event only.
    assert (
        client.post(
            reverse("publications:material_remove", args=[other.pk, material.pk])
        ).status_code
        == 404
    )
    assert Material.objects.filter(pk=material.pk).exists()
    assert _talk(draft).publication.title == TALK


def test_a_recording_is_edited_without_speakers_or_files(client, draft, secretariat):
    recording = events_services.material_add(
        actor=secretariat, event=draft, kind="recording", title="Video", link="https://x.org/v"
    )
    client.force_login(secretariat)
    url = reverse("publications:material_edit", args=[draft.pk, recording.pk])
    assert client.post(url, {"title": "Video", "link": ""}).status_code == 400
    assert client.post(url, {"title": "Full video", "link": "https://x.org/w"}).status_code == 302
    recording.refresh_from_db()
    assert (recording.title, recording.link) == ("Full video", "https://x.org/w")
    events_materials.material_remove(actor=secretariat, material=recording)
    assert not Material.objects.filter(pk=recording.pk).exists()


# --- Session times --------------------------------------------------------------------------


def test_session_times_are_typed_and_shown_in_the_events_zone(client, draft, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("publications:session_add", args=[draft.pk]),
        {
            "new-session-title": "Field visit",
            "new-session-order": "1",
            "new-session-starts_at": "2025-03-03T09:30",
            "new-session-ends_at": "2025-03-03T10:45",
        },
    )
    assert response.status_code == 302
    session = Session.objects.get(title="Field visit")
    assert session.starts_at == datetime(2025, 3, 3, 0, 30, tzinfo=UTC)
    assert session.ends_at == datetime(2025, 3, 3, 1, 45, tzinfo=UTC)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "2025-03-03 09:30</time>–<time" in page
    assert "10:45</time> <span" in page
    assert "Asia/Seoul" in page
    edit = client.get(reverse("publications:event_edit", args=[draft.pk])).content.decode()
    assert 'value="2025-03-03T09:30"' in edit  # the form shows the zone's clock, not UTC


@pytest.mark.parametrize(
    ("starts", "ends", "field", "message"),
    [
        ("2025-03-03T11:00", "2025-03-03T10:00", "ends_at", "The session ends before it starts."),
        ("", "2025-03-03T10:00", "starts_at", "Give the start time too."),
        ("2025-03-09T09:00", "", "starts_at", "Choose a time between 2025-03-03 and 2025-03-04"),
        ("not a time", "", "starts_at", "Enter a valid date/time."),
    ],
)
def test_session_times_that_make_no_sense_are_refused(
    client, draft, secretariat, starts, ends, field, message
):
    client.force_login(secretariat)
    response = client.post(
        reverse("publications:session_add", args=[draft.pk]),
        {
            "new-session-title": "Field visit",
            "new-session-order": "1",
            "new-session-starts_at": starts,
            "new-session-ends_at": ends,
        },
    )
    assert response.status_code == 400
    errors = " ".join(response.context["new_session_form"].errors.get(field, []))
    assert message in errors
    assert not Session.objects.filter(title="Field visit").exists()


# --- Species of materials -------------------------------------------------------------------


def test_materials_do_not_inherit_the_events_species(
    client, secretariat, django_capture_on_commit_callbacks
):
    flagship = list(Species.objects.filter(is_flagship=True))
    event = events_services.event_save(
        actor=secretariat,
        title="Workshop on transboundary cooperation",
        type="workshop",
        start_date=date(2024, 8, 28),
        end_date=date(2024, 8, 29),
        city="Incheon",
        species=flagship,
    )
    with django_capture_on_commit_callbacks(execute=True):
        events_services.material_add(
            actor=secretariat,
            event=event,
            kind="presentation",
            title="Financing conservation: nature-based solutions",
            speakers=[{"name": "Karen Ochoa"}],
            files=[pdf()],
        )
        events_services.event_publish(actor=secretariat, event=event)
    financing = Publication.objects.get(title__startswith="Financing")
    assert list(financing.species.all()) == []
    leopard = client.get(reverse("species:species_detail", args=["LEOPARD_AMUR"]))
    assert "Financing conservation" not in leopard.content.decode()
    results = search(user=AnonymousUser(), query="Financing", filters=None)
    assert all(
        "LEOPARD_AMUR" not in (document.species or [])
        for document in results.documents
        if document.title.startswith("Financing")
    )


def test_the_migration_forgets_species_copied_whole_from_the_event(secretariat):
    flagship = list(Species.objects.filter(is_flagship=True))
    event = events_services.event_save(
        actor=secretariat,
        title="Old workshop",
        type="workshop",
        start_date=date(2024, 8, 28),
        end_date=date(2024, 8, 29),
        city="Incheon",
        species=flagship,
    )
    copied = events_services.material_add(
        actor=secretariat,
        event=event,
        kind="report",
        title="Copied",
        species=flagship,
        link="https://x.org/r",
    )
    own = events_services.material_add(
        actor=secretariat,
        event=event,
        kind="report",
        title="Own",
        species=flagship[:1],
        link="https://x.org/o",
    )
    migration = importlib.import_module(
        "publications.migrations.0003_event_draft_zone_session_times"
    )
    migration.forget_inherited_species(apps, None)
    assert copied.publication.species.count() == 0
    assert own.publication.species.count() == 1


def test_event_lists_of_the_secretariat_cost_the_same_with_drafts(
    client, secretariat, django_assert_num_queries
):
    for number in range(3):
        events_services.event_save(
            actor=secretariat,
            title=f"Draft {number}",
            type="webinar",
            start_date=date(2025, 5, number + 1),
            end_date=date(2025, 5, number + 1),
            online=True,
        )
    assert Event.objects.filter(status="draft").count() == 3
    client.force_login(secretariat)
    client.get(reverse("publications:event_list"))
    # Expect 7 queries: session, account and authenticator (3; the menu is cached since the
    # first page), then the events: past count, upcoming, past page (1 each; none yet, so
    # no participant counts) and the drafts (1), however many.
    with django_assert_num_queries(7):
        assert client.get(reverse("publications:event_list")).status_code == 200
