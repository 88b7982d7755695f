"""The parameters of a search: its words, order and page, and the filters that narrow it."""

from dataclasses import dataclass

from django.db.models import QuerySet

from neaspec_portal import params
from search.models import Kind
from search.text import MAX_QUERY_LENGTH

#: The query parameters of a search besides its words (``SEARCH_QUERY``).
SEARCH_FILTERS = (
    params.choice("type", Kind.values, key="kind"),
    params.code("species", description="Species code, e.g. TIGER_AMUR."),
    params.code("site", max_length=60),
    params.country(),
    params.year(),
    params.integer("target", minimum=1, maximum=23, description="KMGBF target number."),
    params.code("theme", max_length=60),
    params.code("language", max_length=8),
    params.code("access", max_length=20),
)
#: The words of a search (shortened to ``MAX_QUERY_LENGTH``), its order and its page.
SEARCH_QUERY = (
    params.text(
        "q",
        max_length=MAX_QUERY_LENGTH,
        shorten=True,
        description="Words in any of the six languages.",
    ),
    params.choice("sort", ["relevance", "date"], default="relevance"),
    params.page(),
    params.flag(
        "cross_language",
        default=True,
        description="Also find documents in other languages that mean the same, and those "
        "naming the query's species and sites in other languages (default true; false: "
        "the query's words only).",
    ),
)


@dataclass(frozen=True)
class SearchFilters(params.Filters):
    """What a search is narrowed to. Filters read the documents' copies of their objects'
    fields (ranking data): they narrow what the policy lets a user find, never widen it."""

    SPEC = SEARCH_FILTERS

    kind: str = ""
    species: str = ""
    site: str = ""
    country: str = ""
    year: int | None = None
    target: int | None = None
    theme: str = ""
    language: str = ""
    access: str = ""

    def apply(self, documents: QuerySet) -> QuerySet:
        """Return ``documents`` narrowed by every filter that is set."""
        if self.kind:
            documents = documents.filter(kind=self.kind)
        if self.species:
            documents = documents.filter(species__contains=[self.species])
        if self.site:
            documents = documents.filter(sites__contains=[self.site])
        if self.country:
            documents = documents.filter(countries__contains=[self.country])
        if self.year:
            documents = documents.filter(year=self.year)
        if self.target:
            documents = documents.filter(targets__contains=[self.target])
        if self.theme:
            documents = documents.filter(themes__contains=[self.theme])
        if self.language:
            documents = documents.filter(language=self.language)
        if self.access:
            documents = documents.filter(access=self.access)
        return documents
