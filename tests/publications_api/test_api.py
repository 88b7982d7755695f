"""The library and events API: uploads, review, citations, curation, bad input, query counts."""

import io
import json
import zipfile
from datetime import date

import bibtexparser
import pytest
import rispy
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from publications import events_services, services
from publications.demo import simple_pdf
from publications.models import Event, Material, ParticipantCount, Publication, Session
from species.models import Country, KmgbfTarget, Site, Species, Theme

pytestmark = pytest.mark.django_db

NEW = {
    "type": "article",
    "title": "Миграция журавлей",
    "title_en": "Crane migration",
    "year": 2023,
    "language": "ru",
    "visibility": "public",
    "authors": [
        {"name": "Иванов Пётр", "affiliation": "Хинганский заповедник"},
        {"name": "Бат-Эрдэнэ Болд", "affiliation": ""},
    ],
    "species": ["WN_CRANE"],
    "countries": ["RU", "MN"],
}


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _publication(actor, **fields):
    values = {"type": "report", "title": "Tiger corridors", "year": 2024, "language": "en"}
    return services.publication_create(actor=actor, **{**values, **fields})


def test_it_creates_a_publication_that_waits_for_review(client, researcher_a):
    client.force_login(researcher_a)
    response = _post(client, "/api/v1/publications/", NEW)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted"
    assert [a["name"] for a in body["authors"]] == ["Иванов Пётр", "Бат-Эрдэнэ Болд"]
    assert body["species"] == ["WN_CRANE"] and sorted(body["countries"]) == ["MN", "RU"]


def test_a_known_doi_answers_409_until_confirmed(client, secretariat, researcher_a):
    _publication(secretariat, doi="10.1000/crane.1")
    client.force_login(researcher_a)
    body = {**NEW, "doi": "https://doi.org/10.1000/CRANE.1"}
    conflict = _post(client, "/api/v1/publications/", body)
    assert conflict.status_code == 409
    assert conflict.json()["duplicates"][0]["doi"] == "10.1000/crane.1"
    assert Publication.objects.count() == 1
    assert (
        _post(client, "/api/v1/publications/", {**body, "confirm_duplicate": True}).status_code
        == 201
    )


def test_only_the_uploaders_focal_points_or_the_secretariat_review(
    client, researcher_a, focal_point_a, focal_point_b, secretariat
):
    publication = _publication(researcher_a)
    url = f"/api/v1/publications/{publication.pk}/review/"
    client.force_login(focal_point_b)
    assert _post(client, url, {"decision": "approve"}).status_code == 404
    client.force_login(researcher_a)
    assert _post(client, url, {"decision": "approve"}).status_code == 403
    publication.refresh_from_db()
    assert publication.status == "submitted"

    client.force_login(focal_point_a)
    assert _post(client, url, {"decision": "return"}).status_code == 400
    returned = _post(client, url, {"decision": "return", "comment": "Add the abstract."})
    assert returned.json()["status"] == "returned"
    # Deciding twice: it no longer waits for review.
    assert _post(client, url, {"decision": "approve"}).status_code == 403

    client.force_login(researcher_a)
    mine = client.get("/api/v1/publications/?mine=1").json()["results"]
    assert [(p["id"], p["review_comment"]) for p in mine] == [(publication.pk, "Add the abstract.")]
    edited = client.patch(
        f"/api/v1/publications/{publication.pk}/",
        json.dumps({"abstract": "Corridors between Land of the Leopard and Hunchun."}),
        content_type="application/json",
    )
    assert edited.json()["status"] == "submitted"

    client.force_login(secretariat)
    assert _post(client, url, {"decision": "approve"}).json()["status"] == "published"


CJK_AUTHORS = [
    {"name": "王晓明", "affiliation": "东北林业大学"},
    {"name": "山田 花子", "affiliation": "環境省"},
    {"name": "김민준", "affiliation": "국립생물자원관"},
    {"name": "Болдын Сарангэрэл", "affiliation": "ШУА"},
    {"name": "Иванова Анна", "affiliation": ""},
]


