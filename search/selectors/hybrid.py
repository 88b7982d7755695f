"""Cross-language candidates: the documents nearest in meaning, and the names of a query.

The nearest codes (``search.semantic``) are only a shortlist: their int8 vectors are read
back through the same conditions as every other candidate (the filters on the documents'
copies and the policy's live rows, ``statement._bases``), so that only documents the user
may find are ranked by cosine, and the best of those passed to the statement, which checks
them once more. Only titles and summaries are embedded (``search.vectors.embedded_vectors``):
no vector holds the text of a file.
"""

from django.conf import settings
from django.db import connection

from search import semantic
from search.expansion import Expansion, expand
from search.selectors.filters import SearchFilters
from search.selectors.statement import _bases

#: Codes shortlisted per query, and with filters set (most of the nearest may not pass them).
SHORTLIST = 300
SHORTLIST_FILTERED = 1500
#: The most documents the meaning list adds, and the least cosine they need. Related texts
#: in two languages score 0.2-0.5, unrelated ones up to 0.4 (docs/decisions/
#: cross-language-search.md): the list is cut by rank, the floor drops only what is unrelated.
MEANING_LIMIT = 20
MIN_COSINE = 0.15
#: Each of the shortlist is looked up by its key in the bases (``OFFSET 0`` keeps PostgreSQL
#: from joining the whole of them instead).
_VECTORS_SQL = (
    "SELECT v.document_id, v.vector FROM search_searchvector v,"
    " LATERAL (SELECT d.language FROM search_searchdocument d"
    " WHERE d.id = v.document_id OFFSET 0) d,"
    " LATERAL (SELECT b.id FROM ({metadata}) b WHERE b.id = v.document_id OFFSET 0) b,"
    " LATERAL (SELECT l.id FROM ({live}) l WHERE l.id = v.document_id OFFSET 0) l"
    " WHERE v.document_id = ANY(%s) AND v.model = %s AND d.language IS DISTINCT FROM %s"
)


def cross_language_enabled() -> bool:
    """Return whether this installation searches across languages (``SEARCH_CROSS_LANGUAGE``)."""
    return bool(getattr(settings, "SEARCH_CROSS_LANGUAGE", True))


def query_expansion(query: str) -> Expansion:
    """Return the language and the species and site names of ``query`` (one query)."""
    return expand(query)


def meaning_candidates(
    *, user, query: str, filters: SearchFilters, language: str = ""
) -> list[tuple[int, float]]:
    """Return up to ``MEANING_LIMIT`` (document id, cosine) that ``user`` may find, best first,
    in languages other than the query's ``language`` (its own are found by its words).

    Two queries: the codes written since the last search, and the vectors of the shortlist
    that pass the filters and the policy.
    """
    vector = semantic.embed([query])[0]
    limit = SHORTLIST if filters.is_empty() else SHORTLIST_FILTERED
    shortlist = semantic.nearest_documents(vector, limit)
    if not shortlist:
        return []
    bases = _bases(user=user, filters=filters)
    metadata_sql, metadata_params = bases["metadata"]
    live_sql, live_params = bases["live"]
    with connection.cursor() as cursor:
        cursor.execute(
            _VECTORS_SQL.format(metadata=metadata_sql, live=live_sql),
            [*metadata_params, *live_params, shortlist, semantic.MODEL_NAME, language],
        )
        rows = cursor.fetchall()
    cosines = semantic.cosines(vector, [bytes(stored) for _id, stored in rows])
    ranked = sorted(
        ((int(row[0]), float(cosine)) for row, cosine in zip(rows, cosines, strict=True)),
        key=lambda item: (-item[1], -item[0]),
    )
    return [item for item in ranked if item[1] >= MIN_COSINE][:MEANING_LIMIT]
