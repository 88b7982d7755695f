"""Pages of reference data: species, sites and member States (the home page is ``home``)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from neaspec_portal import params
from species import selectors
from species.models import Country, Site, Species


def species_index(request: HttpRequest) -> HttpResponse:
    return render(request, "species/species_list.html", {"species": selectors.species_list()})


def species_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        species = selectors.species_get(code)
    except Species.DoesNotExist:
        raise Http404("No such species.") from None
    points, legend = selectors.species_occurrence_points(user=request.user, species=species)
    context = {
        "species": species,
        "map_sites": {"sites": selectors.map_sites(species.sites.all()), "points": points},
        "legend": legend,
        "by_month": selectors.records_by_month(user=request.user, species=species),
        "expected_season": selectors.expected_season(species),
    }
    context.update(selectors.tagged_content(user=request.user, species=species))
    return render(request, "species/species_detail.html", context)


def site_index(request: HttpRequest) -> HttpResponse:
    """List the sites; a country or species code that is not one is ignored."""
    values = params.read(request.GET, selectors.SITE_FILTERS, strict=False)
    country, species = values["country"] or None, values["species"] or None
    sites = list(selectors.site_list(country=country, species=species))
    context = {
        "sites": sites,
        "countries": selectors.country_list(),
        "species_options": selectors.species_list(),
        "selected_country": country,
        "selected_species": species,
        "map_sites": selectors.map_sites(sites),
    }
    return render(request, "species/site_list.html", context)


def site_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        site = selectors.site_get(code)
    except Site.DoesNotExist:
        raise Http404("No such site.") from None
    context = {"site": site, "map_sites": selectors.map_sites([site])}
    context.update(selectors.tagged_content(user=request.user, site=site))
    return render(request, "species/site_detail.html", context)


def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        country = selectors.country_list().get(code=code.upper())
    except Country.DoesNotExist:
        raise Http404("No such member State.") from None
    sites = list(selectors.site_list(country=country.code))
    context = {"country": country, "sites": sites, "map_sites": selectors.map_sites(sites)}
    context.update(selectors.tagged_content(user=request.user, country=country))
    return render(request, "species/country_detail.html", context)
