"""Search quality on the test corpus: precision and recall, CJK bigrams against trigrams.

    .venv/bin/python benchmarks/search_quality.py [--database neaspec_quality]

Indexes the documents of ``tests/search/corpus.py`` in its own database and runs each of
its queries two ways:

- "bigrams": the portal's search (``search.selectors.matching_documents``): CJK runs
  indexed and asked as overlapping character bigrams, every character also alone;
- "trigrams": pg_trgm's word similarity of the query to the title and abstract
  (``query <% text``, threshold ``pg_trgm.word_similarity_threshold``, default 0.6).

It prints precision and recall per query and, summed over the queries, for the CJK
queries and for all of them. A query that expects nothing and finds nothing counts as
precise; one that expects nothing and finds something as precision 0.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neaspec_portal.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "localhost")


def _scores(found: set, expected: set) -> tuple[int, int, int]:
    """Return (true positives, found, expected)."""
    return len(found & expected), len(found), len(expected)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def _pad(text: str, width: int) -> str:
    """Return ``text`` padded to ``width`` columns, CJK characters taking two."""
    import unicodedata

    columns = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(width - columns, 0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="neaspec_quality")
    args = parser.parse_args()

    import django

    settings_db = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/neaspec")
    os.environ["DATABASE_URL"] = settings_db.rsplit("/", 1)[0] + "/" + args.database
    create = [sys.executable, str(ROOT / "scripts/wait_for.py"), "create-database"]
    subprocess.run([*create, os.environ["DATABASE_URL"]], check=True)
    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from accounts.models import User
    from publications.models import Publication
    from search import selectors
    from search.text import CJK_RUN
    from tests.search.corpus import DOCUMENTS, QUERIES, index_corpus

    Publication.objects.all().delete()
    uploader, _ = User.objects.get_or_create(
        username="quality-uploader", defaults={"country_id": None, "status": "verified"}
    )
    keys = {pk: key for key, pk in index_corpus(uploader).items()}
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")

    def bigrams(query: str) -> set[str]:
        documents = selectors.matching_documents(user=AnonymousUser(), query=query)
        return {keys[pk] for pk in documents.values_list("publication_id", flat=True)}

    def trigrams(query: str) -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM publications_publication WHERE %s <%% (title || ' ' || abstract)",
                [query.replace('"', "")],
            )
            return {keys[pk] for (pk,) in cursor.fetchall()}

    methods = {"bigrams": bigrams, "trigrams": trigrams}
    totals = {(name, group): [0, 0, 0] for name in methods for group in ("CJK", "all")}
    print(f"{len(DOCUMENTS)} documents, {len(QUERIES)} queries")
    print(f"{'query':24} {'expected':>8}  " + "  ".join(f"{name + ' P/R':>14}" for name in methods))
    for query, expected in QUERIES.items():
        cells = []
        groups = ["all"] + (["CJK"] if CJK_RUN.search(query) else [])
        for name, method in methods.items():
            hits, found, wanted = _scores(method(query), expected)
            for group in groups:
                for index, value in enumerate((hits, found, wanted)):
                    totals[(name, group)][index] += value
            cells.append(f"{_ratio(hits, found):6.2f}/{_ratio(hits, wanted):4.2f}")
        row = "  ".join(f"{cell:>14}" for cell in cells)
        print(f"{_pad(query, 24)} {len(expected):>8}  {row}")
    for group in ("CJK", "all"):
        cells = []
        for name in methods:
            hits, found, wanted = totals[(name, group)]
            cells.append(f"{_ratio(hits, found):6.2f}/{_ratio(hits, wanted):4.2f}")
        label = f"total, {group} queries"
        print(f"{label:24} {'':>8}  " + "  ".join(f"{cell:>14}" for cell in cells))


if __name__ == "__main__":
    main()
