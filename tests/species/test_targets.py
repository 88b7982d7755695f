"""KMGBF target pages and API: figures equal the items the viewer may see."""

from datetime import date

import pytest
from django.utils import timezone

from projects import services as project_services
from publications.models import Event, Publication
from species.models import Country, KmgbfTarget, Theme
from tests.factories import DatasetFactory


def _publication(uploader, *, status="published", year=2024, countries=("KR",), targets=(4,)):
    publication = Publication.objects.create(
        type="report",
        title=f"Report {status} {year}",
        year=year,
        language="en",
        uploader=uploader,
        owner_country_id=uploader.country_id,
        status=status,
        published_at=timezone.now() if status == "published" else None,
    )
    publication.countries.set(countries)
    publication.targets.set(targets)
    return publication


def _dataset(uploader, *, status="published", targets=(4,), co_owners=()):
    dataset = DatasetFactory(
        uploader=uploader,
        status=status,
        published_at=timezone.now() if status == "published" else None,
        temporal_start=date(2023, 1, 1),
        temporal_end=date(2024, 6, 30),
    )
    dataset.targets.set(targets)
    dataset.co_owner_countries.set(co_owners)
    return dataset


def _event(
    creator, *, kind="workshop", targets=(4,), countries=("JP",), year=2024, status="published"
):
    event = Event.objects.create(
        title=f"{kind} {year}",
        type=kind,
        start_date=date(year, 5, 1),
        end_date=date(year, 5, 2),
        city="Incheon",
        created_by=creator,
        status=status,
    )
    event.targets.set(targets)
    event.countries.set(countries)
    return event


@pytest.fixture
def holdings(researcher_a, researcher_b, secretariat):
    """Published and unpublished items of Korea (researcher A) tagged with Target 4."""
    return {
        "publication": _publication(researcher_a),
        "draft_publication": _publication(researcher_a, status="submitted", countries=("KR",)),
        "dataset": _dataset(researcher_a, co_owners=("MN",)),
        "draft_dataset": _dataset(researcher_a, status="submitted"),
        "other_target": _dataset(researcher_b, targets=(20,)),
        "workshop": _event(secretariat),
        "training": _event(secretariat, kind="training", countries=("KR", "RU")),
    }


def _api(client, path, user=None):
    if user is not None:
        client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, response.content
    return response.json()


def test_it_counts_for_a_visitor_only_the_published_items(client, holdings):
    body = _api(client, "/api/v1/targets/4/")

    assert body["counts"] == {
        "publications": 1,
        "datasets": 1,
        "events": 2,
        "trainings": 1,
        "projects": 0,
    }
    # Korea (publication, dataset, training), Mongolia (co-owner), Japan and Russia (events).
    assert sorted(body["countries"]) == ["JP", "KR", "MN", "RU"]


def test_it_counts_for_the_focal_point_their_countrys_submissions_too(
    client, holdings, focal_point_a
):
    body = _api(client, "/api/v1/targets/4/", focal_point_a)

    assert body["counts"] == {
        "publications": 2,
        "datasets": 2,
        "events": 2,
        "trainings": 1,
        "projects": 0,
    }


def test_it_counts_for_an_outsider_what_a_visitor_counts(client, holdings, focal_point_b):
    """Mongolia's focal point does not count Korea's submissions (nor may they see them)."""
    visitor = _api(client, "/api/v1/targets/")
    outsider = _api(client, "/api/v1/targets/", focal_point_b)

    assert visitor == outsider
    target_4 = next(row for row in visitor if row["number"] == 4)
    assert target_4["counts"] == {
        "publications": 1,
        "datasets": 1,
        "events": 2,
        "trainings": 1,
        "projects": 0,
    }


