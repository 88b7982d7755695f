"""The vectors of search documents: what is embedded of a document, computed in batches.

Run by the worker (``search.tasks``) after a document is indexed, and by
``rebuild_search_index --vectors`` for existing rows. See ``search.semantic``.
"""

import numpy as np
from django.db import connection, transaction

from search import semantic
from search.models import SearchDocument

#: Documents embedded per batch by ``search_vectors_compute`` callers.
EMBED_BATCH = 256
#: The characters of the summary embedded beside the title.
EMBED_SUMMARY_CHARS = 400
#: The title's weight against the summary's: on the relevance set (tests/search/
#: cross_language.json) the title alone found 0.82 of the other-language documents in the
#: first ten, title and summary embedded as one text 0.79, twice the title plus the summary
#: 0.85 (docs/decisions/cross-language-search.md).
TITLE_WEIGHT = 2.0
_VECTOR_UPSERT = """
INSERT INTO search_searchvector (document_id, code, vector, model, published, updated_at)
VALUES (%s, %s, %s, %s, %s, clock_timestamp())
ON CONFLICT (document_id) DO UPDATE SET code = EXCLUDED.code, vector = EXCLUDED.vector,
  model = EXCLUDED.model, published = EXCLUDED.published, updated_at = clock_timestamp()
"""


def embedded_vectors(documents: list[tuple[str, str]]):
    """Return the unit vectors of (title, summary) pairs: their title (with its English
    title) weighed ``TITLE_WEIGHT`` against the start of their summary. Never the text of
    files, which not everyone who finds a document may match."""
    titles = semantic.embed([title for title, _summary in documents])
    summaries = semantic.embed(
        [summary[:EMBED_SUMMARY_CHARS] or title for title, summary in documents]
    )
    vectors = TITLE_WEIGHT * titles + summaries
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def search_vectors_compute(*, document_ids: list[int]) -> int:
    """Compute and store the vectors of the documents ``document_ids``; return how many.

    Derived data like the documents themselves: refreshed on every index, never audited.
    """
    rows = list(
        SearchDocument.objects.filter(pk__in=document_ids).values_list(
            "id", "title", "summary", "published"
        )
    )
    if not rows:
        return 0
    vectors = embedded_vectors([(title, summary) for _id, title, summary, _p in rows])
    values = []
    for (document_id, _title, _summary, published), vector in zip(rows, vectors, strict=True):
        code, components = semantic.quantize(vector)
        values.append((document_id, code, components, semantic.MODEL_NAME, published))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(_VECTOR_UPSERT, values)
    return len(values)


def search_vectors_rebuild(*, batch: int = EMBED_BATCH) -> int:
    """Compute the vectors of every search document, in batches; return how many."""
    ids = list(SearchDocument.objects.order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), batch):
        done += search_vectors_compute(document_ids=ids[start : start + batch])
    return done
