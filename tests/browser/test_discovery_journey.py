"""A visitor searches in Korean, narrows by species, opens a result, then reads the map."""

import io
import re

import pytest
from django.core.management import call_command

from datasets.models import DataFile, FileState
from datasets.processing import pipeline

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIGER_NOTE = (
    "Locations of Amur tiger are shown on a 0.1° grid because you may not download the raw data."
)


def _seed_demo_with_occurrences():
    call_command("seed_demo", force=True, stdout=io.StringIO())
    # The demo files wait for a worker; process them here so that the points exist.
    for pk in DataFile.objects.filter(dataset__isnull=False).values_list("pk", flat=True):
        pipeline.process(pk)
    states = set(DataFile.objects.filter(dataset__isnull=False).values_list("state", flat=True))
    assert states == {FileState.READY}, states


def test_a_visitor_finds_tiger_data_in_korean_and_sees_generalized_points(
    page, live_server, screenshot
):
    _seed_demo_with_occurrences()

    page.goto(live_server.url + "/")
    page.fill("#nav-search", "호랑이")
    with page.expect_navigation():
        page.press("#nav-search", "Enter")
    results = page.locator("article.search-result")
    assert results.count() >= 1
    screenshot(page, "discovery-search-ko")

    species_facet = page.locator("#facets a", has_text="Amur tiger")
    with page.expect_navigation():
        species_facet.first.click()
    assert "species=TIGER_AMUR" in page.url
    assert page.locator("#facets a[aria-current=true]", has_text="Amur tiger").count() == 1
    titles = page.locator("article.search-result h2 a").all_inner_texts()
    assert any("Land of the Leopard" in title for title in titles), titles

    with page.expect_navigation():
        page.locator("article.search-result h2 a", has_text="camera traps").first.click()
    assert re.search(r"/data/\d+/$", page.url)
    assert "Земли леопарда" in page.locator("h1").inner_text()

    with page.expect_navigation():
        page.get_by_role("link", name="Map", exact=True).click()
    page.wait_for_url("**/map/")
    assert page.locator("#main-map.leaflet-container").count() == 1
    legend = page.locator(".map-generalization")
    assert TIGER_NOTE in legend.inner_text()
    assert "Locations of Snow leopard are shown on a 0.1° grid" in legend.inner_text()
    # Sites are drawn as circles, occurrence points as circles or clusters, extents as boxes.
    page.locator("#main-map path.map-site").first.wait_for()
    assert page.locator("#main-map path.map-site").count() == 25
    points = page.locator("#main-map .marker-cluster, #main-map path.map-point")
    assert points.count() >= 1
    assert page.locator("#main-map path.map-extent").count() >= 1
    # Tiles cannot load here (no network): the sites are still listed.
    assert page.locator(".map-site-list li").count() == 25
    screenshot(page, "discovery-map-desktop")

    with page.expect_navigation():
        page.select_option("#map-species", "TIGER_AMUR")
        page.click(".map-filters button[type=submit]")
    assert "species=TIGER_AMUR" in page.url
    page.locator("#main-map .marker-cluster, #main-map path.map-point").first.wait_for()
    assert "Snow leopard" not in page.locator(".map-generalization").inner_text()
    assert TIGER_NOTE in page.locator(".map-generalization").inner_text()
    html = page.content()
    assert "43.2101" not in html and "131.3876" not in html  # the demo tiger's exact point

    page.goto(live_server.url + "/species/TIGER_AMUR/")
    page.locator("#species-map .marker-cluster, #species-map path.map-point").first.wait_for()
    screenshot(page, "discovery-species-desktop")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/map/")
    page.locator("#main-map path.map-site").first.wait_for()
    box = page.locator("#main-map").bounding_box()
    assert box["width"] <= 390 and box["height"] >= 300
    screenshot(page, "discovery-map-phone")

    page.goto(live_server.url + "/species/TIGER_AMUR/")
    page.locator("#species-map .marker-cluster, #species-map path.map-point").first.wait_for()
    assert page.locator("table.month-chart td").count() == 12
    screenshot(page, "discovery-species-phone")
