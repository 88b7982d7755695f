"""Projects: curated by the secretariat (audited), shown through the policy, mapped in public
forms only, listed and filtered on the page and in the API within a query budget."""

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from access.models import AuditEvent
from people import services as people_services
from projects import services
from projects.models import Project
from publications import services as publication_services
from species.models import Country, Site, Species
from tests.factories import DatasetFactory
from tests.maps.conftest import CATS, TIGER_LAT, TIGER_LON, processed_dataset

EXACT = [TIGER_LAT, TIGER_LON]


def _project(actor, **fields) -> Project:
    values = {
        "slug": "amur-network",
        "title": "Amur tiger network",
        "start_date": date(2024, 1, 1),
    }
    return services.project_save(actor=actor, **{**values, **fields})


@pytest.fixture
def items(secretariat, researcher_a, researcher_b):
    """A project holding a published and a draft dataset, a published and a waiting
    publication, a public and a private profile."""
    published = DatasetFactory(uploader=researcher_a, title="Published survey")
    draft = DatasetFactory(uploader=researcher_a, title="Draft survey", status="draft")
    library = publication_services.publication_create(
        actor=secretariat, type="report", title="Network report", year=2024, language="en"
    )
    waiting = publication_services.publication_create(
        actor=researcher_a, type="report", title="Waiting report", year=2024, language="en"
    )
    people_services.profile_save(actor=researcher_a, display_name="Public Person", is_public=True)
    people_services.profile_save(actor=researcher_b, display_name="Private Person")
    project = _project(
        secretariat,
        countries=list(Country.objects.filter(code__in=["KR", "MN"])),
        people=[researcher_a, researcher_b],
        datasets=[published, draft],
        publications=[library, waiting],
        sites=list(Site.objects.filter(code="RU_LAND_OF_LEOPARD")),
        species=list(Species.objects.filter(code="TIGER_AMUR")),
    )
    return project


# --- Curation -----------------------------------------------------------------------------


def test_only_the_secretariat_curates_projects(researcher_a, focal_point_a):
    for actor in (researcher_a, focal_point_a):
        with pytest.raises(PermissionDenied):
            _project(actor)


def test_every_change_is_audited(secretariat):
    project = _project(secretariat)
    _project(secretariat, project=project, title="Renamed")
    actions = list(
        AuditEvent.objects.filter(object_type="projects.project", object_id=str(project.pk))
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == ["project.create", "project.update"]


def test_bad_periods_and_countries_are_refused(secretariat):
    with pytest.raises(ValidationError) as refused:
        _project(secretariat, end_date=date(2023, 1, 1))
    assert "end_date" in refused.value.error_dict
    outsider, _created = Country.objects.get_or_create(
        code="US", defaults={"name_en": "United States", "is_member_state": False}
    )
    with pytest.raises(ValidationError) as refused:
        _project(secretariat, countries=[outsider])
    assert "countries" in refused.value.error_dict


@pytest.mark.parametrize("who", ["visitor", "researcher_a", "focal_point_a"])
def test_the_editing_pages_are_404_to_all_but_the_secretariat(client, secretariat, who, request):
    _project(secretariat)
    if who != "visitor":
        client.force_login(request.getfixturevalue(who))
    for url in [reverse("projects:create"), reverse("projects:edit", args=["amur-network"])]:
        response = client.get(url)
        assert response.status_code == (302 if who == "visitor" else 404), url
        response = client.post(url, {"title": "Hijacked"})
        assert response.status_code == (302 if who == "visitor" else 404), url
    assert Project.objects.get().title == "Amur tiger network"


def test_the_secretariat_creates_and_edits_a_project_on_its_pages(client, secretariat):
    client.force_login(secretariat)
    form = {
        "title": "Migratory birds",
        "slug": "migratory-birds",
        "kind": "project",
        "start_date": "2022-01-01",
        "end_date": "2021-01-01",
        "countries": ["KR", "JP"],
    }
    response = client.post(reverse("projects:create"), form)
    assert response.status_code == 400
    assert b"The end is before the start." in response.content
    response = client.post(reverse("projects:create"), {**form, "end_date": "2026-12-31"})
    assert response.status_code == 302
    project = Project.objects.get(slug="migratory-birds")
    assert sorted(project.countries.values_list("code", flat=True)) == ["JP", "KR"]
    response = client.post(
        reverse("projects:edit", args=["migratory-birds"]), {**form, "end_date": "", "title": "X"}
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.title, project.end_date) == ("X", None)


# --- What a viewer sees -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["visitor", "researcher_b", "focal_point_b"])
def test_an_outsider_sees_only_published_items_and_public_people(client, items, who, request):
    if who != "visitor":
        client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("projects:detail", args=["amur-network"])).content.decode()
    assert "Published survey" in page and "Network report" in page and "Public Person" in page
    for hidden in ["Draft survey", "Waiting report", "Private Person"]:
        assert hidden not in page, hidden
    detail = client.get("/api/v1/projects/amur-network/").json()
    assert [row["title"] for row in detail["datasets"]] == ["Published survey"]
    assert [row["title"] for row in detail["publications"]] == ["Network report"]
    assert [row["title"] for row in detail["people"]] == ["Public Person"]


