"""The cross-language relevance set (``cross_language.json``): its corpus and its figures.

Each query must find the documents on its topic written in the other languages. The figures
are recall@10 and MRR per pair of languages (the query's → the document's), for search by
words only ("lexical"), by meaning only ("semantic", ``hybrid.meaning_candidates``) and
both fused ("hybrid", ``selectors.search(cross_language=True)``).
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from publications.models import Publication
from search import selectors, services, vectors
from search.selectors import SearchFilters, hybrid
from species.models import Species

RELEVANCE = json.loads((Path(__file__).parent / "cross_language.json").read_text("utf-8"))
DOCUMENTS: dict[str, dict] = RELEVANCE["documents"]
QUERIES: list[dict] = RELEVANCE["queries"]
METHODS = ("lexical", "semantic", "hybrid")
TOP = 10


def index_relevance_corpus(uploader) -> dict[int, str]:
    """Create, index and embed a published report per document; return keys by document id."""
    keys = {}
    for key, document in DOCUMENTS.items():
        publication = Publication.objects.create(
            type="report",
            title=document["title"],
            abstract=document["abstract"],
            year=2025,
            language=document["language"],
            status="published",
            uploader=uploader,
        )
        publication.species.set(Species.objects.filter(code__in=document["species"]))
        services.publication_index(publication)
        keys[publication.search_document.pk] = key
    vectors.search_vectors_compute(document_ids=list(keys))
    return keys


def ranked(method: str, *, user, query: str, keys: dict[int, str]) -> list[str]:
    """Return the keys of the corpus documents ``method`` finds for ``query``, best first."""
    if method == "semantic":
        found = [
            pk
            for pk, _c in hybrid.meaning_candidates(user=user, query=query, filters=SearchFilters())
        ]
    else:
        results = selectors.search(user=user, query=query, cross_language=method == "hybrid")
        found = [document.pk for document in results.documents]
    return [keys[pk] for pk in found if pk in keys]


@dataclass
class Scores:
    """Recall@10 and MRR summed over (query, expected language) cases."""

    found: int = 0
    expected: int = 0
    reciprocal: float = 0.0
    cases: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def mrr(self) -> float:
        return self.reciprocal / self.cases if self.cases else 0.0


@dataclass
class Table:
    by_pair: dict[tuple[str, str, str], Scores] = field(default_factory=lambda: defaultdict(Scores))

    def add(self, method: str, query: dict, found: list[str]) -> None:
        by_language = defaultdict(list)
        for key in query["expected"]:
            by_language[DOCUMENTS[key]["language"]].append(key)
        for language, expected in by_language.items():
            for pair in (
                (method, query["language"], language),
                (method, query["language"], "*"),
                (method, "*", "*"),
            ):
                scores = self.by_pair[pair]
                scores.found += len(set(found[:TOP]) & set(expected))
                scores.expected += len(expected)
                first = next((n for n, key in enumerate(found, 1) if key in expected), None)
                scores.reciprocal += 1 / first if first else 0.0
                scores.cases += 1

    def rows(self) -> list[str]:
        """Return the table: one line per pair of languages, the three methods side by side."""
        pairs = sorted({(q, d) for _m, q, d in self.by_pair}, key=lambda p: (p[0] == "*", p))
        lines = [f"{'query→doc':10}" + "".join(f"{m + ' R@10/MRR':>22}" for m in METHODS)]
        for query_language, document_language in pairs:
            cells = []
            for method in METHODS:
                scores = self.by_pair.get((method, query_language, document_language), Scores())
                cells.append(f"{scores.recall:>13.2f}/{scores.mrr:.2f}   ")
            lines.append(f"{query_language + '→' + document_language:10}" + "".join(cells))
        return lines


def evaluate(user, keys: dict[int, str], methods=METHODS) -> Table:
    """Run every query of the set with each method; return the table of figures."""
    table = Table()
    for query in QUERIES:
        for method in methods:
            table.add(method, query, ranked(method, user=user, query=query["query"], keys=keys))
    return table
