"""The library and event pages under the access policy."""

import json

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from publications import services
from publications.demo import seed_library, simple_pdf
from publications.models import Publication


def _publication(uploader, **fields):
    values = {"type": "report", "title": "Tiger corridors", "year": 2024, "language": "en"}
    return services.publication_create(actor=uploader, **{**values, **fields})


def _with_file(publication, actor):
    upload = SimpleUploadedFile("report.pdf", simple_pdf("Tiger corridors"))
    return services.publication_file_add(actor=actor, publication=publication, upload=upload)


def test_a_researchers_upload_waits_for_its_countrys_focal_point(
    client, researcher_a, focal_point_a, focal_point_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publication = _publication(researcher_a)
    assert publication.status == "submitted"
    assert focal_point_a.email in {m.to[0] for m in mail.outbox}
    assert client.get(publication.get_absolute_url()).status_code == 404

    client.force_login(focal_point_b)
    assert client.get(publication.get_absolute_url()).status_code == 404
    client.post(reverse("publications:review", args=[publication.pk]), {"decision": "approve"})
    publication.refresh_from_db()
    assert publication.status == "submitted"

    client.force_login(focal_point_a)
    client.post(
        reverse("publications:review", args=[publication.pk]),
        {"decision": "return", "comment": "Add the abstract."},
    )
    publication.refresh_from_db()
    assert publication.status == "returned"


def test_the_secretariat_publishes_directly(secretariat):
    assert _publication(secretariat).status == "published"


@pytest.mark.parametrize(
    ("visibility", "who", "downloads"),
    [
        ("public", "visitor", True),
        ("registered", "visitor", False),
        ("registered", "partner", True),
        ("registered", "pending", False),
        ("member_states", "partner", False),
        ("member_states", "researcher_b", True),
    ],
)
def test_files_follow_the_visibility(client, secretariat, visibility, who, downloads, request):
    publication = _publication(secretariat, visibility=visibility)
    link = _with_file(publication, secretariat)
    if who != "visitor":
        client.force_login(request.getfixturevalue(who))
    assert client.get(publication.get_absolute_url()).status_code == 200
    response = client.get(reverse("datasets:download", args=[link.data_file.pk]))
    assert response.status_code == (200 if downloads else 404)


def test_a_known_doi_is_flagged_before_saving(client, secretariat, researcher_a):
    _publication(secretariat, doi="10.1186/s40657-018-0114-9")
    client.force_login(researcher_a)
    form = {
        "type": "article",
        "title": "Hooded crane tracking",
        "year": "2018",
        "language": "en",
        "visibility": "public",
        "doi": "https://doi.org/10.1186/S40657-018-0114-9",
        "authors-TOTAL_FORMS": "1",
        "authors-INITIAL_FORMS": "0",
        "authors-0-name": "A. Author",
    }
    response = client.post(reverse("publications:create"), form)
    assert response.status_code == 200
    assert "already in the library" in response.content.decode()
    assert not Publication.objects.filter(title="Hooded crane tracking").exists()
    client.post(reverse("publications:create"), {**form, "confirm_duplicate": "on"})
    assert Publication.objects.filter(title="Hooded crane tracking").exists()


def test_bad_input_is_explained_and_kept(client, researcher_a):
    client.force_login(researcher_a)
    response = client.post(
        reverse("publications:create"),
        {
            "type": "report",
            "title": "",
            "year": "3000",
            "language": "en",
            "doi": "bad",
            "visibility": "public",
            "authors-TOTAL_FORMS": "1",
            "authors-INITIAL_FORMS": "0",
            "authors-0-name": "Kept Author",
        },
    )
    errors = response.context["form"].errors
    assert "title" in errors and "year" in errors and "doi" in errors
    assert 'value="Kept Author"' in response.content.decode()


def test_citations_parse(client, secretariat):
    publication = _publication(
        secretariat,
        title="Snow {leopard} & 100% survey",
        doi="10.1000/xyz",
        authors=[{"name": "Бат Болд", "affiliation": "WWF Mongolia"}],
    )
    bibtex = client.get(reverse("publications:cite", args=[publication.pk, "bibtex"])).content
    text = bibtex.decode()
    assert text.count("{") == text.count("}")
    assert "\\&" in text and "\\%" in text
    ris = client.get(reverse("publications:cite", args=[publication.pk, "ris"])).content.decode()
    assert ris.startswith("TY  - RPRT") and "ER  - " in ris and "AU  - Бат Болд" in ris
    csl = json.loads(
        client.get(reverse("publications:cite", args=[publication.pk, "csl-json"])).content
    )
    assert csl[0]["title"] == "Snow {leopard} & 100% survey"
    assert csl[0]["issued"] == {"date-parts": [[publication.year]]}


def test_the_incheon_workshop_page_has_its_agenda_and_figures(client, secretariat):
    counts = seed_library(secretariat=secretariat)
    again = seed_library(secretariat=secretariat)
    assert counts == again
    assert counts["participants"] == 61
    languages = set(Publication.objects.values_list("language", flat=True))
    assert {"zh", "ja", "ko", "mn", "ru", "en"} <= languages
    event_url = client.get(reverse("publications:event_list")).content.decode()
    assert "Workshop on Nature Conservation" in event_url
    from publications.models import Event

    event = Event.objects.get(title__startswith="Workshop on Nature Conservation")
    assert event.is_published and event.time_zone == "Asia/Seoul"
    content = client.get(event.get_absolute_url()).content.decode()
    assert "61 participants" in content
    assert "Session 2.1: conservation of big feline species" in content
    assert "Yury Darman" in content
    assert content.count("/download/") == 6


@pytest.mark.parametrize("rows", [1, 10])
def test_the_library_costs_the_same_queries_for_any_number_of_rows(
    client, secretariat, rows, django_assert_num_queries
):
    for number in range(rows):
        _publication(secretariat, title=f"Report {number}")
    # Expect 10 queries: the count, the page, then authors, species and countries of the
    # page, and the five lists of filter choices (species, sites, countries, targets, themes).
    with django_assert_num_queries(10):
        assert client.get(reverse("publications:list")).status_code == 200


def test_the_review_queue_is_404_for_researchers(client, researcher_a):
    client.force_login(researcher_a)
    assert client.get(reverse("publications:review_queue")).status_code == 404
