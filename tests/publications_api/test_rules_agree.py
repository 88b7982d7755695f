"""The library's page and the API refuse the same input with the same message, under the
same field: the rules are stated once (``Publication.clean`` with ``publications.rules``,
``publications.services``, ``neaspec_portal.bounds``)."""

import json

import pytest
from django.urls import reverse

from neaspec_portal.bounds import too_many
from publications import services
from publications.models import Publication
from publications.rules import LIST_LIMITS, latest_year

pytestmark = pytest.mark.django_db

PAGE = {
    "type": "article",
    "title": "Hooded crane tracking",
    "year": "2018",
    "language": "en",
    "visibility": "public",
    "authors-TOTAL_FORMS": "1",
    "authors-INITIAL_FORMS": "0",
    "authors-0-name": "A. Author",
}
API = {**{k: v for k, v in PAGE.items() if not k.startswith("authors-")}, "year": 2018}

CASES = [
    pytest.param(
        {"year": 1800},
        "year",
        f"Give a year between 1900 and {latest_year()}.",
        id="year-before-1900",
    ),
    pytest.param(
        {"year": latest_year() + 1},
        "year",
        f"Give a year between 1900 and {latest_year()}.",
        id="year-after-next-year",
    ),
    pytest.param(
        {"doi": "crane tracking"},
        "doi",
        "A DOI looks like 10.1000/xyz123 (a web address from doi.org is fine too).",
        id="not-a-doi",
    ),
    pytest.param(
        {"species": ["WN_CRANE"] * (LIST_LIMITS["species"] + 1)},
        "species",
        too_many(["WN_CRANE"] * (LIST_LIMITS["species"] + 1), LIST_LIMITS["species"]),
        id="too-many-species",
    ),
]


@pytest.mark.parametrize(("values", "field", "message"), CASES)
def test_page_and_api_agree(client, researcher_a, values, field, message):
    client.force_login(researcher_a)
    page = client.post(reverse("publications:create"), {**PAGE, **values})
    assert page.status_code == 200
    api = client.post(
        "/api/v1/publications/", json.dumps({**API, **values}), content_type="application/json"
    )
    assert api.status_code == 400, api.content
    assert page.context["form"].errors[field] == api.json()[field] == [message]
    assert not Publication.objects.exists()


def test_a_known_doi_is_one_check_with_one_message(client, secretariat, researcher_a):
    services.publication_create(
        actor=secretariat, type="report", title="Cranes", year=2018, language="en", doi="10.1/c"
    )
    client.force_login(researcher_a)
    page = client.post(reverse("publications:create"), {**PAGE, "doi": "doi:10.1/C"})
    api = client.post(
        "/api/v1/publications/",
        json.dumps({**API, "doi": "https://doi.org/10.1/C"}),
        content_type="application/json",
    )
    assert api.status_code == 409
    assert page.context["form"].errors["doi"] == [api.json()["detail"]]
    assert [p.title for p in page.context["form"].duplicates] == ["Cranes"]
    assert api.json()["duplicates"] == [
        {"id": Publication.objects.get().pk, "title": "Cranes", "year": 2018, "doi": "10.1/c"}
    ]


def test_too_many_authors_are_refused_before_they_are_read(client, researcher_a):
    client.force_login(researcher_a)
    authors = [{"name": f"Author {n}"} for n in range(LIST_LIMITS["authors"] + 1)]
    response = client.post(
        "/api/v1/publications/",
        json.dumps({**API, "authors": authors}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "authors" in response.json()
    assert not Publication.objects.exists()


def test_returning_without_a_comment_is_refused_alike(client, researcher_a, focal_point_a):
    publication = services.publication_create(
        actor=researcher_a, type="report", title="Tiger corridors", year=2024, language="en"
    )
    client.force_login(focal_point_a)
    page = client.post(
        reverse("publications:review", args=[publication.pk]), {"decision": "return"}
    )
    api = client.post(
        f"/api/v1/publications/{publication.pk}/review/",
        json.dumps({"decision": "return"}),
        content_type="application/json",
    )
    assert page.status_code == api.status_code == 400
    assert page.context["review_form"].errors["comment"] == api.json()["comment"]
    assert api.json()["comment"] == ["Say what should change before the publication is returned."]


def test_a_word_where_a_target_number_belongs_is_400(client, researcher_a):
    client.force_login(researcher_a)
    response = client.post(
        "/api/v1/publications/",
        json.dumps({**API, "targets": ["three"]}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"targets": ["Invalid value."]}
