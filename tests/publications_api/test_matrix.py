"""The access policy over the library and event materials: person × visibility × state.

Surfaces: the HTML library list, detail and download; the API list, detail and download;
the event page and the event API, where each publication is also a presentation; search
(page and API), by its description and by the text extracted from its file.

The expectations come from ``expected`` below, written from docs/access-policy.md and
docs/decisions/four-eyes.md independently of ``access.policy``.
"""

from datetime import date

import pytest
from django.core.files.base import ContentFile

from accounts.models import AccountStatus, FocalPoint
from datasets.models import DataFile
from publications.models import Event, Material, Publication, PublicationFile, Session
from search import services as search_services
from search.models import SearchDocument
from tests.factories import UserFactory
from tests.matrix import found_by_search, module_rows
from tests.two_factor import give_authenticator

#: A word of every publication's description, and one of the text extracted from its file.
DESCRIPTION_WORD = "zzlibraryabstract"
FILE_TEXT_WORD = "zzlibraryfiletext"
VISIBILITIES = ["public", "registered", "member_states"]
STATES = ["submitted", "returned", "published"]
PEOPLE = [
    "visitor",
    "pending",
    "researcher",
    "other_researcher",
    "partner",
    "owner_fp",
    "other_fp",
    "secretariat",
    "uploader",
]


def expected(person: str, visibility: str, state: str) -> tuple[bool, bool]:
    """Return (sees the description, may download the files) for ``person``."""
    published = state == "published"
    # The uploader, the focal points of the uploader's country and the secretariat
    # (who curates the library) handle a publication before and after review.
    insiders = {"uploader", "owner_fp", "secretariat"}
    if person in insiders:
        return True, True
    if not published:
        return False, False
    verified = person not in {"visitor", "pending"}
    of_a_member_state = verified and person != "partner"
    return True, {
        "public": True,
        "registered": verified,
        "member_states": of_a_member_state,
    }[visibility]


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker):
    """Create the people, one publication per visibility × state, and an event showing all."""
    with module_rows(django_db_blocker):
        people = _people()
        event = Event.objects.create(
            title="p-event",
            type="workshop",
            start_date=date(2024, 8, 28),
            end_date=date(2024, 8, 29),
            city="Incheon",
            status="published",
            created_by=people["secretariat"],
        )
        session = Session.objects.create(event=event, title="p-session", order=1)
        publications = {
            (visibility, state): _publication(people["uploader"], session, visibility, state)
            for visibility in VISIBILITIES
            for state in STATES
        }
        # The search documents' copies claim the widest: search must ask the live rows.
        SearchDocument.objects.update(published=True, access="public")
        yield people, publications, event


def _people() -> dict:
    """Return the cast by role, focal points and secretariat holding their keys."""
    people = {
        "pending": UserFactory(username="p-pending", country_id="KR", status=AccountStatus.PENDING),
        "researcher": UserFactory(username="p-researcher", country_id="KR"),
        "other_researcher": UserFactory(username="p-other-researcher", country_id="RU"),
        "partner": UserFactory(username="p-partner", country_id=None),
        "owner_fp": UserFactory(username="p-owner-fp", country_id="KR"),
        "other_fp": UserFactory(username="p-other-fp", country_id="JP"),
        "secretariat": UserFactory(username="p-secretariat", country_id=None, is_secretariat=True),
        "uploader": UserFactory(username="p-uploader", country_id="KR"),
    }
    FocalPoint.objects.create(user=people["owner_fp"], country_id="KR")
    FocalPoint.objects.create(user=people["other_fp"], country_id="JP")
    for name in ("owner_fp", "other_fp", "secretariat"):
        give_authenticator(people[name])  # those who hold keys sign in with a code
    return people


