"""The search page and autocomplete."""

from dataclasses import asdict

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from neaspec_portal import params
from search import selectors
from search.facets import facet_choices

AUTOCOMPLETE_QUERY = params.text("q", max_length=selectors.MAX_QUERY_LENGTH, shorten=True)


def search_page(request: HttpRequest) -> HttpResponse:
    """Search as the API does; invalid filter values are ignored (``params.read``)."""
    values = params.read(request.GET, selectors.SEARCH_QUERY, strict=False)
    query, sort, page = values["q"], values["sort"], values["page"]
    filters = selectors.SearchFilters.from_params(request.GET)
    cross_language = values["cross_language"]
    results = selectors.search(
        user=request.user,
        query=query,
        filters=filters,
        sort=sort,
        page=page,
        cross_language=cross_language,
    )
    # The language of each hit, in its own name (zh-hans is the interface's zh).
    names = {code.split("-")[0]: name for code, name in settings.LANGUAGES}
    for document in results.documents:
        document.language_name = names.get(document.language, "")
    last_page = max((results.total - 1) // selectors.PAGE_SIZE + 1, 1)
    message = ""
    if len(query) == selectors.MAX_QUERY_LENGTH < len(request.GET.get("q", "")):
        message = _("Your query was shortened to its first %(n)d characters.") % {
            "n": selectors.MAX_QUERY_LENGTH
        }
    # Links and the form carry the parameters as read, never the raw query string.
    kept = params.encode(selectors.SEARCH_FILTERS, asdict(filters))
    hidden = list(kept.items())
    if query:
        kept["q"] = query
    if sort != "relevance":
        kept["sort"] = sort
    if not cross_language:
        kept["cross_language"] = "0"
    context = {
        "query": results.query,
        "results": results,
        "facets": facet_choices(results.facets, kept),
        "hidden_filters": hidden,
        "page_query": kept.urlencode(),
        "sort": sort,
        "cross_language": cross_language,
        "page": page,
        "last_page": last_page,
        "has_previous": page > 1,
        "has_next": page < last_page,
        "past_the_end": page > last_page,
        "message": message,
        "filters_active": not filters.is_empty(),
    }
    return render(request, "search/search.html", context)


def autocomplete(request: HttpRequest) -> JsonResponse:
    """Return up to ten species, sites and titles starting with or containing ``q``."""
    query = params.read(request.GET, [AUTOCOMPLETE_QUERY], strict=False)["q"]
    return JsonResponse({"results": selectors.autocomplete(user=request.user, query=query)})
