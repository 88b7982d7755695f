"""Reads of search: ranked, policy-aware results with facet counts, and autocomplete."""

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline
from django.db import connection
from django.db.models import BooleanField, F, FloatField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL

from access import policy
from search.models import Kind
from search.text import MAX_QUERY_LENGTH, cjk_bigrams, clean_query, prefix_tsquery
from species.models import Site, Species

#: The tsquery of a user's query in every configuration the documents are indexed with.
_TSQUERY = (
    "(websearch_to_tsquery('simple', %s) || to_tsquery('simple', %s)"
    " || websearch_to_tsquery('english', %s) || websearch_to_tsquery('russian', %s))"
)
FACETS = (
    "kind",
    "species",
    "sites",
    "countries",
    "year",
    "targets",
    "themes",
    "language",
    "access",
)
PAGE_SIZE = 20
#: Counts and facets stop at this many matches; pages say "more than" beyond it.
COUNT_CAP = 10_000
#: Query parameters of the search page; the rest of the URL is ignored.
FILTER_PARAMS = (
    "q",
    "type",
    "species",
    "site",
    "country",
    "year",
    "target",
    "theme",
    "language",
    "access",
)
__all__ = ["MAX_QUERY_LENGTH"]
_FACET_CTE = (
    "WITH matching AS MATERIALIZED (SELECT {columns} FROM search_searchdocument "
    "WHERE id IN ({ids})) {parts} ORDER BY facet, n DESC, value"
)
_FACET_SQL = (
    "SELECT '{name}' AS facet, value::text AS value, count(*) AS n "
    "FROM matching d, unnest({source}::text[]) AS value "
    "WHERE value IS NOT NULL AND value <> '' GROUP BY value"
)


@dataclass(frozen=True)
class SearchFilters:
    kind: str = ""
    species: str = ""
    site: str = ""
    country: str = ""
    year: int | None = None
    target: int | None = None
    theme: str = ""
    language: str = ""
    access: str = ""

    @classmethod
    def from_params(cls, params) -> "SearchFilters":
        """Build filters from query parameters; unknown or malformed values are ignored."""

        def number(name: str, low: int, high: int) -> int | None:
            value = params.get(name, "")
            return int(value) if value.isdigit() and low <= int(value) <= high else None

        kind = params.get("type", "")
        return cls(
            kind=kind if kind in Kind.values else "",
            species=params.get("species", "")[:40],
            site=params.get("site", "")[:60],
            country=params.get("country", "")[:2].upper(),
            year=number("year", 1900, 2100),
            target=number("target", 1, 23),
            theme=params.get("theme", "")[:60],
            language=params.get("language", "")[:8],
            access=params.get("access", "")[:20],
        )

    def apply(self, documents: QuerySet) -> QuerySet:
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


@dataclass
class SearchResults:
    query: str
    documents: list
    total: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def _query_params(query: str) -> list[str]:
    return [cjk_bigrams(query), prefix_tsquery(query), query, query]


def _tsquery_sql(template: str, query: str, output_field) -> RawSQL:
    """Return ``template`` (constant SQL with one ``{q}``) bound to the user's query.

    The query only ever travels as a bound parameter, never inside the SQL text.
    """
    return RawSQL(template.format(q=_TSQUERY), _query_params(query), output_field)  # noqa: S611


def matching_documents(*, user, query: str, filters: SearchFilters | None = None) -> QuerySet:
    """Return the documents ``user`` may find that match ``query`` (all of them if empty).

    The extracted file text is matched only where the user may download the files.
    """
    documents = policy.visible_search_documents(user)
    documents = (filters or SearchFilters()).apply(documents)
    query = clean_query(query)
    if not query:
        return documents.annotate(rank=Value(0.0, output_field=FloatField()))
    meta_match = _tsquery_sql("search_searchdocument.meta @@ {q}", query, BooleanField())
    content_match = _tsquery_sql("search_searchdocument.content @@ {q}", query, BooleanField())
    documents = documents.filter(Q(meta_match) | (Q(content_match) & Q(can_read_content=True)))
    return documents.annotate(
        rank=_tsquery_sql("ts_rank_cd(search_searchdocument.head, {q})", query, FloatField())
    )