def test_the_page_shows_the_same_figures_as_visible_items(client, holdings, focal_point_a):
    response = client.get("/targets/4/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 publication" in page and "2 events" in page and "1 training" in page
    assert holdings["draft_publication"].title not in page
    assert holdings["draft_dataset"].get_absolute_url() not in page

    client.force_login(focal_point_a)
    page = client.get("/targets/4/").content.decode()
    assert "2 publications" in page and "2 datasets" in page
    assert holdings["draft_dataset"].get_absolute_url() in page


def test_the_index_lists_the_23_targets_with_4_and_20_featured_first(client, holdings):
    response = client.get("/targets/")
    page = response.content.decode()
    assert response.status_code == 200
    featured = page.index('id="featured-4"'), page.index('id="featured-20"')
    assert max(featured) < page.index("All 23 targets")
    for target in KmgbfTarget.objects.all():
        assert target.get_absolute_url() in page


def test_a_new_training_moves_the_count(client, holdings, secretariat):
    before = _api(client, "/api/v1/targets/20/")["counts"]
    _event(secretariat, kind="training", targets=(20,))
    after = _api(client, "/api/v1/targets/20/")["counts"]
    assert after["trainings"] == before["trainings"] + 1
    assert after["events"] == before["events"] + 1


def test_a_draft_event_counts_for_nobody(client, holdings, secretariat):
    visitor_before = _api(client, "/api/v1/targets/20/")["counts"]
    before = _api(client, "/api/v1/targets/20/", secretariat)["counts"]
    _event(secretariat, kind="training", targets=(20,), status="draft")
    assert _api(client, "/api/v1/targets/20/")["counts"] == before
    client.logout()
    assert _api(client, "/api/v1/targets/20/")["counts"] == visitor_before


def test_it_filters_by_year_and_country(client, holdings, researcher_a, secretariat):
    _publication(researcher_a, year=2019, countries=("CN",))
    _event(secretariat, year=2019, countries=("CN",))

    body = _api(client, "/api/v1/targets/4/?year=2019")
    assert body["counts"] == {
        "publications": 1,
        "datasets": 0,
        "events": 1,
        "trainings": 0,
        "projects": 0,
    }
    assert body["countries"] == ["CN"]
    body = _api(client, "/api/v1/targets/4/?country=RU")
    assert body["counts"] == {
        "publications": 0,
        "datasets": 0,
        "events": 1,
        "trainings": 1,
        "projects": 0,
    }
    rows = _api(client, "/api/v1/targets/?country=MN")
    assert next(row for row in rows if row["number"] == 4)["counts"]["datasets"] == 1


@pytest.mark.parametrize("query", ["year=abc", "year=1200", "country=Korea", "year=2024&year=2023"])
def test_bad_filters_are_a_400_not_a_500(client, query):
    assert client.get(f"/api/v1/targets/?{query}").status_code == 400
    assert client.get(f"/api/v1/targets/4/?{query}").status_code == 400
    # Pages ignore a bad filter rather than refuse.
    assert client.get(f"/targets/4/?{query}").status_code == 200


@pytest.mark.parametrize("code", ["0", "24", "abc", "4x", "999999999999"])
def test_an_unknown_target_is_a_404(client, code):
    assert client.get(f"/api/v1/targets/{code}/").status_code == 404
    assert client.get(f"/targets/{code}/").status_code == 404


def test_the_list_costs_the_same_queries_for_any_number_of_items(
    client, holdings, researcher_a, django_assert_num_queries
):
    # Expect 5 queries: the targets, then one count per kind (publications, datasets,
    # events with their trainings, projects). None per target or per item.
    with django_assert_num_queries(5):
        _api(client, "/api/v1/targets/")
    for _ in range(5):
        _publication(researcher_a, targets=(1, 2, 3))
    with django_assert_num_queries(5):
        _api(client, "/api/v1/targets/")


def test_projects_count_toward_their_targets_in_their_period_and_countries(
    client, holdings, secretariat
):
    project = project_services.project_save(
        actor=secretariat,
        slug="tiger-network",
        title="Transboundary Amur tiger network",
        start_date=date(2024, 1, 1),
        end_date=date(2026, 12, 31),
        countries=list(Country.objects.filter(code__in=["CN", "RU"])),
        targets=list(KmgbfTarget.objects.filter(number=4)),
    )
    assert _api(client, "/api/v1/targets/4/")["counts"]["projects"] == 1
    assert _api(client, "/api/v1/targets/4/?country=RU")["counts"]["projects"] == 1
    assert _api(client, "/api/v1/targets/4/?country=JP")["counts"]["projects"] == 0
    assert _api(client, "/api/v1/targets/4/?year=2023")["counts"]["projects"] == 0
    assert _api(client, "/api/v1/targets/20/")["counts"]["projects"] == 0
    page = client.get("/targets/4/").content.decode()
    assert project.get_absolute_url() in page
    listed = {row["number"]: row["counts"] for row in _api(client, "/api/v1/targets/")}
    assert listed[4]["projects"] == 1


def test_item_pages_link_their_targets(client, holdings):
    for item in (holdings["publication"], holdings["dataset"], holdings["workshop"]):
        page = client.get(item.get_absolute_url()).content.decode()
        assert 'href="/targets/4/"' in page, item


def test_the_api_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    assert "/api/v1/targets/" in schema["paths"]
    assert "/api/v1/targets/{code}/" in schema["paths"]
    names = {p["name"] for p in schema["paths"]["/api/v1/targets/"]["get"]["parameters"]}
    assert {"year", "country"} <= names


def test_lists_and_apis_filter_datasets_and_events_by_target_and_theme(
    client, holdings, secretariat
):
    capacity = Theme.objects.get(code="capacity-building")
    holdings["dataset"].themes.set([capacity])
    holdings["training"].themes.set([capacity])

    datasets = _api(client, "/api/v1/datasets/?target=4")["results"]
    assert [row["id"] for row in datasets] == [holdings["dataset"].pk]
    assert datasets[0]["targets"] == [4]
    assert datasets[0]["themes"] == ["capacity-building"]
    themed = _api(client, "/api/v1/datasets/?theme=capacity-building")["results"]
    assert [row["id"] for row in themed] == [holdings["dataset"].pk]
    page = client.get("/data/?target=20").content.decode()
    assert holdings["other_target"].get_absolute_url() in page
    assert holdings["dataset"].get_absolute_url() not in page

    events = _api(client, "/api/v1/events/?theme=capacity-building")["results"]
    assert [row["id"] for row in events] == [holdings["training"].pk]
    assert events[0]["targets"] == [4]
    assert client.get("/api/v1/events/?target=99").status_code == 400


def test_the_secretariat_tags_an_event_with_targets_and_themes_through_the_api(
    client, holdings, secretariat
):
    client.force_login(secretariat)
    event = holdings["workshop"]
    response = client.patch(
        f"/api/v1/events/{event.pk}/",
        {"targets": [20, 21], "themes": ["capacity-building"]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert sorted(event.targets.values_list("number", flat=True)) == [20, 21]
    response = client.patch(
        f"/api/v1/events/{event.pk}/", {"targets": [99]}, content_type="application/json"
    )
    assert response.status_code == 400
