"""Camtrap DP in: the package validated against the profile, observations joined to deployments.

The descriptor is checked with Frictionless (a Data Package) and against the Camtrap DP
profile (its JSON Schema, shipped in ``schemas/camtrap-dp-1.0.2`` with its licence: nothing
is fetched). The deployments table, and the first ``CHECKED_ROWS`` rows of the media and
observations tables, are validated by Frictionless against the Camtrap DP table schemas.
Every observation is then read, streamed: each event-level detection of an animal becomes an
occurrence at its deployment's place, a camera station (withheld from people who may not
download). The deployments' period is the file's coverage; their camera-days its effort.
"""

import csv
import json
import tempfile
import zipfile
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path

import frictionless
import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from datasets.message_catalog import stored
from datasets.processing import ProcessingError, Source
from datasets.processing.archives import rows
from datasets.processing.tabular.columns import Profile
from species.names import NameResolver

PROFILE = Path(__file__).resolve().parents[3] / "schemas" / "camtrap-dp-1.0.2"
#: Rows of the media and observations tables validated by Frictionless (every row is read).
CHECKED_ROWS = 100_000
#: Most deployments a package may hold: they are kept in memory to be joined.
MAX_DEPLOYMENTS = 200_000
MAX_DESCRIPTOR = 5 * 1024 * 1024
GEOJSON = "http://json.schemastore.org/geojson.json"


@cache
def _profile() -> dict:
    """Return the Camtrap DP profile, its Data Package part left to Frictionless."""
    profile = json.loads((PROFILE / "camtrap-dp-profile.json").read_text())
    profile["allOf"] = [part for part in profile.get("allOf", []) if "$ref" not in part]
    return profile


@cache
def _validator() -> jsonschema.Draft4Validator:
    """Return a validator of the profile whose one remote reference, GeoJSON, is read from
    the copy Frictionless ships (``frictionless/assets/profiles/geojson.json``)."""
    geojson = json.loads(
        (resources.files("frictionless") / "assets" / "profiles" / "geojson.json").read_text()
    )
    registry = Registry().with_resource(
        GEOJSON, Resource.from_contents(geojson, default_specification=DRAFT4)
    )
    return jsonschema.Draft4Validator(_profile(), registry=registry)


@cache
def _table_schema(name: str) -> dict:
    schema = json.loads((PROFILE / f"{name}-table-schema.json").read_text())
    schema.pop("foreignKeys", None)  # checked by the join below, without a package
    return schema


def _descriptor(archive: zipfile.ZipFile) -> dict:
    info = rows.member(archive, "datapackage.json")
    if info.file_size > MAX_DESCRIPTOR:
        raise ProcessingError("camtrap_bad_descriptor", error="datapackage.json > 5 MB")
    try:
        with archive.open(info) as handle:
            descriptor = json.load(handle)
    except (ValueError, UnicodeDecodeError) as error:
        raise ProcessingError("camtrap_bad_descriptor", error=str(error)[:200]) from None
    if not isinstance(descriptor, dict):
        raise ProcessingError("camtrap_bad_descriptor", error="not an object")
    base = dict(descriptor, profile="data-package")
    base.pop("$schema", None)
    report = frictionless.Package.validate_descriptor(base)
    if not report.valid:
        raise ProcessingError("camtrap_bad_descriptor", error=report.flatten(["note"])[0][0][:200])
    try:
        _validator().validate(descriptor)
    except jsonschema.ValidationError as error:
        where = "/".join(str(part) for part in error.absolute_path) or "(root)"
        raise ProcessingError(
            "camtrap_bad_descriptor", error=f"{where}: {error.message}"[:200]
        ) from None
    return descriptor


def _resource_path(descriptor: dict, name: str) -> str:
    for resource in descriptor.get("resources", []):
        if resource.get("name") == name:
            path = resource.get("path")
            return path if isinstance(path, str) else (path or [""])[0]
    raise ProcessingError("archive_member_missing", name=f"{name}.csv")


