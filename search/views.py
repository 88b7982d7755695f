"""The search page and autocomplete."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from search import selectors
from search.facets import facet_choices


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "1")
    return min(int(value), 10_000) if value.isdigit() and int(value) > 0 else 1


def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    filters = selectors.SearchFilters.from_params(request.GET)
    sort = "date" if request.GET.get("sort") == "date" else "relevance"
    page = _page_number(request)
    results = selectors.search(
        user=request.user, query=query, filters=filters, sort=sort, page=page
    )
    last_page = max((results.total - 1) // selectors.PAGE_SIZE + 1, 1)
    message = ""
    if len(query) > selectors.MAX_QUERY_LENGTH:
        message = _("Your query was shortened to its first %(n)d characters.") % {
            "n": selectors.MAX_QUERY_LENGTH
        }
    context = {
        "query": results.query,
        "results": results,
        "facets": facet_choices(results.facets, request.GET),
        "sort": sort,
        "page": page,
        "last_page": last_page,
        "has_previous": page > 1,
        "has_next": page < last_page,
        "past_the_end": page > last_page,
        "message": message,
        "filters_active": any(
            request.GET.get(name) for name in selectors.FILTER_PARAMS if name != "q"
        ),
    }
    return render(request, "search/search.html", context)


def autocomplete(request: HttpRequest) -> JsonResponse:
    """Return up to ten species, sites and titles starting with or containing ``q``."""
    return JsonResponse(
        {"results": selectors.autocomplete(user=request.user, query=request.GET.get("q", ""))}
    )
