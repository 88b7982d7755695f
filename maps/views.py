"""The map page: sites, dataset extents and occurrence points, filtered by species and year."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from maps import selectors

#: Years outside this range are not years of monitoring data: the filter ignores them.
YEAR_RANGE = range(1900, 2101)


def _year(value: str) -> int | None:
    value = value.strip()
    if value.isdecimal() and int(value) in YEAR_RANGE:
        return int(value)
    return None


def map_page(request: HttpRequest) -> HttpResponse:
    """Draw the map for the current user; unknown filter values are named and ignored."""
    species_code = request.GET.get("species", "").strip()[:40]
    year_text = request.GET.get("year", "").strip()[:10]
    year = _year(year_text)
    notices = []
    if year_text and year is None:
        notices.append(_("“%(value)s” is not a year; showing every year.") % {"value": year_text})

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
