"""Species and site pages: their maps, the month chart, and fixed query counts."""

import json

import pytest
from django.urls import reverse

from species.models import Site
from tests.maps.conftest import CATS, TIGER_LAT, TIGER_LON, processed_dataset

pytestmark = pytest.mark.django_db

TIGER_URL = reverse("species:species_detail", args=["TIGER_AMUR"])


def _map_data(response) -> dict:
    content = response.content.decode()
    start = content.index('<script id="map-sites" type="application/json">')
    return json.loads(content[start:].split(">", 1)[1].split("</script>", 1)[0])


def _month(response, number: int) -> int:
    return response.context["by_month"]["months"][number - 1]["records"]


def test_a_species_map_shows_its_sites_and_generalized_points_to_a_visitor(client, cats):
    response = client.get(TIGER_URL)
    content = response.content.decode()
    assert TIGER_LAT not in content and TIGER_LON not in content
    data = _map_data(response)
    assert [p[:2] for p in data["points"]] == [[43.2, 131.4]]
    assert any(site["name"].startswith("Land of the Leopard") for site in data["sites"])
    assert "Locations of Amur tiger are shown on a 0.1° grid" in content
    assert "Not migratory" in content


def test_the_owner_focal_point_sees_the_exact_point(client, cats, focal_point_a):
    client.force_login(focal_point_a)
    response = client.get(TIGER_URL)
    assert [p[:2] for p in _map_data(response)["points"]] == [[43.2101, 131.3876]]
    assert "shown on a 0.1° grid" not in response.content.decode()


def test_records_by_month_count_only_what_the_user_may_see(client, cats, cranes, researcher_a):
    processed_dataset(
        uploader=researcher_a,
        title="Unpublished tigers",
        text=CATS,
        species=["TIGER_AMUR"],
        status="draft",
        published_at=None,
    )
    response = client.get(TIGER_URL)
    assert _month(response, 3) == 1  # the draft's March tiger is not counted
    assert response.context["by_month"]["dated"] == 1
    content = response.content.decode()
    assert "March: 1 record" in content
    assert "January: 0 records" in content

    cranes_page = client.get(reverse("species:species_detail", args=["HOODED_CRANE"]))
    assert _month(cranes_page, 12) == 1 and _month(cranes_page, 1) == 1
    assert "Expected at Izumi (Japan) from mid-October to March" in cranes_page.content.decode()


def test_a_species_without_records_shows_an_empty_chart(client):
    response = client.get(reverse("species:species_detail", args=["BF_SPOONBILL"]))
    assert response.status_code == 200
    assert response.context["by_month"]["dated"] == 0
    assert "0 dated records" in response.content.decode()


def test_the_species_page_costs_a_fixed_number_of_queries(
    client, cats, researcher_a, django_assert_num_queries
):
    # Expect 9 queries: the species, its sites and their countries; occurrences for the
    # map through the policy (the datasets the user may download, then the public form of
    # the others: no exact records here) and the month counts; tagged publications, datasets
    # (with their owner countries joined) and events. None per site, point or record.
    with django_assert_num_queries(9):
        client.get(TIGER_URL)
    for number in range(3):
        dataset = processed_dataset(
            uploader=researcher_a,
            title=f"More tigers {number}",
            text=CATS,
            species=["TIGER_AMUR"],
            access_level="public",
        )
        dataset.sites.add(*dataset.species.get().sites.all())
    with django_assert_num_queries(10):  # now public datasets: their exact records too
        response = client.get(TIGER_URL)
    assert len(_map_data(response)["points"]) == 4


def test_the_site_page_draws_its_location_with_constant_queries(
    client, cats, researcher_a, django_assert_num_queries
):
    url = reverse("species:site_detail", args=["JP_IZUMI"])
    # Expect 6 queries: the site, its countries and its species; tagged publications,
    # datasets and events. The map needs none: the site's point is on its row.
    with django_assert_num_queries(6):
        client.get(url)
    for number in range(3):
        dataset = processed_dataset(
            uploader=researcher_a,
            title=f"Izumi counts {number}",
            text=CATS,
            species=["HOODED_CRANE"],
            access_level="public",
        )
        dataset.sites.add(Site.objects.get(code="JP_IZUMI"))
    with django_assert_num_queries(6):
        response = client.get(url)
    assert "Izumi counts 2" in response.content.decode()
    [site] = _map_data(response)
    assert (site["lat"], site["lon"]) == (32.1, 130.267)
    assert 'class="site-map"' in response.content.decode()
    assert "js/map.js" in response.content.decode()
