"""Reading standard archives: seconds and peak memory of a generated large archive.

    DEBUG=1 .venv/bin/python benchmarks/standards_in.py --format dwca [--size-mb 100]
    DEBUG=1 .venv/bin/python benchmarks/standards_in.py --format camtrap-dp [--size-mb 100]
    DEBUG=1 .venv/bin/python benchmarks/standards_in.py --format movebank [--size-mb 100]

Writes under /tmp a Darwin Core Archive (an Occurrence core, tab-separated, and an EML), a
Camtrap DP package (500 deployments, media, and observations of the given size) or a
Movebank CSV, then reads it with the code the worker runs (without storing points) and
prints rows, seconds, MB/s, this process's peak RSS and that of its biggest child (the
Camtrap DP check runs aside, in a child). Run one format per process: the peak is the
process's own.
"""

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neaspec_portal.settings")
os.environ.setdefault("DEBUG", "1")

NAMES = [
    "Panthera tigris altaica",
    "Panthera pardus orientalis",
    "Grus monacha",
    "Antigone vipio",
    "Capreolus pygargus",
]
DWC = "http://rs.tdwg.org/dwc/terms/"


def _lines(target: int, make) -> "iter":
    written, number = 0, 0
    while written < target:
        block = []
        for _ in range(10_000):
            number += 1
            block.append(make(number))
        text = "".join(block)
        written += len(text)
        yield text


def write_dwca(path: Path, size_mb: int) -> None:
    terms = ["occurrenceID", "scientificName", "eventDate", "decimalLatitude", "decimalLongitude",
             "individualCount", "recordedBy"]  # fmt: skip
    fields = "".join(f'<field index="{i}" term="{DWC}{t}"/>' for i, t in enumerate(terms))
    meta = (
        '<archive xmlns="http://rs.tdwg.org/dwc/text/" metadata="eml.xml"><core '
        'fieldsTerminatedBy="\\t" fieldsEnclosedBy="" ignoreHeaderLines="1" '
        f'rowType="{DWC}Occurrence"><files><location>occurrence.txt</location></files>'
        f'<id index="0"/>{fields}</core></archive>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("meta.xml", meta)
        archive.writestr("eml.xml", "<eml><dataset><title>Benchmark</title></dataset></eml>")
        with archive.open("occurrence.txt", "w", force_zip64=True) as table:
            table.write(("\t".join(terms) + "\n").encode())
            for text in _lines(
                size_mb * 1024 * 1024,
                lambda n: (
                    f"{n}\t{random.choice(NAMES)}\t2023-{random.randint(1, 12):02d}-"
                    f"{random.randint(1, 28):02d}\t{random.uniform(40, 52):.5f}\t"
                    f"{random.uniform(120, 135):.5f}\t{random.randint(1, 9)}\tteam {n % 20}\n"
                ),
            ):
                table.write(text.encode())


def write_camtrap(path: Path, size_mb: int) -> None:
    data = ROOT / "tests" / "standards" / "data"
    descriptor = json.loads((data / "camtrap-dp-example-datapackage.json").read_text())
    deployments = ["deploymentID,locationID,latitude,longitude,deploymentStart,deploymentEnd\n"]
    for index in range(500):
        deployments.append(
            f"d{index},l{index},{random.uniform(42, 45):.4f},{random.uniform(130, 134):.4f},"
            "2023-01-01T00:00:00Z,2023-03-01T00:00:00Z\n"
        )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("datapackage.json", json.dumps(descriptor))
        archive.writestr("deployments.csv", "".join(deployments))
        archive.writestr(
            "media.csv",
            "mediaID,deploymentID,captureMethod,timestamp,filePath,filePublic,fileMediatype\n"
            "m1,d1,activityDetection,2023-01-05T02:00:00Z,m1.jpg,false,image/jpeg\n",
        )
        with archive.open("observations.csv", "w", force_zip64=True) as table:
            table.write(
                b"observationID,deploymentID,eventStart,eventEnd,observationLevel,"
                b"observationType,scientificName,count\n"
            )
            for text in _lines(
                size_mb * 1024 * 1024,
                lambda n: (
                    f"o{n},d{n % 500},2023-02-{n % 28 + 1:02d}T02:00:00Z,"
                    f"2023-02-{n % 28 + 1:02d}T02:01:00Z,event,animal,{random.choice(NAMES)},1\n"
                ),
            ):
                table.write(text.encode())


def write_movebank(path: Path, size_mb: int) -> None:
    with path.open("w") as table:
        table.write(
            "event-id,timestamp,location-long,location-lat,individual-local-identifier,"
            "tag-local-identifier,sensor-type\n"
        )
        for text in _lines(
            size_mb * 1024 * 1024,
            lambda n: (
                f"{n},2022-03-{n % 28 + 1:02d} 10:00:00.000,{random.uniform(130, 134):.5f},"
                f"{random.uniform(42, 45):.5f},tiger-{n % 40},tag-{n % 45},gps\n"
            ),
        ):
            table.write(text)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--format", choices=["dwca", "camtrap-dp", "movebank"], default="dwca")
    parser.add_argument("--size-mb", type=int, default=100)
    args = parser.parse_args()
    import django

    django.setup()
    from datasets.processing import archives, tabular

    random.seed(5)
    known = {name: f"S{index}" for index, name in enumerate(NAMES[:4])}
    with tempfile.TemporaryDirectory() as folder:
        suffix = ".csv" if args.format == "movebank" else ".zip"
        path = Path(folder) / f"bench{suffix}"
        {"dwca": write_dwca, "camtrap-dp": write_camtrap, "movebank": write_movebank}[args.format](
            path, args.size_mb
        )
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        extra: dict = {}
        if args.format == "dwca":
            profile, extra = archives.profile_dwca(path, known)
        elif args.format == "camtrap-dp":
            profile, extra = archives.profile_camtrap(path, known)
        else:
            profile = tabular.profile_csv(path, known, parallel=False)
            extra = archives.movebank_animals(path)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        # Camtrap DP's check runs in a child process (archives.aside): its own peak.
        child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"{args.format}: {args.size_mb} MB of rows ({path.stat().st_size / 1024**2:.0f} MB "
            f"on disk), {profile.rows:,} rows, {len(profile.errors)} problems, {seconds:.1f} s, "
            f"{args.size_mb / seconds:.1f} MB/s; peak RSS {peak:.0f} MB (before reading "
            f"{before:.0f} MB; a child's {child:.0f} MB); "
            f"{json.dumps({k: v for k, v in extra.items() if k != 'warnings'})}"
        )


if __name__ == "__main__":
    main()
