"""Cross-language search on the relevance set (``cross_language.json``)."""

import pytest

from search import semantic
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