def test_the_owner_side_sees_its_draft_only_on_the_dataset_pages_not_the_project(
    client, items, focal_point_a
):
    # The project lists what the library and data lists list: published items only.
    client.force_login(focal_point_a)
    page = client.get(reverse("projects:detail", args=["amur-network"])).content.decode()
    assert "Draft survey" not in page
    assert "Published survey" in page


def test_a_missing_project_is_404_on_the_page_and_in_the_api(client):
    assert client.get(reverse("projects:detail", args=["nothing"])).status_code == 404
    assert client.get("/api/v1/projects/nothing/").status_code == 404


def test_the_map_draws_only_public_forms_for_outsiders(client, secretariat, researcher_a):
    cats = processed_dataset(
        uploader=researcher_a,
        title="Restricted big-cat survey",
        text=CATS,
        species=["TIGER_AMUR", "LEOPARD_AMUR"],
        access_level="restricted",
    )
    _project(secretariat, datasets=[cats], sites=list(Site.objects.filter(code="KR_CHEORWON")))
    response = client.get(reverse("projects:detail", args=["amur-network"]))
    content = response.content.decode()
    for value in EXACT:
        assert value not in content, f"exact coordinate {value} leaked into the project page"
    assert "shown on a 0.1° grid" in content
    start = content.index('id="project-map-data"')
    data = json.loads(content[content.index(">", start) + 1 : content.index("</script>", start)])
    assert sorted((p[0], p[1]) for p in data["points"]) == [(43.1, 131.5), (43.2, 131.4)]
    assert [extent["generalized"] for extent in data["extents"]] == [True]
    assert [site["name"] for site in data["sites"]] == [Site.objects.get(code="KR_CHEORWON").name]


def test_the_uploader_gets_the_exact_points(client, secretariat, researcher_a):
    cats = processed_dataset(
        uploader=researcher_a,
        title="Restricted big-cat survey",
        text=CATS,
        species=["TIGER_AMUR"],
        access_level="restricted",
    )
    _project(secretariat, datasets=[cats])
    client.force_login(researcher_a)  # the uploader downloads its own files
    content = client.get(reverse("projects:detail", args=["amur-network"])).content.decode()
    assert TIGER_LAT in content


# --- Lists, filters and budgets -----------------------------------------------------------


def test_the_list_filters_by_year_country_and_kind(client, secretariat):
    _project(
        secretariat,
        slug="old",
        title="Old project",
        start_date=date(2018, 1, 1),
        end_date=date(2020, 12, 31),
        countries=list(Country.objects.filter(code="JP")),
    )
    _project(
        secretariat,
        slug="network",
        title="Running network",
        kind="network",
        start_date=date(2024, 1, 1),
        countries=list(Country.objects.filter(code__in=["RU", "CN"])),
    )
    cases = {
        "?year=2019": ["old"],
        "?year=2025": ["network"],
        "?year=2021": [],
        "?country=RU": ["network"],
        "?country=jp": ["old"],
        "?kind=network": ["network"],
        "": ["network", "old"],
    }
    for query, slugs in cases.items():
        rows = client.get("/api/v1/projects/" + query).json()["results"]
        assert [row["slug"] for row in rows] == slugs, query
    page = client.get(reverse("projects:list") + "?year=2019").content.decode()
    assert "Old project" in page and "Running network" not in page


def test_bad_filters_are_a_400_in_the_api_and_ignored_on_the_page(client):
    response = client.get("/api/v1/projects/?year=twenty&kind=club")
    assert response.status_code == 400
    assert set(response.json()) >= {"year", "kind"}
    assert client.get(reverse("projects:list") + "?year=twenty").status_code == 200


@pytest.mark.parametrize("rows", [1, 6])
def test_the_list_costs_the_same_queries_for_any_number_of_rows(
    client, secretariat, rows, django_assert_num_queries
):
    for number in range(rows):
        _project(
            secretariat,
            slug=f"project-{number}",
            countries=list(Country.objects.filter(code__in=["KR", "MN"])),
        )
    # Expect 4 queries: the count, the projects, their countries, the member States of
    # the filter; none per project.
    with django_assert_num_queries(4):
        client.get(reverse("projects:list"))
    # Expect 3 queries: the count, the projects and their countries.
    with django_assert_num_queries(3):
        client.get("/api/v1/projects/")


def test_the_people_directory_filters_by_the_year_of_their_projects(client, items):
    assert [r["name"] for r in client.get("/api/v1/people/?year=2025").json()["results"]] == [
        "Public Person"
    ]
    assert client.get("/api/v1/people/?year=2020").json()["results"] == []


def test_a_profile_lists_its_projects(client, items, researcher_a):
    profile = researcher_a.public_profile
    page = client.get(reverse("people:detail", args=[profile.pk])).content.decode()
    assert "Amur tiger network" in page
