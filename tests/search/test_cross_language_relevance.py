"""Cross-language search on the relevance set (``cross_language.json``)."""

import pytest

from publications.models import Publication
from search import selectors, semantic, vectors
from tests.search.corpus import QUERIES, index_corpus
from tests.search.cross_language import evaluate, index_relevance_corpus


@pytest.fixture
def relevance_corpus(secretariat):
    semantic.forget_codes()
    yield index_relevance_corpus(secretariat)
    semantic.forget_codes()


def test_hybrid_finds_the_other_languages(relevance_corpus, visitor):
    table = evaluate(visitor, relevance_corpus)
    print("\n".join(table.rows()))
    assert table.by_pair[("hybrid", "*", "*")].recall >= 0.8


def test_the_query_language_keeps_the_precision_of_its_words(secretariat, visitor):
    # On the quality corpus every query found exactly its documents (precision 1.00):
    # searching across languages adds documents in other languages only, and loses none.
    semantic.forget_codes()
    by_id = {}
    for key, pk in index_corpus(secretariat).items():
        by_id[Publication.objects.get(pk=pk).search_document.pk] = key
    vectors.search_vectors_compute(document_ids=list(by_id))
    for query, expected in QUERIES.items():
        words = selectors.search(user=visitor, query=query)
        hybrid = selectors.search(user=visitor, query=query, cross_language=True)
        own = {by_id[d.pk] for d in hybrid.documents if d.language == hybrid.language}
        assert own <= expected, query
        assert {d.pk for d in words.documents} <= {d.pk for d in hybrid.documents}, query
    semantic.forget_codes()
