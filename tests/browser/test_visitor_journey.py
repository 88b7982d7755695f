import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_switches_language_and_opens_a_species(page, live_server, screenshot):
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "NEASPEC Knowledge Hub"
    assert page.locator(".species-card").count() == 6
    screenshot(page, "home-en")

    with page.expect_navigation():
        page.select_option("#language-select", "ja")
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.get_by_role("link", name="アムールヒョウ").is_visible()

    page.get_by_role("link", name="アムールヒョウ").click()
    page.wait_for_url("**/species/LEOPARD_AMUR/")
    assert "Panthera pardus orientalis" in page.content()
    assert page.locator(".site-map.leaflet-container").count() == 1
    path = screenshot(page, "species-leopard-ja")
    assert path.stat().st_size > 10_000


def test_the_home_page_works_on_a_phone(page, live_server, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    toggler = page.locator(".navbar-toggler")
    assert toggler.is_visible()
    toggler.click()
    page.get_by_role("link", name="Sites", exact=True).wait_for(state="visible")
    screenshot(page, "home-phone")
    page.get_by_role("link", name="Sites", exact=True).click()
    page.wait_for_url("**/sites/")
    assert page.locator("table tbody tr").count() == 25
