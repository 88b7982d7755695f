"""The map page and the occurrence API: filters, legend, coordinates only as the policy allows."""

import json

import pytest
from django.urls import reverse

from tests.factories import DatasetFactory
from tests.maps.conftest import (
    CATS,
    LEOPARD_LAT,
    LEOPARD_LON,
    TIGER_LAT,
    TIGER_LON,
    processed_dataset,
)

pytestmark = pytest.mark.django_db

TIGER_NOTE = (
    "Locations of Amur tiger are shown on a 0.1° grid because you may not download the raw data."
)
EXACT = [TIGER_LAT, TIGER_LON, LEOPARD_LAT, LEOPARD_LON]


def _payload(response) -> dict:
    content = response.content.decode()
    start = content.index('<script id="map-data" type="application/json">')
    text = content[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(text)


def _points(response) -> list[list]:
    return _payload(response)["points"]


def test_it_renders_for_a_visitor_with_sites_and_a_legend(client):
    response = client.get(reverse("maps:map"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="site-map map-large"' in content
    assert "leaflet.markercluster.js" in content
    assert "Izumi" in content  # the list of sites works without tiles or JavaScript
    assert len(_payload(response)["sites"]) == 25
    assert "No occurrence records have been published yet." in content


def test_the_top_bar_links_to_the_map(client):
    content = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("maps:map")}"' in content


def test_a_visitor_gets_the_restricted_survey_only_on_the_grid(client, cats):
    response = client.get(reverse("maps:map"))
    content = response.content.decode()
    for value in EXACT:
        assert value not in content, f"exact coordinate {value} leaked into the map page"
    assert TIGER_NOTE in content
    assert "Locations of Amur leopard are shown on a 0.1° grid" in content
    points = _points(response)
    assert sorted((p[0], p[1]) for p in points) == [(43.1, 131.5), (43.2, 131.4)]
    assert all(p[4] == 1 for p in points)
    [extent] = _payload(response)["extents"]
    assert extent["generalized"] is True
    assert extent["bbox"] == [131.35, 43.05, 131.55, 43.25]

    api = client.get("/api/v1/occurrences/").content.decode()
    for value in EXACT:
        assert value not in api, f"exact coordinate {value} leaked into the API"


def test_an_outsider_researcher_also_gets_the_grid(client, cats, researcher_b):
    client.force_login(researcher_b)
    content = client.get(reverse("maps:map")).content.decode()
    assert TIGER_NOTE in content
    assert TIGER_LAT not in content


def test_the_owner_focal_point_sees_exact_points_and_the_file_extent(client, cats, focal_point_a):
    client.force_login(focal_point_a)
    response = client.get(reverse("maps:map"))
    content = response.content.decode()
    for value in EXACT:
        assert value in content
    assert TIGER_NOTE not in content
    assert "Every point is drawn at its recorded coordinates." in content
    [extent] = _payload(response)["extents"]
    assert extent["generalized"] is False
    assert extent["bbox"] == [131.3876, 43.1234, 131.4567, 43.2101]


def test_a_draft_shows_nothing_even_to_its_uploader(client, researcher_a):
    processed_dataset(
        uploader=researcher_a,
        title="Draft survey",
        text=CATS,
        species=["TIGER_AMUR"],
        status="draft",
        published_at=None,
    )
    for user in (None, researcher_a):
        if user:
            client.force_login(user)
        response = client.get(reverse("maps:map"))
        assert _points(response) == []
        assert "Draft survey" not in response.content.decode()


def test_the_year_filter_keeps_the_records_of_that_year(client, cats, cranes):
    response = client.get(reverse("maps:map"), {"year": "2022"})
    labels = [p[2] for p in _points(response)]
    assert labels == ["Amur leopard · 2022-02-11"]
    assert '<option value="2022" selected>' in response.content.decode()
    titles = {e["title"] for e in _payload(response)["extents"]}
    assert titles == {"Restricted big-cat survey"}

    years = response.context["year_options"]
    assert years == [2024, 2023, 2022]

    api = client.get("/api/v1/occurrences/", {"year": "2024"}).json()
    assert [f["properties"]["eventDate"] for f in api["features"]] == ["2024-01-14"]
    assert client.get("/api/v1/occurrences/", {"year": "later"}).status_code == 400
    assert client.get("/api/v1/occurrences/", {"year": "²⁰²³"}).status_code == 400
    # The API reads every parameter strictly (neaspec_portal.params): a bad one is named.
    assert client.get("/api/v1/occurrences/", {"dataset": "²"}).status_code == 400


def test_the_species_filter_keeps_its_records_sites_and_datasets(client, cats, cranes):
    response = client.get(reverse("maps:map"), {"species": "HOODED_CRANE"})
    points = _points(response)
    assert [(p[0], p[1]) for p in points] == [(32.1234, 130.2712), (32.1301, 130.2655)]
    assert all(p[4] == 0 for p in points)  # public data: exact for everyone
    payload = _payload(response)
    assert {e["title"] for e in payload["extents"]} == {"Public crane counts"}
    site_names = {site["name"] for site in payload["sites"]}
    assert "Izumi Wintering Habitat of Cranes (Arasaki, Kagoshima)" in site_names
    assert not any("Tost" in name for name in site_names)
    content = response.content.decode()
    assert TIGER_NOTE not in content
    assert "Every point is drawn at its recorded coordinates." in content


def test_species_and_year_filters_combine(client, cats, cranes):
    response = client.get(reverse("maps:map"), {"species": "HOODED_CRANE", "year": "2022"})
    assert _points(response) == []
    content = response.content.decode()
    assert "No occurrence records match these filters." in content


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"species": "NO_SUCH_CAT"}, "No species has the code “NO_SUCH_CAT”"),
        ({"year": "abc"}, "“abc” is not a year"),
        ({"year": "99999999999999999999"}, "is not a year"),
        ({"year": "²⁰²³"}, "is not a year"),
        ({"species": "<script>x</script>", "year": "-1"}, "No species has the code"),
    ],
)
def test_unknown_filter_values_give_the_page_with_a_notice(client, cats, params, notice):
    response = client.get(reverse("maps:map"), params)
    assert response.status_code == 200
    content = response.content.decode()
    assert notice in content
    assert "<script>x</script>" not in content
    assert len(_points(response)) == 2  # the unknown filter is ignored, not applied


