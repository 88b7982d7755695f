"""The secretariat adds a project; a visitor opens it with its map and finds an expert."""

import pytest

from accounts.management.commands.seed_demo import seed_accounts
from accounts.models import User
from people.demo import seed_profiles
from species.models import Site
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretariat_adds_a_project_and_a_visitor_reads_it(page, live_server, screenshot):
    seed_accounts()
    seed_profiles()
    sign_in(page, live_server, "secretariat")
    page.goto(live_server.url + "/projects/")
    with page.expect_navigation():
        page.get_by_role("link", name="Add a project").click()
    page.fill("#id_title", "Amur tiger network")
    page.fill("#id_slug", "amur-tiger-network")
    page.fill("#id_start_date", "2024-09-01")
    page.check("input[name=countries][value=RU]")
    page.check("input[name=countries][value=CN]")
    sites = Site.objects.filter(code__in=["RU_LAND_OF_LEOPARD", "CN_NE_TIGER_LEOPARD_NP"])
    page.select_option("#id_sites", [str(site.pk) for site in sites])
    researchers = User.objects.filter(username__in=["researcher-ru", "researcher-mn"])
    page.select_option("#id_people", [str(user.pk) for user in researchers])
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Project saved.").is_visible()

    page.context.clear_cookies()
    for width, language in [(1366, "en"), (390, "ru")]:
        page.set_viewport_size({"width": width, "height": 900})
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        page.goto(live_server.url + "/projects/amur-tiger-network/")
        page.wait_for_selector("#project-map.leaflet-container")
        assert page.locator("#project-map path.map-site").count() == 2
        people = page.locator("#project-people + ul")
        assert people.get_by_text("Researcher RU").is_visible()
        assert people.get_by_text("Researcher MN").count() == 0  # a private profile
        screenshot(page, f"project-{language}-{width}")

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/people/?species=LEOPARD_AMUR")
    with page.expect_navigation():
        page.get_by_role("link", name="Researcher RU").click()
    assert page.get_by_role("link", name="Amur tiger network").is_visible()
    screenshot(page, "profile")
