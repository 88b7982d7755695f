"""Cross-language relevance: recall@10 and MRR per pair of languages, three ways.

    .venv/bin/python benchmarks/search_cross_language.py [--database neaspec_xlang_quality]

Indexes and embeds the documents of ``tests/search/cross_language.json`` in its own
database, runs each of its queries by words only ("lexical"), by meaning only ("semantic")
and both fused with the names of species and sites ("hybrid"), and prints recall@10 and
MRR of the documents in other languages per (query language → document language).
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="neaspec_xlang_quality")
    args = parser.parse_args()

    import django

    settings_db = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/neaspec")
    os.environ["DATABASE_URL"] = settings_db.rsplit("/", 1)[0] + "/" + args.database
    create = [sys.executable, str(ROOT / "scripts/wait_for.py"), "create-database"]
    subprocess.run([*create, os.environ["DATABASE_URL"]], check=True)
    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    from accounts.models import User
    from publications.models import Publication
    from tests.search.cross_language import DOCUMENTS, QUERIES, evaluate, index_relevance_corpus

    Publication.objects.all().delete()
    uploader, _ = User.objects.get_or_create(
        username="quality-uploader", defaults={"country_id": None, "status": "verified"}
    )
    keys = index_relevance_corpus(uploader)
    print(f"{len(DOCUMENTS)} documents, {len(QUERIES)} queries; recall@10 / MRR")
    print("\n".join(evaluate(AnonymousUser(), keys).rows()))


if __name__ == "__main__":
    main()