def test_citations_parse_with_real_parsers_and_keep_every_script(client, secretariat):
    publication = _publication(
        secretariat,
        title="Snow {leopard} & 100% survey_2024 #1 {unbalanced",
        title_en="",
        doi="10.1000/xyz",
        abstract="Line one.\nLine two with $ and ~.",
        authors=CJK_AUTHORS,
    )
    url = f"/api/v1/publications/{publication.pk}/cite/"

    library = bibtexparser.parse_string(client.get(url, {"format": "bibtex"}).content.decode())
    assert library.failed_blocks == []
    [entry] = library.entries
    assert entry.entry_type == "techreport"
    authors = [name.strip("{} ") for name in entry.fields_dict["author"].value.split(" and ")]
    assert authors == [author["name"] for author in CJK_AUTHORS]
    assert entry.fields_dict["doi"].value == "10.1000/xyz"

    [record] = rispy.loads(client.get(url, {"format": "ris"}).content.decode())
    assert record["type_of_reference"] == "RPRT"
    assert record["authors"] == [author["name"] for author in CJK_AUTHORS]
    assert record["title"] == publication.title

    [item] = json.loads(client.get(url, {"format": "csl-json"}).content)
    assert {"id", "type", "title", "author", "issued"} <= set(item)
    assert item["title"] == publication.title
    assert [a["literal"] for a in item["author"]] == [a["name"] for a in CJK_AUTHORS]

    assert client.get(url, {"format": "endnote"}).status_code == 400


def test_citations_of_a_hidden_publication_are_404(client, researcher_a, researcher_b):
    publication = _publication(researcher_a)
    client.force_login(researcher_b)
    url = f"/api/v1/publications/{publication.pk}/cite/"
    assert client.get(url, {"format": "bibtex"}).status_code == 404


def _docx_of_something_else() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photos/tiger.txt", "not a document")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.pdf", b"<html><body>not a pdf</body></html>", "is not a PDF file"),
        ("report.docx", _docx_of_something_else(), "is not a DOCX document"),
        ("notes.txt", b"plain text", "only PDF, DOCX and PPTX"),
    ],
)
def test_files_that_are_not_what_they_say_are_refused(client, researcher_a, name, data, message):
    publication = _publication(researcher_a)
    client.force_login(researcher_a)
    response = client.post(
        f"/api/v1/publications/{publication.pk}/files/",
        {"file": [SimpleUploadedFile(name, data)]},
    )
    assert response.status_code == 400
    assert message in json.dumps(response.json(), ensure_ascii=False)
    assert publication.links.count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "T" * 10_000}, "title"),
        ({"title": ""}, "title"),
        ({"authors": [{"name": "  ", "affiliation": "WWF"}]}, "authors"),
        ({"year": timezone.localdate().year + 2}, "year"),
        ({"language": "xx"}, "language"),
        ({"species": ["NOT_A_SPECIES"]}, "species"),
        ({"visibility": "secret"}, "visibility"),
        ({"doi": "not a doi"}, "doi"),
    ],
)
def test_bad_fields_are_named_and_nothing_is_stored(client, researcher_a, change, field):
    client.force_login(researcher_a)
    response = _post(client, "/api/v1/publications/", {**NEW, **change})
    assert response.status_code == 400
    assert field in response.json()
    assert Publication.objects.count() == 0


def test_a_year_next_year_is_accepted_for_work_in_press(client, researcher_a):
    client.force_login(researcher_a)
    in_press = {**NEW, "year": timezone.localdate().year + 1}
    assert _post(client, "/api/v1/publications/", in_press).status_code == 201


# --- Events -------------------------------------------------------------------------------

