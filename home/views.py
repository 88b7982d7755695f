"""The home page, and each person's "My work" page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from access import policy
from home import selectors
from maps.selectors import map_sites
from neaspec_portal.typing import AuthenticatedRequest
from species import selectors as species_selectors


def home(request: HttpRequest) -> HttpResponse:
    """Show the flagship species, the member States, the sites and what the hub holds."""
    sites = list(species_selectors.site_list())
    context = {
        "flagship_species": list(species_selectors.species_list().filter(is_flagship=True)),
        "countries": list(species_selectors.country_list()),
        "sites": sites,
        "map_sites": map_sites(sites),
    }
    context.update(selectors.home_highlights(user=request.user))
    return render(request, "home/home.html", context)


@login_required
def my_work(request: AuthenticatedRequest) -> HttpResponse:
    """Show what the signed-in person has to do and has under way, a section per role."""
    context = selectors.my_work(user=request.user)
    context["is_verified_account"] = policy.is_verified(request.user)
    context["can_upload"] = policy.can_upload_publications(request.user)
    return render(request, "home/my_work.html", context)
