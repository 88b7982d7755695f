"""Camtrap DP 1.0.2 package of a camera-trap dataset, written as it is sent.

Rows come from ``policy.occurrence_rows``, as in the Darwin Core Archive: exact for people
who may download the dataset's files, the public form for everyone else. Each place a
record is given at is a deployment (the hub keeps records, not deployments: a deployment's
period is that of its records); each record is an event-level observation of an animal.
Records whose place is withheld from the requester (camera stations of sensitive species)
have no deployment to belong to: they are left out, and the package's description says how
many. The extent, period and taxa of the descriptor are read from the rows given, so they
hold nothing the requester may not see. Two passes over the rows: the deployments (a few
places) are gathered first, then the observations stream.
"""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from django.conf import settings
from django.utils import timezone

from access import policy
from access.policy.roles import Actor
from datasets.exports.dwca import BLOCK_ROWS, _Pipe
from datasets.models import Dataset

VERSION = "1.0.2"
BASE = f"https://raw.githubusercontent.com/tdwg/camtrap-dp/{VERSION}/"
SCHEMAS = Path(__file__).resolve().parents[2] / "schemas" / f"camtrap-dp-{VERSION}"


@cache
def columns(table: str) -> list[str]:
    """Return the fields of a Camtrap DP table in its schema's order (all are written)."""
    schema = json.loads((SCHEMAS / f"{table}-table-schema.json").read_text())
    return [item["name"] for item in schema["fields"]]


def _line(table: str, values: dict[str, str]) -> bytes:
    return _csv([values.get(name, "") for name in columns(table)])


@dataclass
class _Station:
    number: int
    first: date
    last: date
    uncertainty: str
    comment: str


def _days(event_date: str, dataset: Dataset) -> tuple[date, date] | None:
    """Return the first and last day of a record's date (a day or an interval); an undated
    record takes the dataset's coverage, and without one it has no days (it is left out)."""
    if not event_date:
        if dataset.temporal_start:
            return dataset.temporal_start, dataset.temporal_end or dataset.temporal_start
        return None
    start, _slash, end = event_date.partition("/")
    try:
        return date.fromisoformat(start[:10]), date.fromisoformat((end or start)[:10])
    except ValueError:
        return None


def _place(row: dict[str, str]) -> tuple[str, str] | None:
    latitude, longitude = row.get("decimalLatitude", ""), row.get("decimalLongitude", "")
    return (latitude, longitude) if latitude and longitude else None


def _stations(user: Actor, dataset: Dataset) -> tuple[dict[tuple[str, str], _Station], dict]:
    """Return the places of the records given to ``user``, and what the descriptor says."""
    stations: dict[tuple[str, str], _Station] = {}
    left_out = 0
    names: set[str] = set()
    for row in policy.occurrence_rows(user, dataset):
        place, days = _place(row), _days(row.get("eventDate", ""), dataset)
        if place is None or days is None:
            left_out += 1
            continue
        if row.get("scientificName"):
            names.add(row["scientificName"])
        station = stations.get(place)
        if station is None:
            stations[place] = _Station(
                number=len(stations) + 1,
                first=days[0],
                last=days[1],
                uncertainty=row.get("coordinateUncertaintyInMeters", ""),
                comment=row.get("dataGeneralizations", ""),
            )
        else:
            station.first, station.last = min(station.first, days[0]), max(station.last, days[1])
    return stations, {"left_out": left_out, "names": sorted(names)}


def _csv(values: list[str]) -> bytes:
    output = io.StringIO()
    csv.writer(output, lineterminator="\n").writerow(values)
    return output.getvalue().encode()


def _resource(name: str) -> dict:
    return {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": f"{BASE}{name}-table-schema.json",
    }