def test_a_year_without_records_gives_an_empty_map_not_an_error(client, cats):
    response = client.get(reverse("maps:map"), {"year": "1999"})
    assert response.status_code == 200
    assert _points(response) == []
    assert '<option value="1999" selected>' in response.content.decode()


def test_the_map_costs_a_fixed_number_of_queries(
    client, cats, cranes, researcher_a, django_assert_num_queries
):
    # Expect 9 queries for a visitor: species of the filter, sites, occurrences through
    # the policy (the datasets they may download, those exact records, the public form of
    # the others), the published datasets shown, their files' boxes, the boxes of the
    # public points of the others, and the years. None per site, dataset or point.
    with django_assert_num_queries(9):
        client.get(reverse("maps:map"))
    for number in range(3):
        processed_dataset(
            uploader=researcher_a,
            title=f"Another public survey {number}",
            text=CATS,
            species=["TIGER_AMUR"],
            access_level="public",
        )
    with django_assert_num_queries(9):
        response = client.get(reverse("maps:map"))
    assert len(_payload(response)["extents"]) == 5


def test_camera_stations_are_counted_not_drawn_and_get_no_extent(client, researcher_a):
    processed_dataset(
        uploader=researcher_a,
        title="Camera stations",
        text=(
            "deploymentID,latitude,longitude,deploymentStart,deploymentEnd\n"
            "d1,43.1277,131.5611,2023-01-01,2023-03-01\n"
        ),
        species=["TIGER_AMUR"],
    )
    response = client.get(reverse("maps:map"))
    content = response.content.decode()
    assert "43.1277" not in content and "131.5611" not in content
    assert "1 record is not drawn: camera stations" in content
    assert _payload(response)["extents"] == []
    assert 'Camera stations</a> <span class="text-body-secondary">(no location shown)' in content


def test_an_empty_tile_url_turns_the_tiles_off(client, settings):
    assert client.get(reverse("maps:map")).context["map_tile_url"].startswith("https://")
    settings.MAP_TILE_URL = ""
    content = client.get(reverse("maps:map")).content.decode()
    assert 'data-source="map-data" data-tiles=""' in content


def test_a_published_dataset_without_records_is_listed_unfiltered(client, researcher_a):
    DatasetFactory(uploader=researcher_a, title="Report-only survey", access_level="public")
    content = client.get(reverse("maps:map")).content.decode()
    listed = 'Report-only survey</a> <span class="text-body-secondary">(no location shown)'
    assert listed in content
    filtered = client.get(reverse("maps:map"), {"species": "TIGER_AMUR"}).content.decode()
    assert "Report-only survey" not in filtered
