"""Public pages of the programme's figures: capacity building and participation.

Events are public records and only sums are shown (``programme.selectors``), so anyone may
read these pages; the secretariat's reports (``reports``) chart and export the same figures.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from access import policy
from neaspec_portal import params
from programme import selectors
from species.selectors import country_list


def _filters(request: HttpRequest) -> tuple[selectors.FigureFilters, dict]:
    values = params.read(request.GET, selectors.FIGURE_FILTERS, strict=False)
    filters = selectors.FigureFilters.from_values(values)
    context = {
        "filters": filters,
        "filters_active": filters != selectors.FigureFilters(),
        "ignored": values.ignored,
        "countries": country_list(),
        "can_report": policy.is_secretariat(request.user),
        "query_string": params.encode(selectors.FIGURE_FILTERS, filters.as_params()).urlencode(),
    }
    return filters, context


def capacity(request: HttpRequest) -> HttpResponse:
    filters, context = _filters(request)
    figures = selectors.capacity_figures(filters=filters, year=timezone.now().year)
    return render(request, "programme/capacity.html", {**context, **figures})


def participation(request: HttpRequest) -> HttpResponse:
    filters, context = _filters(request)
    figures = selectors.participation_figures(filters=filters)
    return render(request, "programme/participation.html", {**context, **figures})
