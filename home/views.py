"""The home page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from home import selectors
from species import selectors as species_selectors


def home(request: HttpRequest) -> HttpResponse:
    """Show the flagship species, the member States, the sites and what the hub holds."""
    sites = list(species_selectors.site_list())
    context = {
        "flagship_species": list(species_selectors.species_list().filter(is_flagship=True)),
        "countries": list(species_selectors.country_list()),
        "sites": sites,
        "map_sites": species_selectors.map_sites(sites),
    }
    context.update(selectors.home_highlights(user=request.user))
    return render(request, "home/home.html", context)
