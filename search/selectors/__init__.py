"""Reads of search: ranked, policy-aware results with facet counts, and autocomplete.

- ``filters``: the parameters of a search and the filters that narrow it;
- ``tsquery``: the user's words as PostgreSQL's tsquery;
- ``statement``: the one statement of a search (candidates, ranking, page, total, facets);
- ``results``: ``search`` and ``matching_documents``, the reference it agrees with;
- ``suggestions``: autocomplete as the user types, and the page of each document.

Who finds what is decided by ``access.policy`` on the live rows, never by a document's
copies of its object's fields, which serve ranking, facets and indexes only.
"""

from search.selectors.filters import SEARCH_FILTERS, SEARCH_QUERY, SearchFilters
from search.selectors.results import SearchResults, matching_documents, search
from search.selectors.statement import COUNT_CAP, FACETS, PAGE_SIZE, search_statement
from search.selectors.suggestions import AUTOCOMPLETE_RECENT, autocomplete, document_url
from search.text import MAX_QUERY_LENGTH

__all__ = [
    "AUTOCOMPLETE_RECENT",
    "COUNT_CAP",
    "FACETS",
    "MAX_QUERY_LENGTH",
    "PAGE_SIZE",
    "SEARCH_FILTERS",
    "SEARCH_QUERY",
    "SearchFilters",
    "SearchResults",
    "autocomplete",
    "document_url",
    "matching_documents",
    "search",
    "search_statement",
]
