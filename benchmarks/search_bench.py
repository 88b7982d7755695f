"""Search benchmark: 100,000 publications and 20,000 datasets in six languages.

    DEBUG=1 .venv/bin/python benchmarks/search_bench.py [--publications 100000] [--datasets 20000]

Uses its own database (``<name>_bench``), fills it with generated documents through SQL,
then prints p50/p95 of ``search.selectors.search`` for a visitor and for a focal point with
5,000 grants, for each query class, beside:

- "naive SQL": every match ranked, ``WHERE meta @@ q ORDER BY ts_rank_cd(meta, q) LIMIT 20``;
- "plan SQL": the statement ``search`` sends for its candidates, compiled once and run bare
  (what the portal adds on top: building it, the page's documents, snippets, Python);
- "top-1/top-20": the visitor's first page compared with the exact order of every match
  (``ts_rank_cd`` on the title, then the newest), ranked the slow way once.

The generated database is kept: later runs skip the generation.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neaspec_portal.settings")
os.environ.setdefault("DEBUG", "1")

QUERIES = {
    "very rare word": "zyxwvrare",
    "rare word": "spoonbill",
    "CJK bigrams": "东北虎",
    "common (tiger)": "tiger",
    "very common (species)": "species",
    "two common words": "species data",
    "species or data": "species or data",
    "phrase": '"camera trap"',
    "Mongolian prefix": "ирвэс",
}

WORDS = {
    "en": "species data monitoring survey population habitat camera trap tiger leopard crane "
    "spoonbill wetland flyway breeding wintering corridor transboundary".split(),
    "ru": "вид данные мониторинг учёт популяция тигр леопард журавль колпица ирбис".split(),
    "mn": "ирвэсийн судалгаа тархалт амьтан нутаг тоо".split(),
    "zh": ["东北虎", "远东豹", "雪豹", "黑脸琵鹭", "白枕鹤", "监测", "种群", "栖息地"],
    "ja": ["アムールトラ", "ナベヅル", "マナヅル", "調査", "生息地", "個体数"],
    "ko": ["두루미", "저어새", "호랑이", "조사", "서식지", "개체수"],
}


def _fill(publications: int, datasets: int) -> None:
    import random

    from django.db import connection, transaction

    from accounts.models import User
    from datasets.models import Dataset
    from publications.models import Publication
    from search.services import publication_index

    random.seed(7)
    uploader, _ = User.objects.get_or_create(
        username="bench-uploader", defaults={"country_id": "KR", "status": "verified"}
    )
    languages = list(WORDS)

    def text(language: str, n: int) -> str:
        words = WORDS[language] + (WORDS["en"] if random.random() < 0.4 else [])
        return " ".join(random.choice(words) for _ in range(n))

    rows = []
    for number in range(publications):
        language = languages[number % len(languages)]
        title = text(language, 6)
        if number % 5000 == 0:
            title += " zyxwvrare"
        rows.append(
            Publication(
                type="report",
                title=title,
                abstract=text(language, 60),
                year=2000 + number % 25,
                language=language,
                status="published",
                visibility="public",
                uploader=uploader,
            )
        )
    with transaction.atomic():
        Publication.objects.bulk_create(rows, batch_size=5000)
        dataset_rows = [
            Dataset(
                title=text(languages[n % 6], 6),
                abstract=text(languages[n % 6], 40),
                method="camera_traps",
                licence="CC0-1.0",
                access_level=random.choice(["public", "country", "restricted"]),
                status="published",
                uploader=uploader,
                owner_country_id=random.choice(["CN", "JP", "KR", "MN", "RU"]),
            )
            for n in range(datasets)
        ]
        Dataset.objects.bulk_create(dataset_rows, batch_size=5000)
    # Index through the same SQL as the portal, in bulk.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO search_searchdocument (kind, publication_id, title, summary, language,
                year, species, sites, countries, targets, themes, access, updated_at,
                published, owner_country, uploader_id)
            SELECT 'publication', id, title, left(abstract, 1000), language, year,
                '{}', '{}', '{}', '{}', '{}', visibility, now(), status = 'published',
                coalesce(owner_country_id, ''), uploader_id FROM publications_publication
            """
        )
        cursor.execute(
            """
            INSERT INTO search_searchdocument (kind, dataset_id, title, summary, language,
                year, species, sites, countries, targets, themes, access, updated_at,
                published, owner_country, uploader_id)
            SELECT 'dataset', id, title, left(abstract, 1000), '', 2024,
                '{}', '{}', ARRAY[owner_country_id], '{}', '{}', access_level, now(),
                status = 'published', owner_country_id, uploader_id
            FROM datasets_dataset
            """
        )
        cursor.execute(
            """
            UPDATE search_searchdocument SET
              head = to_tsvector('simple', title) || to_tsvector('english', title)
                  || to_tsvector('russian', title),
              meta = setweight(to_tsvector('simple', title), 'A')
                  || setweight(to_tsvector('english', title), 'A')
                  || setweight(to_tsvector('russian', title), 'A')
                  || setweight(to_tsvector('simple', summary), 'B')
                  || setweight(to_tsvector('english', summary), 'B')
                  || setweight(to_tsvector('russian', summary), 'B'),
              content = to_tsvector('simple', summary)
            """
        )
        cursor.execute("ANALYZE")
    # CJK text is bigrammed by the portal; redo those rows through the real indexer.
    for publication in Publication.objects.filter(language__in=["zh", "ja", "ko"])[:3000]:
        publication_index(publication)
    # What autovacuum would do soon after a bulk load: statistics and the visibility map.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE search_searchdocument")


