from django.core.management import call_command

from species.models import Country, KmgbfTarget, Site, Species, Theme
from species.services import reference_data_load


def test_it_loads_the_reference_data_once_however_often_it_runs(db):
    first = reference_data_load()
    call_command("load_reference", verbosity=0)
    second = reference_data_load()

    assert (first.species, first.sites, first.targets) == (6, 25, 23)
    assert first == second
    assert Country.objects.count() == 6
    assert Species.objects.count() == 6
    assert Site.objects.count() == 25
    assert KmgbfTarget.objects.count() == 23
    assert Theme.objects.filter(code="avian-influenza").exists()


def test_it_updates_rows_in_place_on_reload(db):
    Species.objects.filter(code="TIGER_AMUR").update(iucn_category="LC", name_ru="")
    reference_data_load()
    tiger = Species.objects.get(code="TIGER_AMUR")
    assert tiger.iucn_category == "EN"
    assert tiger.name_ru == "Амурский тигр"


def test_it_links_transboundary_sites_to_every_country(db):
    dauria = Site.objects.get(code="RU_MN_CN_DAURIA")
    assert sorted(dauria.countries.values_list("code", flat=True)) == ["CN", "MN", "RU"]
    assert set(dauria.species.values_list("code", flat=True)) >= {"WN_CRANE"}


def test_it_gives_big_cats_the_high_sensitivity_grid(db):
    tiger = Species.objects.get(code="TIGER_AMUR")
    crane = Species.objects.get(code="HOODED_CRANE")
    assert str(tiger.public_grid) == "0.1"
    assert str(crane.public_grid) == "0.01"


def test_it_names_species_in_the_active_language_with_english_fallback(db):
    from django.utils import translation

    leopard = Species.objects.get(code="LEOPARD_AMUR")
    with translation.override("ja"):
        assert leopard.name == "アムールヒョウ"
    leopard.name_ko = ""
    with translation.override("ko"):
        assert leopard.name == "Amur leopard"