EVENT = {
    "title": "Expert meeting on transboundary crane monitoring",
    "type": "expert_meeting",
    "start_date": "2025-05-20",
    "end_date": "2025-05-21",
    "city": "Ulaanbaatar",
    "venue": "Ministry of Environment",
    "species": ["WN_CRANE"],
    "countries": ["MN", "RU", "CN"],
}


def test_the_secretariat_builds_an_event_through_the_api(client, secretariat):
    client.force_login(secretariat)
    created = _post(client, "/api/v1/events/", EVENT)
    assert created.status_code == 201, created.content
    event_id = created.json()["id"]
    for order, title in enumerate(["Opening", "Flyway monitoring"]):
        _post(client, f"/api/v1/events/{event_id}/sessions/", {"title": title, "order": order})
    event = Event.objects.get(pk=event_id)
    flyway = event.sessions.get(title="Flyway monitoring")
    response = client.post(
        f"/api/v1/events/{event_id}/materials/",
        {
            "kind": "presentation",
            "title": "Satellite tracking of white-naped cranes",
            "session": flyway.pk,
            "speakers": json.dumps([{"name": "Нямбаяр Батбаяр", "affiliation": "WSCC"}]),
            "file": [
                SimpleUploadedFile("slides.pdf", simple_pdf("Cranes")),
                SimpleUploadedFile("annex.pdf", simple_pdf("Annex")),
            ],
        },
    )
    assert response.status_code == 201, response.content
    participants = client.put(
        f"/api/v1/events/{event_id}/participants/",
        json.dumps(
            {
                "rows": [
                    {"country": "MN", "women": 6, "men": 4},
                    {"country": None, "women": 1, "men": 1, "other": 1},
                ],
                "total": 13,
            }
        ),
        content_type="application/json",
    )
    assert participants.status_code == 200, participants.content

    body = client.get(f"/api/v1/events/{event_id}/").json()
    assert (body["participants_total"], body["participants_women"]) == (13, 7)
    assert [s["title"] for s in body["sessions"]] == ["Opening", "Flyway monitoring"]
    [material] = body["sessions"][1]["materials"]
    assert material["speakers"] == [{"name": "Нямбаяр Батбаяр", "affiliation": "WSCC"}]
    assert sorted(f["name"] for f in material["files"]) == ["annex.pdf", "slides.pdf"]


def test_participant_counts_that_do_not_add_up_change_nothing(client, secretariat):
    event = events_services.event_save(
        actor=secretariat,
        title="Webinar",
        type="webinar",
        start_date=date(2025, 1, 10),
        end_date=date(2025, 1, 10),
        online=True,
    )
    events_services.participants_set(actor=secretariat, event=event, counts={"KR": (3, 2, 0)})
    client.force_login(secretariat)
    response = client.put(
        f"/api/v1/events/{event.pk}/participants/",
        json.dumps({"rows": [{"country": "KR", "women": 10, "men": 10}], "total": 61}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "add up to 20, not 61" in response.json()["total"][0]
    assert list(ParticipantCount.objects.values_list("women", "men")) == [(3, 2)]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end_date": "2025-05-01"}, "end_date"),
        ({"city": "", "online": False}, "city"),
        ({"type": "party"}, "type"),
        ({"title": "T" * 10_000}, "title"),
    ],
)
def test_bad_events_are_refused_with_the_field_named(client, secretariat, change, field):
    client.force_login(secretariat)
    response = _post(client, "/api/v1/events/", {**EVENT, **change})
    assert response.status_code == 400
    assert field in response.json()
    assert Event.objects.count() == 0


def test_only_the_secretariat_curates_events(client, researcher_a, focal_point_a, secretariat):
    assert _post(client, "/api/v1/events/", EVENT).status_code in (401, 403)
    for person in (researcher_a, focal_point_a):
        client.force_login(person)
        assert _post(client, "/api/v1/events/", EVENT).status_code == 403
    values = {**EVENT, "species": [], "countries": []}
    event = events_services.event_save(actor=secretariat, **values)
    client.force_login(researcher_a)
    url = f"/api/v1/events/{event.pk}/sessions/"
    assert _post(client, url, {"title": "Sneaky"}).status_code == 404
    assert Session.objects.count() == 0