def _check_table(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bool:
    """Validate the first ``CHECKED_ROWS`` rows of a table with Frictionless; return
    whether the table has more rows than that."""
    longer = False
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / f"{name}.csv"
        with copy.open("w", newline="", encoding="utf-8") as output:
            writer = csv.writer(output)
            for index, row in enumerate(rows.read_rows(archive, info, skip=0)):
                if index > CHECKED_ROWS:
                    longer = True
                    break
                writer.writerow(row)
        resource = frictionless.Resource(
            path=copy.name,
            schema=frictionless.Schema.from_descriptor(_table_schema(name)),
            basepath=folder,
            # Fields are matched by name: a package may leave out optional columns.
            detector=frictionless.Detector(schema_sync=True),
        )
        report = resource.validate(limit_errors=1)
    if not report.valid:
        [error] = report.tasks[0].errors[:1]
        raise ProcessingError(
            "camtrap_bad_table",
            name=name,
            row=getattr(error, "row_number", None) or 1,
            error=error.note[:200],
        )
    return longer


def _instant(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def _deployments(archive: zipfile.ZipFile, info: zipfile.ZipInfo):
    """Return each deployment's (day, latitude, longitude), the period and the camera-days."""
    places: dict[str, tuple[str, str, str]] = {}
    first: date | None = None
    last: date | None = None
    seconds = 0.0
    reader = rows.read_rows(archive, info, skip=0)
    header = next(reader, None) or []
    index = {name.strip(): position for position, name in enumerate(header)}
    for row in reader:
        cell = {name: row[i] if i < len(row) else "" for name, i in index.items()}.get
        if len(places) >= MAX_DEPLOYMENTS:
            raise ProcessingError("dwca_too_many_events", max=MAX_DEPLOYMENTS)
        start, end = _instant(cell("deploymentStart") or ""), _instant(cell("deploymentEnd") or "")
        places[cell("deploymentID") or ""] = (
            (cell("deploymentStart") or "")[:10],
            cell("latitude") or "",
            cell("longitude") or "",
        )
        if start and end and end >= start:
            seconds += (end - start).total_seconds()
            first = min(first, start.date()) if first else start.date()
            last = max(last, end.date()) if last else end.date()
    return places, first, last, round(seconds / 86400, 1)


def _detections(archive, info, places):
    """Yield each event-level animal observation in ``rows.HEADER``'s order, at its place."""
    reader = rows.read_rows(archive, info, skip=0)
    header = [name.strip() for name in next(reader, None) or []]
    at = {name: position for position, name in enumerate(header)}
    needed = ("observationID", "deploymentID", "eventStart", "scientificName")
    if any(name not in at for name in needed):
        raise ProcessingError(
            "archive_member_missing", name="observations.csv: " + ", ".join(needed)
        )
    ident, deployment, start, name = (at[n] for n in needed)
    level, kind, count = at.get("observationLevel"), at.get("observationType"), at.get("count")
    width = len(header)
    for number, row in enumerate(reader, start=2):
        if len(row) < width:
            row = row + [""] * (width - len(row))
        if level is not None and row[level] not in ("event", ""):
            continue
        if kind is not None and row[kind] != "animal":
            continue
        place = places.get(row[deployment])
        if place is None:
            raise ProcessingError("camtrap_unknown_deployment", row=number)
        yield [
            row[ident],
            row[name],
            row[start],
            place[1],
            place[2],
            row[count] if count is not None else "",
        ]


def profile_camtrap(
    path: Source, known_species: NameResolver, on_points=None
) -> tuple[Profile, dict]:
    """Validate and profile the Camtrap DP package at ``path``; return its profile and
    metadata (deployments, camera-days, the period, and warnings to keep)."""
    with path.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        descriptor = _descriptor(archive)
        infos = {
            name: rows.member(archive, _resource_path(descriptor, name).rsplit("/", 1)[-1])
            for name in ("deployments", "media", "observations")
        }
        longer = [_check_table(archive, info, name) for name, info in infos.items()]
        places, first, last, camera_days = _deployments(archive, infos["deployments"])
        running = rows.table(known_species, on_points, "camtrap-dp")
        rows.feed(running, _detections(archive, infos["observations"], places))
    profile = running.profile()
    profile.format = "camtrap-dp"
    if first and last:
        profile.date_start = min(first, profile.date_start or first)
        profile.date_end = max(last, profile.date_end or last)
    metadata: dict = {
        "deployments": len(places),
        "camera_days": camera_days,
        "title": str(descriptor.get("title", ""))[:300],
    }
    if any(longer):
        metadata["warnings"] = [stored("camtrap_checked_rows", rows=CHECKED_ROWS)]
    return profile, metadata
