"""The map page: sites, dataset extents and occurrence points, filtered by species and year."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from maps import selectors
from neaspec_portal import params

#: The map's filters; a value that is not a year or a species code is named and ignored.
MAP_FILTERS = (params.code("species"), params.year())


def _shown(value: str) -> str:
    """Return a value the reader gave, printable and short, to name it in a notice."""
    return "".join(char if char.isprintable() else "\ufffd" for char in value.strip()[:40])


def map_page(request: HttpRequest) -> HttpResponse:
    """Draw the map for the current user; unknown filter values are named and ignored."""
    values = params.read(request.GET, MAP_FILTERS, strict=False)
    species_code, year = values["species"], values["year"]
    notices = []
    if "year" in values.ignored:
        notices.append(
            _("“%(value)s” is not a year; showing every year.")
            % {"value": _shown(request.GET.get("year", ""))}
        )
    if "species" in values.ignored:
        species_code = _shown(request.GET.get("species", ""))

    species_options = selectors.species_choices()
    species = next((item for item in species_options if item.code == species_code), None)
    if species_code and species is None:
        notices.append(
            _("No species has the code “%(value)s”; showing every species.")
            % {"value": species_code}
        )
    data = selectors.map_data(
        user=request.user, all_species=species_options, species=species, year=year
    )
    years = selectors.year_choices(user=request.user)
    if year is not None and year not in years:
        years = sorted([*years, year], reverse=True)
    context = {
        **data,
        "notices": notices,
        "species_options": species_options,
        "selected_species": species,
        "year_options": years,
        "selected_year": year,
        "filters_active": species is not None or year is not None,
    }
    return render(request, "maps/map.html", context)
