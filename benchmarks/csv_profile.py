"""CSV validation and profiling throughput and peak memory.

    DEBUG=1 .venv/bin/python benchmarks/csv_profile.py [--size-mb 1024] [--pdf-pages 200]
        [--one-process]

Writes an occurrence-like CSV of the given size under /tmp, profiles it with the same
code the worker runs (without storing points, so a big table is read by two processes unless
--one-process), and prints rows, seconds, MB/s, CPU seconds and the peak RSS of this process
and of its helper process; then times text extraction and the thumbnail of a generated PDF.
"""

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neaspec_portal.settings")
os.environ.setdefault("DEBUG", "1")

NAMES = [
    "Panthera tigris altaica",
    "Panthera pardus orientalis",
    "Panthera uncia",
    "Grus monacha",
    "Antigone vipio",
    "Platalea minor",
    "Capreolus pygargus",
]


def write_csv(path: Path, size_mb: int) -> None:
    random.seed(3)
    target = size_mb * 1024 * 1024
    with path.open("w", encoding="utf-8") as handle:
        handle.write(
            "occurrenceID,scientificName,eventDate,decimalLatitude,decimalLongitude,"
            "individualCount,recordedBy\n"
        )
        number = 0
        while handle.tell() < target:
            lines = []
            for _ in range(10_000):
                number += 1
                lines.append(
                    f"{number},{random.choice(NAMES)},20{random.randint(10, 24)}-"
                    f"{random.randint(1, 12):02d}-{random.randint(1, 28):02d},"
                    f"{random.uniform(40, 52):.5f},{random.uniform(100, 135):.5f},"
                    f"{random.randint(1, 40)},Field team {random.randint(1, 20)}\n"
                )
            handle.write("".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--pdf-pages", type=int, default=200)
    parser.add_argument("--one-process", action="store_true")
    args = parser.parse_args()
    import django

    django.setup()
    from datasets.processing import extract, tabular

    known = {name.lower(): f"S{index}" for index, name in enumerate(NAMES[:6])}
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "occurrences.csv"
        write_csv(path, args.size_mb)
        size = path.stat().st_size / 1024 / 1024
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started, cpu = time.perf_counter(), time.process_time()
        profile = tabular.profile_csv(path, known, parallel=not args.one_process)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        helper = resource.getrusage(resource.RUSAGE_CHILDREN)
        print(
            f"CSV: {size:,.0f} MB, {profile.rows:,} rows in {seconds:.1f} s = "
            f"{size / seconds:.1f} MB/s; CPU {cpu:.1f} s here + {helper.ru_utime:.1f} s in the "
            f"helper; peak RSS {peak:.0f} MB (before reading: {before:.0f} MB), helper "
            f"{helper.ru_maxrss / 1024:.0f} MB"
        )
        print(
            f"     bbox {profile.bbox}, dates {profile.date_start}..{profile.date_end}, "
            f"errors {len(profile.errors)}"
        )

        from pypdf import PdfReader, PdfWriter

        from publications.demo import simple_pdf

        page = PdfReader(__import__("io").BytesIO(simple_pdf("Benchmark page", ["x" * 80] * 30)))
        writer = PdfWriter()
        for _ in range(args.pdf_pages):
            writer.add_page(page.pages[0])
        pdf = Path(directory) / "long.pdf"
        with pdf.open("wb") as handle:
            writer.write(handle)
        started = time.perf_counter()
        text = extract.pdf_text(pdf)
        thumb = extract.thumbnail(pdf, "pdf")
        print(
            f"PDF: {args.pdf_pages} pages, text {len(text):,} characters (first "
            f"{extract.MAX_PDF_PAGES} pages) and a {len(thumb):,}-byte thumbnail in "
            f"{time.perf_counter() - started:.2f} s"
        )


if __name__ == "__main__":
    main()
