"""Camtrap DP in: the package validated against the profile, observations joined to deployments.

The descriptor is checked with Frictionless (a Data Package) and against the Camtrap DP
profile (its JSON Schema, shipped in ``schemas/camtrap-dp-1.0.2`` with its licence: nothing
is fetched). The deployments table, and the first ``CHECKED_ROWS`` rows of the media and
observations tables, are validated by Frictionless against the Camtrap DP table schemas;
this is done aside, in a second process (``aside``), while this one reads every observation,
streamed by Arrow (``stream``): each event-level detection of an animal becomes an
occurrence at its deployment's place, a camera station (withheld from people who may not
download). The deployments' period is the file's coverage; their camera-days its effort.
A problem the check finds is said before any the reading finds, as if checked first.
"""

import csv
import dataclasses
import functools
import json
import tempfile
import zipfile
from datetime import date, datetime
from functools import cache, partial
from importlib import resources
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from datasets.message_catalog import stored
from datasets.processing import ProcessingError, Source
from datasets.processing.archives import rows, stream
from datasets.processing.archives.aside import Aside
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
def _validator():
    """Return a validator of the profile whose one remote reference, GeoJSON, is read from
    the copy Frictionless ships (``frictionless/assets/profiles/geojson.json``)."""
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

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
    """Return the package's descriptor, read but not yet checked (see ``_check_descriptor``)."""
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
    return descriptor


def _check_descriptor(descriptor: dict) -> None:
    """Check the descriptor as a Data Package, then against the Camtrap DP profile."""
    import frictionless  # imported where used: some 15 MB, needed by the checking process only
    import jsonschema

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


def _members(archive: zipfile.ZipFile, descriptor: dict) -> dict[str, zipfile.ZipInfo]:
    """Return the members holding the deployments, media and observations tables."""
    return {
        name: rows.member(archive, _resource_path(descriptor, name).rsplit("/", 1)[-1])
        for name in ("deployments", "media", "observations")
    }


def _resource_path(descriptor: dict, name: str) -> str:
    resources = descriptor.get("resources")
    for resource in resources if isinstance(resources, list) else []:
        if isinstance(resource, dict) and resource.get("name") == name:
            path = resource.get("path")
            path = path if isinstance(path, str) else (path or [""])[0]
            if isinstance(path, str):
                return path
    raise ProcessingError("archive_member_missing", name=f"{name}.csv")


