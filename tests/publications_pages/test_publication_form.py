"""The publication form: authors as repeating rows, licence, publisher, institution; the page
shows them with the chosen sites, and the citations carry them."""

import json

import pytest
from django.urls import reverse

from publications import cite, services
from publications.models import Publication
from species.models import Site

pytestmark = pytest.mark.django_db

FORM = {
    "type": "report",
    "title": "Crane counts along the Amur",
    "title_en": "",
    "year": "2024",
    "language": "en",
    "visibility": "public",
    "licence": "CC-BY-SA-4.0",
    "publisher": "Amur Press",
    "institution": "Khingansky Nature Reserve",
    "authors-INITIAL_FORMS": "0",
}


def _rows(*rows):
    """Return the formset's fields for ``rows`` of (name, affiliation[, removed])."""
    data = {"authors-TOTAL_FORMS": str(len(rows))}
    for number, row in enumerate(rows):
        data[f"authors-{number}-name"] = row[0]
        data[f"authors-{number}-affiliation"] = row[1]
        if len(row) > 2 and row[2]:
            data[f"authors-{number}-DELETE"] = "on"
    return data


def test_the_empty_form_has_rows_a_template_and_the_licences(client, researcher_a):
    client.force_login(researcher_a)
    html = client.get(reverse("publications:create")).content.decode()
    assert 'name="authors-TOTAL_FORMS" value="3"' in html
    assert 'name="authors-2-name"' in html
    assert "authors-__prefix__-name" in html  # the row static/js/rows.js copies
    assert "data-add-row hidden" in html
    assert '<option value="CC0-1.0">' in html
    assert '<option value="all-rights-reserved">' in html
    assert 'data-enhance=""' in html  # the language list is searchable with JavaScript


def test_it_saves_more_authors_than_the_old_slots_in_order(client, researcher_a):
    client.force_login(researcher_a)
    names = [(f"Author {n}", f"Institute {n}") for n in range(8)]
    removed = ("Removed Person", "Nowhere", True)
    empty = ("", "")
    data = {**FORM, **_rows(*names[:3], removed, empty, *names[3:])}
    response = client.post(reverse("publications:create"), data)
    assert response.status_code == 302, response.context["form"].errors
    publication = Publication.objects.get(title=FORM["title"])
    assert [(a.name, a.affiliation) for a in publication.authors.all()] == names
    assert publication.licence == "CC-BY-SA-4.0"
    assert publication.publisher == "Amur Press"
    assert publication.institution == "Khingansky Nature Reserve"


def test_an_affiliation_without_a_name_is_refused_beside_the_row(client, researcher_a):
    client.force_login(researcher_a)
    data = {**FORM, **_rows(("Kept Name", "Kept Place"), ("", "An orphan affiliation"))}
    response = client.post(reverse("publications:create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_authors-1-name_errors"' in html
    assert 'value="Kept Name"' in html and 'value="An orphan affiliation"' in html
    assert not Publication.objects.filter(title=FORM["title"]).exists()


def test_at_least_one_author_is_required(client, researcher_a):
    client.force_login(researcher_a)
    response = client.post(reverse("publications:create"), {**FORM, **_rows(("", ""))})
    assert response.status_code == 200
    assert "Give at least one author." in response.content.decode()


def test_a_post_without_the_rows_gets_an_error_not_a_crash(client, researcher_a):
    client.force_login(researcher_a)
    data = {key: value for key, value in FORM.items() if not key.startswith("authors-")}
    response = client.post(reverse("publications:create"), data)
    assert response.status_code == 200
    assert 'id="authors-errors"' in response.content.decode()


def test_an_unknown_licence_is_refused(client, researcher_a):
    client.force_login(researcher_a)
    data = {**FORM, "licence": "WTFPL", **_rows(("A. Author", ""))}
    response = client.post(reverse("publications:create"), data)
    assert response.status_code == 200
    assert "licence" in response.context["form"].errors


def test_the_edit_form_lists_every_author(client, researcher_a):
    authors = [{"name": f"Person {n}", "affiliation": ""} for n in range(7)]
    publication = services.publication_create(
        actor=researcher_a, type="report", title="T", year=2024, language="en", authors=authors
    )
    client.force_login(researcher_a)
    html = client.get(reverse("publications:edit", args=[publication.pk])).content.decode()
    assert 'value="Person 6"' in html
    assert 'name="authors-TOTAL_FORMS" value="10"' in html


def test_the_page_shows_authors_sites_licence_and_issuer(client, secretariat):
    site = Site.objects.order_by("code").first()
    publication = services.publication_create(
        actor=secretariat,
        type="report",
        title="Crane counts",
        year=2024,
        language="en",
        licence="CC-BY-4.0",
        publisher="Amur Press",
        institution="Khingansky Nature Reserve",
        url="https://example.org/cranes",
        authors=[{"name": "Ivanov", "affiliation": "Reserve"}, {"name": "Bold", "affiliation": ""}],
        sites=[site],
    )
    html = client.get(publication.get_absolute_url()).content.decode()
    assert '<span aria-hidden="true">;</span></li><li class="list-inline-item">Bold' in html
    assert site.get_absolute_url() in html
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license noopener"' in html
    assert "Amur Press" in html and "Khingansky Nature Reserve" in html

    text = cite.plain(publication)
    assert text == (
        "Ivanov, & Bold (2024). Crane counts. Khingansky Nature Reserve, Amur Press. "
        "https://example.org/cranes"
    )
    assert "PB  - Khingansky Nature Reserve, Amur Press" in cite.ris(publication)
    bibtex = cite.bibtex(publication)
    assert "publisher = {Amur Press}" in bibtex
    assert "institution = {Khingansky Nature Reserve}" in bibtex
    item = json.loads(cite.csl_json(publication))[0]
    assert item["publisher"] == "Khingansky Nature Reserve, Amur Press"
    assert item["license"] == "CC-BY-4.0"


def test_the_api_reads_and_writes_licence_publisher_institution(client, researcher_a):
    client.force_login(researcher_a)
    body = {
        "type": "report",
        "title": "Spoonbill census",
        "year": 2023,
        "language": "ko",
        "authors": [{"name": "Kim", "affiliation": "NIBR"}],
        "licence": "CC0-1.0",
        "publisher": "NIBR",
        "institution": "National Institute of Biological Resources",
    }
    url = "/api/v1/publications/"
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["licence"], data["publisher"]) == ("CC0-1.0", "NIBR")
    bad = client.post(url, json.dumps({**body, "licence": "GPL"}), content_type="application/json")
    assert bad.status_code == 400
    assert "licence" in bad.json()
