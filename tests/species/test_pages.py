import pytest
from django.urls import reverse

PAGES = [
    ("home", []),
    ("species:species_list", []),
    ("species:species_detail", ["SNOW_LEOPARD"]),
    ("species:site_list", []),
    ("species:site_detail", ["JP_IZUMI"]),
    ("species:country_detail", ["MN"]),
    ("accounts:login", []),
    ("accounts:register", []),
    ("accounts:password_reset", []),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_it_answers_every_public_page_for_a_visitor(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    assert b"NEASPEC Knowledge Hub" in response.content


def test_the_home_page_shows_the_member_states_and_flagship_species(client):
    response = client.get(reverse("home"))
    content = response.content.decode()
    for name in ["Mongolia", "Republic of Korea", "Russian Federation", "Japan", "China"]:
        assert name in content
    for name in ["Amur tiger", "Snow leopard", "Black-faced spoonbill", "Hooded crane"]:
        assert name in content
    assert reverse("species:species_detail", args=["WN_CRANE"]) in content
    assert reverse("species:site_list") in content


def test_a_species_page_shows_names_iucn_and_sensitivity(client):
    content = client.get(reverse("species:species_detail", args=["TIGER_AMUR"])).content.decode()
    assert "Panthera tigris altaica" in content
    assert "东北虎" in content
    assert "Амурский тигр" in content
    assert "IUCN EN" in content
    assert "0.1°" in content
    assert "Land of the Leopard" in content


def test_a_site_page_shows_countries_types_species_and_coordinates(client):
    content = client.get(reverse("species:site_detail", args=["JP_IZUMI"])).content.decode()
    assert "Japan" in content
    assert "Ramsar site" in content
    assert "Hooded crane" in content
    assert "32.100" in content


def test_the_site_list_filters_by_country_and_species(client):
    response = client.get(
        reverse("species:site_list"), {"country": "MN", "species": "SNOW_LEOPARD"}
    )
    codes = {site.code for site in response.context["sites"]}
    assert codes == {"MN_ALTAI_TAVAN_BOGD", "MN_TOST", "RU_MN_CHIKHACHEV", "RU_MN_EASTERN_SAYAN"}


def test_the_site_list_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    # Expect 5 queries: sites, their countries, their species, and the country and
    # species filter options; none per site.
    with django_assert_num_queries(5):
        client.get(reverse("species:site_list"))


def test_an_unknown_species_or_page_gets_the_styled_404(client):
    response = client.get(reverse("species:species_detail", args=["NO_SUCH"]))
    assert response.status_code == 404
    assert b"Page not found" in response.content
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert b"Go to the home page" in response.content


def test_the_language_switcher_changes_the_page_language(client):
    response = client.post(reverse("set_language"), {"language": "ru", "next": "/species/"})
    assert response.status_code == 302
    content = client.get("/species/").content.decode()
    assert '<html lang="ru">' in content
    assert "Виды" in content


def test_species_and_site_pages_list_what_is_tagged_with_them(client, researcher_a):
    from species.models import Site, Species
    from tests.factories import DatasetFactory

    tiger = Species.objects.get(code="TIGER_AMUR")
    site = Site.objects.get(code="RU_LAND_OF_LEOPARD")
    shown = DatasetFactory(uploader=researcher_a, title="Tiger tracks shown")
    hidden = DatasetFactory(uploader=researcher_a, title="Tiger dens draft", status="draft")
    for dataset in (shown, hidden):
        dataset.species.add(tiger)
        dataset.sites.add(site)
    for url in (tiger.get_absolute_url(), site.get_absolute_url()):
        content = client.get(url).content.decode()
        assert "Tiger tracks shown" in content
        assert "Tiger dens draft" not in content