def _check_table(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bool:
    """Validate the first ``CHECKED_ROWS`` rows of a table with Frictionless; return
    whether the table has more rows than that."""
    import frictionless

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


def _check_package(path: Source) -> bool:
    """Check the package at ``path``: its descriptor, then its tables (``_check_table``);
    return whether a table has more rows than were checked.

    Done aside while every observation is read: Frictionless takes about 10 seconds for
    the ``CHECKED_ROWS`` rows, as long as reading a gigabyte of observations with Arrow,
    which is why the other rows are not checked by it (they are read, each detection's
    values checked by the profile, and every deployment it names checked to exist).
    """
    with path.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        descriptor = _descriptor(archive)
        _check_descriptor(descriptor)
        infos = _members(archive, descriptor)
        return any([_check_table(archive, info, name) for name, info in infos.items()])


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
    """Yield the event-level animal observations in parts, in ``rows.HEADER``'s order, each
    at its deployment's place: ("columns", Arrow arrays) or ("rows", lists of text)."""
    header = rows.header_row(archive, info)
    at = {name: position for position, name in enumerate(header)}
    needed = ("observationID", "deploymentID", "eventStart", "scientificName")
    if any(name not in at for name in needed):
        raise ProcessingError(
            "archive_member_missing", name="observations.csv: " + ", ".join(needed)
        )
    where = _Where(
        *(at[n] for n in needed), at.get("observationLevel"), at.get("observationType"),
        at.get("count"), places,
    )  # fmt: skip
    # The profile does not read identifiers: Arrow leaves observationID out.
    wanted = sorted(i for i in dataclasses.astuple(where)[1:7] if i is not None)
    number = 2  # of the part's first row in the file, its header being row 1
    for part in stream.parts(archive, info, stream.Layout(), wanted):
        if isinstance(part, list):
            yield "rows", list(_detected_rows(part, len(header), where, number))
            number += len(part)
        else:
            yield "columns", _detected_columns(part, where, number)
            number += part.num_rows


@dataclasses.dataclass
class _Where:
    """Where an observation's values are (column positions), and the deployments' places."""

    ident: int
    deployment: int
    start: int
    name: int
    level: int | None
    kind: int | None
    count: int | None
    places: dict[str, tuple[str, str, str]]

    @functools.cached_property
    def arrays(self) -> list[pa.Array]:
        """The deployments' identifiers, latitudes and longitudes (numbers, unless one of
        them is not: then text, for the profile to word the problem)."""
        ids = pa.array(list(self.places), pa.string())
        places = [
            pa.array([place[i].strip() for place in self.places.values()], pa.string())
            for i in (1, 2)
        ]
        try:
            places = [pc.cast(place, pa.float64()) for place in places]
        except pa.ArrowInvalid:
            places = [pa.array([p[i] for p in self.places.values()], pa.string()) for i in (1, 2)]
        return [ids, *places]


def _detected_rows(part: list[list[str]], width: int, where: _Where, first: int):
    """Yield each detection of ``part`` (rows read one at a time, the first being row
    ``first`` of the file) in ``rows.HEADER``'s order."""
    level, kind, count = where.level, where.kind, where.count
    for number, row in enumerate(part, start=first):
        if len(row) < width:
            row = row + [""] * (width - len(row))
        if level is not None and row[level] not in ("event", ""):
            continue
        if kind is not None and row[kind] != "animal":
            continue
        place = where.places.get(row[where.deployment])
        if place is None:
            raise ProcessingError("camtrap_unknown_deployment", row=number)
        yield [
            row[where.ident],
            row[where.name],
            row[where.start],
            place[1],
            place[2],
            row[count] if count is not None else "",
        ]


def _detected_columns(part: pa.Table, where: _Where, number: int) -> list[pa.Array]:
    """Return the detections of ``part`` (read by Arrow, the first row being row ``number``
    of the file) as ``rows.HEADER``'s columns."""

    def column(index: int) -> pa.Array:
        values = part.column(str(index)).combine_chunks()
        return pc.fill_null(values, "") if values.null_count else values

    keep = None
    if where.level is not None:
        keep = pc.is_in(column(where.level), value_set=pa.array(["event", ""]))
    if where.kind is not None:
        animal = pc.equal(column(where.kind), "animal")
        keep = animal if keep is None else pc.and_(keep, animal)
    kept = None if keep is None else pc.indices_nonzero(keep)
    if kept is not None and len(kept) == part.num_rows:
        kept = None  # every row is a detection, the usual case: nothing to take

    def detections(index: int) -> pa.Array:
        return column(index) if kept is None else pc.take(column(index), kept)

    ids, latitudes, longitudes = where.arrays
    place = pc.index_in(detections(where.deployment), value_set=ids)
    if place.null_count:
        first = pc.indices_nonzero(pc.is_null(place))[0].as_py()
        offset = first if kept is None else kept[first].as_py()
        raise ProcessingError("camtrap_unknown_deployment", row=number + offset)
    blank = pa.repeat(pa.scalar("", pa.string()), len(place))
    taken = [blank, detections(where.name), detections(where.start)]
    taken += [pc.take(latitudes, place), pc.take(longitudes, place)]
    taken.append(blank if where.count is None else detections(where.count))
    return taken


def profile_camtrap(
    path: Source, known_species: NameResolver, on_points=None
) -> tuple[Profile, dict]:
    """Validate and profile the Camtrap DP package at ``path``; return its profile and
    metadata (deployments, camera-days, the period, and warnings to keep)."""
    with path.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        descriptor = _descriptor(archive)
        checked = Aside(path, partial(_check_package, path))
        try:
            infos = _members(archive, descriptor)
            places, first, last, camera_days = _deployments(archive, infos["deployments"])
            running = rows.table(known_species, on_points, "camtrap-dp")
            rows.feed(running, _detections(archive, infos["observations"], places))
            longer = checked.result()
        except ProcessingError:
            checked.result()  # the package's own problem is said first, as when checked first
            raise
        finally:
            checked.cancel()
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
    if longer:
        metadata["warnings"] = [stored("camtrap_checked_rows", rows=CHECKED_ROWS)]
    return profile, metadata