def _publication(uploader, session: Session, visibility: str, state: str) -> Publication:
    """Return the publication of ``visibility`` × ``state``: a PDF file, and a presentation
    of ``session``."""
    publication = Publication.objects.create(
        type="presentation",
        title=f"p-{visibility}-{state}",
        abstract=f"Slides of the workshop, {DESCRIPTION_WORD}.",
        year=2024,
        language="en",
        visibility=visibility,
        status=state,
        uploader=uploader,
        owner_country_id="KR",
    )
    data_file = DataFile.objects.create(
        original_name="slides.pdf",
        file=ContentFile(b"%PDF-1.4 slides", name="slides.pdf"),
        size=15,
        uploaded_by=uploader,
        state="ready",
        extracted_text=f"Den north of station K7: {FILE_TEXT_WORD}.",
    )
    PublicationFile.objects.create(publication=publication, data_file=data_file)
    Material.objects.create(
        event=session.event, session=session, kind="presentation", publication=publication
    )
    search_services.publication_index(publication)
    return publication


def _surfaces(client, publication, event_html, event_api, api_listed, html_list) -> dict:
    file_id = publication.links.get().data_file_id
    api_detail = client.get(f"/api/v1/publications/{publication.pk}/")
    actual = {
        "html list": f">{publication.title}<" in html_list,
        "html detail": client.get(f"/library/{publication.pk}/").status_code,
        "html download": client.get(f"/data/files/{file_id}/download/").status_code,
        "api list": publication.title in api_listed,
        "api detail": api_detail.status_code,
        "api download": client.get(f"/api/v1/files/{file_id}/download/").status_code,
        "event page lists it": f">{publication.title}<" in event_html,
        "event page links the file": f"/data/files/{file_id}/download/" in event_html,
    }
    materials = {m["title"]: m for s in event_api["sessions"] for m in s["materials"]}
    actual["event api lists it"] = publication.title in materials
    if publication.title in materials:
        files = materials[publication.title]["files"]
        actual["event api links the file"] = files[0]["download_url"] is not None
    if api_detail.status_code == 200:
        actual["api can_download"] = api_detail.json()["can_download"]
    return actual


def _wanted(sees: bool, downloads: bool, listed: bool) -> dict:
    wanted = {
        # Search lists what lists list; its file text is found by those who may download it.
        "found by its description": (listed, listed),
        "found by its file text": (listed and downloads, listed and downloads),
        "html list": listed,
        "html detail": 200 if sees else 404,
        "html download": 200 if downloads else 404,
        "api list": listed,
        "api detail": 200 if sees else 404,
        "api download": 200 if downloads else 404,
        "event page lists it": listed,
        "event page links the file": listed and downloads,
        "event api lists it": listed,
    }
    if listed:
        wanted["event api links the file"] = downloads
    if sees:
        wanted["api can_download"] = downloads
    return wanted


@pytest.mark.django_db
@pytest.mark.parametrize("person", PEOPLE)
def test_every_surface_obeys_the_policy(client, cast, person):
    people, publications, event = cast
    if person != "visitor":
        client.force_login(people[person])
    html_list = client.get("/library/").content.decode()
    api_listed = {item["title"] for item in client.get("/api/v1/publications/").json()["results"]}
    event_html = client.get(f"/library/events/{event.pk}/").content.decode()
    event_api = client.get(f"/api/v1/events/{event.pk}/").json()
    found = {
        word: found_by_search(client, word, kind="presentation", pages="/library/")
        for word in (DESCRIPTION_WORD, FILE_TEXT_WORD)
    }
    nowhere = (False, False)
    mismatches = []
    for (visibility, state), publication in publications.items():
        sees, downloads = expected(person, visibility, state)
        # Lists, libraries and agendas show what is published (one's own uploads have
        # their own page).
        listed = sees and state == "published"
        actual = _surfaces(client, publication, event_html, event_api, api_listed, html_list)
        actual["found by its description"] = found[DESCRIPTION_WORD].get(publication.pk, nowhere)
        actual["found by its file text"] = found[FILE_TEXT_WORD].get(publication.pk, nowhere)
        wanted = _wanted(sees, downloads, listed)
        if actual != wanted:
            mismatches.append((visibility, state, actual, wanted))
    assert mismatches == []


def test_the_matrix_covers_every_case():
    # 9 people × 3 visibilities × 3 states, each on up to 13 surfaces.
    cases = [(p, v, s) for p in PEOPLE for v in VISIBILITIES for s in STATES]
    assert len(cases) == 81
    assert {expected(*case) for case in cases} == {
        (False, False),
        (True, False),
        (True, True),
    }