def descriptor(dataset: Dataset, stations: dict[tuple[str, str], _Station], found: dict) -> dict:
    """Return ``datapackage.json`` for the rows gathered in ``stations`` and ``found``."""
    latitudes = [float(lat) for lat, _lon in stations] or [0.0]
    longitudes = [float(lon) for _lat, lon in stations] or [0.0]
    west, east, south, north = min(longitudes), max(longitudes), min(latitudes), max(latitudes)
    first = min((s.first for s in stations.values()), default=None) or dataset.temporal_start
    last = max((s.last for s in stations.values()), default=None) or dataset.temporal_end
    today = timezone.localdate()
    description = dataset.abstract
    if found["left_out"]:
        description += (
            f"\n\n{found['left_out']} records are left out of this package: their places "
            "are withheld (camera stations of sensitive species) or they have no date."
        )
    contact = {"title": dataset.contact_name or str(dataset.owner_country), "role": "contact"}
    if dataset.contact_email:
        contact["email"] = dataset.contact_email
    return {
        "resources": [_resource(name) for name in ("deployments", "media", "observations")],
        "profile": f"{BASE}camtrap-dp-profile.json",
        "name": f"neaspec-dataset-{dataset.pk}",
        "id": policy.dataset_urn(dataset),
        "created": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "title": dataset.title_en or dataset.title,
        "description": description,
        "contributors": [contact, {"title": str(dataset.owner_country), "role": "rightsHolder"}],
        "sources": [{"title": "NEASPEC Knowledge Hub", "path": settings.SITE_URL}],
        "project": {
            "title": dataset.title_en or dataset.title,
            "samplingDesign": "targeted",
            "captureMethod": ["activityDetection"],
            "individualAnimals": False,
            "observationLevel": ["event"],
        },
        "spatial": {
            "type": "Polygon",
            "coordinates": [
                [[west, south], [east, south], [east, north], [west, north], [west, south]]
            ],
        },
        "temporal": {
            "start": (first or today).isoformat(),
            "end": (last or first or today).isoformat(),
        },
        "taxonomic": [{"scientificName": name} for name in found["names"]],
    }


def package_chunks(user: Actor, dataset: Dataset) -> Iterator[bytes]:
    """Yield the bytes of the Camtrap DP package of ``dataset`` as ``user`` may have it."""
    stations, found = _stations(user, dataset)
    pipe = _Pipe()
    moment = timezone.now().timetuple()[:6]
    with ZipFile(pipe, mode="w", compression=ZIP_DEFLATED) as archive:
        archive.writestr(
            "datapackage.json", json.dumps(descriptor(dataset, stations, found), indent=2)
        )
        lines = [_csv(columns("deployments"))]
        for (latitude, longitude), station in stations.items():
            lines.append(
                _line(
                    "deployments",
                    {
                        "deploymentID": f"s{station.number}",
                        "latitude": latitude,
                        "longitude": longitude,
                        "coordinateUncertainty": station.uncertainty,
                        "deploymentStart": f"{station.first.isoformat()}T00:00:00Z",
                        "deploymentEnd": f"{station.last.isoformat()}T23:59:59Z",
                        "deploymentComments": station.comment,
                    },
                )
            )
        archive.writestr("deployments.csv", b"".join(lines))
        archive.writestr("media.csv", _csv(columns("media")))
        yield pipe.take()
        info = ZipInfo("observations.csv", date_time=moment)
        info.compress_type = ZIP_DEFLATED
        with archive.open(info, mode="w", force_zip64=True) as table:
            table.write(_csv(columns("observations")))
            for count, row in enumerate(policy.occurrence_rows(user, dataset), start=1):
                place, days = _place(row), _days(row.get("eventDate", ""), dataset)
                given = stations.get(place) if place is not None else None
                if given is None or days is None:
                    continue  # withheld, undated, or stored since the deployments were written
                comment = " ".join(
                    filter(None, (row.get("dataGeneralizations"), row.get("informationWithheld")))
                )
                table.write(
                    _line(
                        "observations",
                        {
                            "observationID": row["occurrenceID"],
                            "deploymentID": f"s{given.number}",
                            "eventStart": f"{days[0].isoformat()}T00:00:00Z",
                            "eventEnd": f"{days[1].isoformat()}T23:59:59Z",
                            "observationLevel": "event",
                            "observationType": "animal",
                            "scientificName": row.get("scientificName", ""),
                            "count": "1",
                            "observationComments": comment,
                        },
                    )
                )
                if count % BLOCK_ROWS == 0:
                    yield pipe.take()
    yield pipe.take()
