"""Pages of reference data: species, sites, member States and KMGBF targets (the home page
is ``home``)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from maps.selectors import map_sites
from neaspec_portal import params
from species import selectors
from species.models import Country, KmgbfTarget, Site, Species


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
        "map_sites": {"sites": map_sites(species.sites.all()), "points": points},
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
        "map_sites": map_sites(sites),
    }
    return render(request, "species/site_list.html", context)


def site_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        site = selectors.site_get(code)
    except Site.DoesNotExist:
        raise Http404("No such site.") from None
    context = {"site": site, "map_sites": map_sites([site])}
    context.update(selectors.tagged_content(user=request.user, site=site))
    return render(request, "species/site_detail.html", context)


def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        country = selectors.country_list().get(code=code.upper())
    except Country.DoesNotExist:
        raise Http404("No such member State.") from None
    sites = list(selectors.site_list(country=country.code))
    context = {"country": country, "sites": sites, "map_sites": map_sites(sites)}
    context.update(selectors.tagged_content(user=request.user, country=country))
    return render(request, "species/country_detail.html", context)


def target_index(request: HttpRequest) -> HttpResponse:
    """List the 23 KMGBF targets, 4 and 20 first, with what the hub holds toward each."""
    values = params.read(request.GET, selectors.TARGET_FILTERS, strict=False)
    targets = selectors.target_list(
        user=request.user, year=values["year"], country=values["country"]
    )
    context = {
        "featured": [target for target in targets if target.is_featured],
        "targets": targets,
        "countries": selectors.country_list(),
        "selected_year": values["year"],
        "selected_country": values["country"],
    }
    return render(request, "species/target_list.html", context)


def target_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Show one target in the active language and what ``request.user`` may see toward it."""
    try:
        target = selectors.target_get(code)
    except KmgbfTarget.DoesNotExist:
        raise Http404("No such KMGBF target.") from None
    values = params.read(request.GET, selectors.TARGET_FILTERS, strict=False)
    context = {"target": target, "selected_year": values["year"]}
    context["selected_country"] = values["country"]
    context["countries"] = selectors.country_list()
    context.update(
        selectors.target_detail(
            user=request.user, target=target, year=values["year"], country=values["country"]
        )
    )
    return render(request, "species/target_detail.html", context)
