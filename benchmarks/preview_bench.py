"""The preview of a 1 GB table: what processing adds, and what a request for it costs.

    DATABASE_URL=... .venv/bin/python benchmarks/preview_bench.py [--size-mb 1024]
        [--requests 200]

Writes an occurrence-like CSV of ``--size-mb`` under MEDIA_ROOT, stores it as a file of a
published dataset, reads its head as the worker does (``tabular.read_head``: column types and
fill rates over 10,000 rows, the first 100 rows) and stores the preview in both forms
(``pipeline._save_preview``). Then it times ``GET /api/v1/files/{id}/preview/`` for a visitor
(public form) and for the owner (exact), in process with Django's test client and DEBUG
off, and prints p50/p95 and the number of queries. The full scan of the table (points,
public form of every record) is the CSV benchmark's subject and is not run here: the
request reads the stored rows only, whatever the file's size.

Uses its own database (``neaspec_preview_bench`` next to ``DATABASE_URL``'s), kept between
runs; the CSV is removed at the end.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neaspec_portal.settings")
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", "0")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")


def _times(client, url: str, count: int) -> tuple[float, float, int]:
    from django.db import connection

    queries: list[str] = []

    def note(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # A wrapper, not the debug log: Django empties that log when a request starts.
    with connection.execute_wrapper(note):
        assert client.get(url).status_code == 200
    spent = []
    for _ in range(count):
        start = time.perf_counter()
        response = client.get(url)
        spent.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    spent.sort()
    return statistics.median(spent), spent[int(len(spent) * 0.95) - 1], len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--requests", type=int, default=200)
    arguments = parser.parse_args()

    from pages_bench import _database_url, _ensure_database

    url = _database_url("neaspec_preview_bench")
    os.environ["DATABASE_URL"] = url
    created = _ensure_database(url)

    import django

    django.setup()
    from csv_profile import write_csv
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from datasets.models import DataFile, Dataset, FilePreview
    from datasets.processing import pipeline, tabular

    call_command("migrate", verbosity=0)
    if created:
        call_command("load_reference", verbosity=0)

    folder = Path(settings.MEDIA_ROOT) / "files" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "preview-bench.csv"
    start = time.perf_counter()
    if not path.exists() or path.stat().st_size < arguments.size_mb * 1024**2 * 0.99:
        write_csv(path, arguments.size_mb)  # a table left by an interrupted run is reused
    size = path.stat().st_size
    print(f"table of {size / 1024**2:,.0f} MB ready in {time.perf_counter() - start:.1f} s")
    try:
        owner, _ = User.objects.get_or_create(
            username="preview-bench",
            defaults={"country_id": "KR", "status": "verified", "verified_at": timezone.now()},
        )
        dataset = Dataset.objects.create(
            title="Preview benchmark",
            method="camera_traps",
            licence="CC-BY-4.0",
            access_level="country",
            status="published",
            owner_country_id="KR",
            uploader=owner,
        )
        data_file = DataFile.objects.create(
            dataset=dataset,
            file=str(path.relative_to(settings.MEDIA_ROOT)),
            original_name="big.csv",
            size=size,
            uploaded_by=owner,
            state="ready",
        )
        start = time.perf_counter()
        head = tabular.read_head(path)
        read = time.perf_counter() - start
        start = time.perf_counter()
        pipeline._save_preview(data_file, head)
        stored = time.perf_counter() - start
        preview = FilePreview.objects.get(data_file=data_file)
        print(
            f"processing adds: read_head {read * 1000:.0f} ms ({head.sampled:,} rows sampled), "
            f"storing both forms {stored * 1000:.0f} ms; {len(preview.exact_rows)} rows kept"
        )
        target = f"/api/v1/files/{data_file.pk}/preview/"
        visitor = Client()
        p50, p95, queries = _times(visitor, target, arguments.requests)
        print(f"visitor (public form): p50 {p50:.1f} ms, p95 {p95:.1f} ms, {queries} queries")
        insider = Client()
        insider.force_login(owner)
        p50, p95, queries = _times(insider, target, arguments.requests)
        print(f"owner (exact):         p50 {p50:.1f} ms, p95 {p95:.1f} ms, {queries} queries")
        print("target: under 200 ms for a 1 GB table (docs/performance.md)")
        dataset.delete()
    finally:
        path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