def _grants(user, count: int) -> None:
    from datetime import timedelta

    from django.contrib.auth.models import Permission
    from django.utils import timezone

    from datasets.models import AccessGrant, Dataset, DatasetUserObjectPermission

    permission = Permission.objects.get(codename="download_dataset")
    datasets = list(Dataset.objects.filter(access_level="restricted")[:count])
    until = timezone.now() + timedelta(days=365)
    AccessGrant.objects.bulk_create(
        AccessGrant(dataset=d, user=user, granted_by=user, expires_at=until) for d in datasets
    )
    DatasetUserObjectPermission.objects.bulk_create(
        DatasetUserObjectPermission(content_object=d, user=user, permission=permission)
        for d in datasets
    )


def _time(function, repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--publications", type=int, default=100_000)
    parser.add_argument("--datasets", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    import django
    from django.conf import settings

    settings_db = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/neaspec")
    os.environ["DATABASE_URL"] = settings_db.rsplit("/", 1)[0] + "/neaspec_bench"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts/wait_for.py"),
            "create-database",
            os.environ["DATABASE_URL"],
        ],
        check=True,
    )
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    from access import policy
    from accounts.models import FocalPoint, User
    from search.models import SearchDocument
    from search.selectors import (
        _TSQUERY,
        _candidates_sql,
        _query_params,
        matching_documents,
        search,
    )
    from search.text import clean_query

    if SearchDocument.objects.count() < args.publications + args.datasets:
        print(f"Generating {args.publications:,} publications and {args.datasets:,} datasets…")
        started = time.perf_counter()
        _fill(args.publications, args.datasets)
        print(f"  done in {time.perf_counter() - started:.0f} s")
    focal_point, created = User.objects.get_or_create(
        username="bench-fp", defaults={"country_id": "MN", "status": "verified"}
    )
    if created:
        FocalPoint.objects.create(user=focal_point, country_id="MN")
        _grants(focal_point, 5000)
    from django.contrib.auth.models import AnonymousUser

    visitor = AnonymousUser()
    print(f"documents: {SearchDocument.objects.count():,}; settings DEBUG={settings.DEBUG}")
    print(
        f"{'query':24} {'matches':>8} {'visitor p50/p95':>17} {'fp+5k grants p50/p95':>22}"
        f" {'naive SQL p50/p95':>19} {'plan SQL p50/p95':>18} {'top-1':>5} {'top-20':>6}"
    )
    for name, query in QUERIES.items():
        cleaned = clean_query(query)
        raw_sql = (
            f"SELECT id FROM search_searchdocument WHERE meta @@ {_TSQUERY} "
            f"ORDER BY ts_rank_cd(meta, {_TSQUERY}) DESC LIMIT 20"
        )
        params = _query_params(cleaned) * 2

        def raw(raw_sql=raw_sql, params=params) -> None:
            with connection.cursor() as cursor:
                cursor.execute(raw_sql, params)
                cursor.fetchall()

        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM search_searchdocument WHERE meta @@ {_TSQUERY}",
                _query_params(cleaned),
            )
            matches = cursor.fetchone()[0]
        plan_sql, plan_params = _candidates_sql(
            policy.visible_search_documents(visitor), cleaned, "relevance"
        )
        plan_params = [*plan_params, 0, 20]

        def plan(plan_sql=plan_sql, plan_params=plan_params) -> None:
            with connection.cursor() as cursor:
                cursor.execute(plan_sql, plan_params)
                cursor.fetchall()

        visitor_times = _time(lambda q=query: search(user=visitor, query=q), args.repeat)
        fp_times = _time(lambda q=query: search(user=focal_point, query=q), args.repeat)
        raw_times = _time(raw, args.repeat)
        plan_times = _time(plan, args.repeat)
        first_page = [doc.pk for doc in search(user=visitor, query=query).documents]
        exact = matching_documents(user=visitor, query=query).order_by("-rank", "-date", "-pk")
        exact_page = list(exact.values_list("pk", flat=True)[:20])
        top1 = "yes" if first_page[:1] == exact_page[:1] else "NO"
        overlap = f"{len(set(first_page) & set(exact_page))}/{len(exact_page)}"
        print(
            f"{name:24} {matches:>8,} {visitor_times[0]:7.1f}/{visitor_times[1]:7.1f} ms"
            f" {fp_times[0]:10.1f}/{fp_times[1]:7.1f} ms {raw_times[0]:8.1f}/{raw_times[1]:7.1f} ms"
            f" {plan_times[0]:7.1f}/{plan_times[1]:7.1f} ms {top1:>5} {overlap:>6}"
        )


if __name__ == "__main__":
    main()