def search(
    *,
    user,
    query: str,
    filters: SearchFilters | None = None,
    sort: str = "relevance",
    page: int = 1,
) -> SearchResults:
    """Return one page of results with facet counts, in a fixed number of queries."""
    documents = matching_documents(user=user, query=query, filters=filters)
    order = ["-date", "-pk"] if sort == "date" else ["-rank", "-date", "-pk"]
    total = capped_count(documents)
    start = max(page - 1, 0) * PAGE_SIZE
    cleaned = clean_query(query)
    page_documents = documents.order_by(*order)[start : start + PAGE_SIZE]
    if cleaned:
        page_documents = page_documents.annotate(
            snippet=SearchHeadline(
                F("summary"),
                _tsquery_sql("{q}", cleaned, None),
                config="simple",
                start_sel="<mark>",
                stop_sel="</mark>",
                max_words=35,
                min_words=15,
            )
        )
    return SearchResults(
        query=cleaned,
        documents=list(page_documents),
        total=total,
        facets=facet_counts(documents),
    )


def capped_count(documents: QuerySet) -> int:
    """Return how many documents match, counting at most ``COUNT_CAP`` (+1 to say "more")."""
    return documents.values("pk")[: COUNT_CAP + 1].count()


def facet_counts(documents: QuerySet) -> dict[str, list[tuple[str, int]]]:
    """Return value counts per facet over ``documents`` (the first ``COUNT_CAP``), in one query.

    The matching ids are computed once (a materialized CTE) and shared by every facet.
    """
    ids_sql, ids_params = documents.values("pk")[:COUNT_CAP].query.sql_with_params()
    parts = []
    for name in FACETS:
        column = f"d.{name}"
        if name in ("species", "sites", "countries", "targets", "themes"):
            source = column
        else:
            source = f"ARRAY[{column}::text]"
        parts.append(_FACET_SQL.format(name=name, source=source))
    # Built only from the constant FACETS names and Django's own compiled subquery.
    sql = _FACET_CTE.format(columns=", ".join(FACETS), ids=ids_sql, parts=" UNION ALL ".join(parts))
    counts: dict[str, list[tuple[str, int]]] = {name: [] for name in FACETS}
    with connection.cursor() as cursor:
        cursor.execute(sql, list(ids_params))
        for facet, value, number in cursor.fetchall():
            counts[facet].append((value, number))
    return counts


def autocomplete(*, user, query: str, limit: int = 10) -> list[dict[str, str]]:
    """Return species, sites and titles ``user`` may see that match the start of ``query``.

    Titles come from the policy-filtered search documents, never from the raw tables.
    """
    text = " ".join(query.split())[:100]
    if len(text) < 2:
        return []
    name_fields = ("name_en", "name_zh", "name_ja", "name_ko", "name_mn", "name_ru")
    name_match = Q()
    for name in name_fields:
        name_match |= Q(**{f"{name}__icontains": text})
    suggestions: list[dict[str, str]] = []
    for species in Species.objects.filter(name_match | Q(scientific_name__icontains=text))[:4]:
        suggestions.append(
            {
                "type": "species",
                "label": f"{species.name} ({species.scientific_name})",
                "url": species.get_absolute_url(),
            }
        )
    for site in Site.objects.filter(name_match | Q(code__icontains=text))[:3]:
        suggestions.append({"type": "site", "label": site.name, "url": site.get_absolute_url()})
    titles = policy.visible_search_documents(user).filter(title__icontains=text)
    for document in titles.order_by("-date")[: max(limit - len(suggestions), 0)]:
        suggestions.append(
            {"type": document.kind, "label": document.title, "url": document_url(document)}
        )
    return suggestions[:limit]


def document_url(document) -> str:
    """Return the page of the object a search document describes."""
    from django.urls import reverse

    if document.dataset_id:
        return reverse("datasets:detail", args=[document.dataset_id])
    if document.publication_id:
        return reverse("publications:detail", args=[document.publication_id])
    return reverse("publications:event_detail", args=[document.event_id])