def _events(secretariat, count):
    for number in range(count):
        event = events_services.event_save(
            actor=secretariat,
            title=f"Workshop {number}",
            type="workshop",
            start_date=date(2020 + number % 5, 6, 1),
            end_date=date(2020 + number % 5, 6, 2),
            city="Seoul",
        )
        events_services.event_publish(actor=secretariat, event=event)
        session = events_services.session_save(actor=secretariat, event=event, title="Session")
        events_services.participants_set(actor=secretariat, event=event, counts={"KR": (1, 1, 0)})
        events_services.material_add(
            actor=secretariat,
            event=event,
            kind="presentation",
            title=f"Talk {number}",
            session=session,
            speakers=[{"name": "Speaker"}],
            files=[SimpleUploadedFile("talk.pdf", simple_pdf("Talk"))],
        )
        Material.objects.create(event=event, kind="recording", link="https://example.org/v")


@pytest.mark.parametrize("count", [1, 8])
def test_the_publication_api_list_costs_the_same_for_any_number(
    client, secretariat, count, django_assert_num_queries
):
    for number in range(count):
        _tagged(_publication(secretariat, title=f"Report {number}", authors=[{"name": "A"}]))
    # Expect 4 queries: the count, the page (with the codes of its five tag relations), its
    # authors, and its files joined to their stored file.
    with django_assert_num_queries(4) as captured:
        assert client.get("/api/v1/publications/").status_code == 200
    # What a list never shows is never read: a document's text can be megabytes.
    files_query = captured.captured_queries[-1]["sql"]
    assert '"datasets_datafile"."original_name"' in files_query
    assert "extracted_text" not in files_query and "standard_metadata" not in files_query


def _tagged(publication):
    """Tag ``publication`` with a few of each kind, given out of their lists' order."""
    publication.species.set(Species.objects.order_by("code")[:3])
    publication.sites.set(Site.objects.order_by("-code")[:2])
    publication.countries.set(Country.objects.filter(code__in=["MN", "CN", "KR"]))
    publication.targets.set(KmgbfTarget.objects.filter(number__in=[20, 4]))
    publication.themes.set(Theme.objects.order_by("-code")[:2])
    return publication


def test_the_list_shows_each_tag_as_the_record_does(client, secretariat):
    """The list reads its codes in SQL, a record through Django's relations: the same codes
    in the same order."""
    for number in range(3):
        _tagged(_publication(secretariat, title=f"Report {number}", visibility="public"))
    client.force_login(secretariat)
    listed = client.get("/api/v1/publications/").json()["results"]
    assert len(listed) == 3 and all(row["species"] for row in listed)
    for row in listed:
        record = client.get(f"/api/v1/publications/{row['id']}/").json()
        for name in ("species", "sites", "countries", "targets", "themes", "files"):
            assert row[name] == record[name], name
    assert listed[0]["targets"] == [4, 20]


def test_the_review_comment_reaches_only_those_it_is_written_for(
    client, researcher_a, researcher_b, focal_point_a, secretariat
):
    """An approval comment stays on a published publication: the public does not read it."""
    publication = _publication(researcher_a, visibility="public")
    services.publication_review(
        actor=focal_point_a, publication=publication, decision="approve", comment="Nest at 35.1"
    )
    url = f"/api/v1/publications/{publication.pk}/"
    for reader, sees in [
        (None, False),
        (researcher_b, False),
        (researcher_a, True),
        (focal_point_a, True),
        (secretariat, True),
    ]:
        client.logout()
        if reader is not None:
            client.force_login(reader)
        answer = client.get(url).json()
        assert answer["review_comment"] == ("Nest at 35.1" if sees else None), reader
