"""Search results: one page of ranked documents with their snippets, count and facets."""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, FloatField, Q, QuerySet, Value
from django.utils.safestring import mark_safe

from access import policy
from search.expansion import Expansion
from search.models import SearchDocument
from search.selectors import hybrid, statement
from search.selectors.filters import SearchFilters
from search.selectors.tsquery import tsquery_sql
from search.snippets import snippet_html
from search.text import clean_query


@dataclass
class SearchResults:
    query: str
    documents: list
    total: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    #: The language of the query (``search.expansion``), when searched across languages.
    language: str = ""
    cross_language: bool = False

    @property
    def capped(self) -> bool:
        """Return True when more documents match than were counted (see ``COUNT_CAP``)."""
        return self.total > statement.COUNT_CAP

    @property
    def shown_total(self) -> int:
        """Return the number of matches, or the cap when there are more."""
        return min(self.total, statement.COUNT_CAP)


def matching_documents(*, user, query: str, filters: SearchFilters | None = None) -> QuerySet:
    """Return the documents ``user`` may find that match ``query`` (all of them if empty).

    The extracted file text is matched only where the user may download the files. Every
    match is read and ranked: the reference ``search`` must agree with, not a page.
    """
    documents = policy.visible_search_documents(user)
    documents = (filters or SearchFilters()).apply(documents)
    query = clean_query(query)
    if not query:
        return documents.annotate(rank=Value(0.0, output_field=FloatField()))
    meta_match = tsquery_sql("search_searchdocument.meta @@ {q}", query, BooleanField())
    content_match = tsquery_sql("search_searchdocument.content @@ {q}", query, BooleanField())
    documents = documents.filter(Q(meta_match) | (Q(content_match) & Q(can_read_content=True)))
    return documents.annotate(
        rank=tsquery_sql("ts_rank(search_searchdocument.head, {q})", query, FloatField())
    )


def search(
    *,
    user,
    query: str,
    filters: SearchFilters | None = None,
    sort: str = "relevance",
    page: int = 1,
    cross_language: bool = False,
) -> SearchResults:
    """Return one page of results with facet counts, in one query.

    The query finds the candidates (see ``COUNT_CAP``), orders them, and returns their
    count, the page's documents with their snippets and the facet counts. A phrase costs
    one query more (``pair_query``). ``cross_language`` adds the documents nearest in
    meaning and those naming the same species or sites in other languages (three queries
    more, ``hybrid``): each document found so then says how (``found_by``) and whether it
    was found across languages (``cross_language``).
    """
    cleaned = clean_query(query)
    filters = filters or SearchFilters()
    cross_language = cross_language and bool(cleaned) and hybrid.cross_language_enabled()
    meaning, expansion = None, Expansion(language="")
    if cross_language:
        meaning, expansion = _other_languages(user=user, query=cleaned, filters=filters)
    language = expansion.language
    sql, params = statement.search_statement(
        user=user,
        query=cleaned,
        filters=filters,
        sort=sort,
        page=page,
        meaning=meaning,
        names=expansion.query(),
        language=language,
        species=expansion.species,
    )
    total, tsquery, page_rows, counts = _answer(sql, params)
    documents = []
    for _n, lists, columns in sorted(page_rows, key=lambda row: row[0]):
        document = SearchDocument.from_db(connection.alias, statement.PAGE_FIELDS, columns)
        if tsquery:
            html = snippet_html(document.summary, tsquery)
            document.snippet = mark_safe(html)  # type: ignore[attr-defined] # noqa: S308 - escaped
        found_by = (lists or "words").split(",")
        document.found_by = found_by  # type: ignore[attr-defined]
        document.cross_language = (  # type: ignore[attr-defined]
            cross_language and "words" not in found_by and document.language != language
        )
        documents.append(document)
    return SearchResults(
        query=cleaned,
        documents=documents,
        total=total,
        facets=counts,
        language=language,
        cross_language=cross_language,
    )


def _other_languages(
    *, user, query: str, filters: SearchFilters
) -> tuple[list[tuple[int, float]], Expansion]:
    """Return the meaning list and the expansion (language, names, species) of ``query``.

    The encoder knows no Mongolian: a Mongolian query is found by its words and names.
    """
    expansion = hybrid.query_expansion(query)
    meaning: list[tuple[int, float]] = []
    if expansion.language != "mn":
        meaning = hybrid.meaning_candidates(
            user=user, query=query, filters=filters, language=expansion.language
        )
    return meaning, expansion


def _answer(sql: str, params: list) -> tuple[int, str, list, dict[str, list[tuple[str, int]]]]:
    """Run the statement; return its total, tsquery, page rows and facet counts."""
    total, tsquery, page_rows = 0, "", []
    counts: dict[str, list[tuple[str, int]]] = {name: [] for name in statement.FACETS}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, value, number, *columns in cursor.fetchall():
            if kind == "page":
                page_rows.append((number, value, columns))
            elif kind == "total":
                total, tsquery = min(number, statement.COUNT_CAP + 1), value or ""
            else:
                counts[kind].append((value, number))
    for values in counts.values():
        values.sort(key=lambda item: (-item[1], item[0]))
    return total, tsquery, page_rows, counts
