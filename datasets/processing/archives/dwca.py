"""Darwin Core Archive in: ``meta.xml`` read, the occurrences streamed, ``eml.xml`` summarized.

The core is an Occurrence table, or an Event table with an Occurrence extension: then each
occurrence takes the date and place of its event where it gives none of its own (GBIF's
sampling-event archives put them on the event). The event core is held in memory, keyed by
``eventID``; the occurrences stream.
"""

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from lxml import etree

from datasets.processing import ProcessingError, Source
from datasets.processing.archives import rows, stream
from datasets.processing.tabular.columns import Profile
from species.names import NameResolver

DWC = "http://rs.tdwg.org/dwc/terms/"
OCCURRENCE = DWC + "Occurrence"
EVENT = DWC + "Event"
#: meta.xml's namespace (GBIF's text guide).
TEXT = "{http://rs.tdwg.org/dwc/text/}"
#: Most events an Event core may hold: they are kept in memory to be joined.
MAX_EVENTS = 1_000_000
#: Longest text kept from the EML for a field of the dataset's description.
MAX_TEXT = 5000

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass
class Table:
    """One data file of the archive as ``meta.xml`` describes it."""

    location: str
    row_type: str
    delimiter: str = ","
    quote: str | None = '"'
    skip: int = 0
    encoding: str = "utf-8"
    key: int | None = None
    #: Index of each term's column, by the term's short name (``decimalLatitude``).
    fields: dict[str, int] = field(default_factory=dict)
    #: Values of terms the file does not hold, for every row.
    defaults: dict[str, str] = field(default_factory=dict)


def _unescape(value: str) -> str:
    return value.replace("\\t", "\t").replace("\\n", "\n").replace("\\r", "\r")


def _table(element) -> Table:
    location = element.findtext(f"{TEXT}files/{TEXT}location") or ""
    if not location.strip():
        raise ProcessingError("dwca_bad_meta")
    quote = _unescape(element.get("fieldsEnclosedBy", '"'))
    try:
        skip = int(element.get("ignoreHeaderLines", "0") or 0)
    except ValueError:
        raise ProcessingError("dwca_bad_meta") from None
    table = Table(
        location=location.strip(),
        row_type=element.get("rowType", ""),
        delimiter=_unescape(element.get("fieldsTerminatedBy", ",")) or ",",
        quote=quote or None,
        skip=skip,
        encoding=(element.get("encoding") or "utf-8").lower().replace("utf8", "utf-8"),
    )
    if len(table.delimiter) != 1 or (table.quote is not None and len(table.quote) != 1):
        raise ProcessingError("dwca_bad_meta")
    key = element.find(f"{TEXT}id")
    if key is None:
        key = element.find(f"{TEXT}coreid")
    if key is not None and (key.get("index") or "").isdecimal():
        table.key = int(key.get("index"))
    for term in element.iter(f"{TEXT}field"):
        name = (term.get("term") or "").rstrip("/").rsplit("/", 1)[-1]
        index = term.get("index")
        if index is not None and index.isdecimal():
            table.fields.setdefault(name, int(index))
        elif term.get("default") is not None:
            table.defaults.setdefault(name, term.get("default"))
    return table


def read_meta(archive: zipfile.ZipFile) -> tuple[Table, list[Table], str]:
    """Return the core, the extensions and the metadata file's name of the archive."""
    info = rows.member(archive, "meta.xml")
    try:
        with archive.open(info) as handle:
            root = etree.parse(handle, _PARSER).getroot()
    except etree.XMLSyntaxError:
        raise ProcessingError("dwca_bad_meta") from None
    core = root.find(f"{TEXT}core")
    if core is None:
        raise ProcessingError("dwca_bad_meta")
    extensions = [_table(element) for element in root.findall(f"{TEXT}extension")]
    return _table(core), extensions, root.get("metadata") or ""


def _cell(row: list[str], table: Table, name: str) -> str:
    index = table.fields.get(name)
    if index is not None and index < len(row):
        return row[index]
    return table.defaults.get(name, "")


@dataclass
class Events:
    """The date and place of each event of an Event core, by its identifier: as a dict for
    rows read one at a time, as Arrow arrays (in the dict's order) for columns."""

    by_id: dict[str, tuple[str, str, str]]
    arrays: list[pa.Array] = field(default_factory=list)


def _layout(table: Table) -> stream.Layout:
    return stream.Layout(table.delimiter, table.quote, table.skip, table.encoding)


def _column(part: pa.Table, table: Table, name: str) -> pa.Array:
    """Return the text of term ``name`` in each row of ``part`` (its default if none)."""
    index = table.fields.get(name)
    default = table.defaults.get(name, "")
    if index is None or name == "occurrenceID":  # the profile does not read identifiers
        return pa.repeat(pa.scalar(default, pa.string()), part.num_rows)
    column = part.column(str(index)).combine_chunks()
    return pc.fill_null(column, default) if column.null_count else column


def _events(archive: zipfile.ZipFile, core: Table) -> Events:
    """Return the date and place of each event of the core, by its identifier."""
    events: dict[str, tuple[str, str, str]] = {}
    key = core.key if core.key is not None else core.fields.get("eventID")
    if key is None:
        return Events(events)
    terms = ("eventDate", "decimalLatitude", "decimalLongitude")
    wanted = sorted({key, *(core.fields[t] for t in terms if t in core.fields)})
    for kind, part in _parts(archive, core, wanted):
        if kind == "rows":
            found: list[tuple[str, tuple[str, str, str]]] = [
                (
                    row[key],
                    (
                        _cell(row, core, terms[0]),
                        _cell(row, core, terms[1]),
                        _cell(row, core, terms[2]),
                    ),
                )
                for row in part
                if key < len(row)
            ]
        else:
            if part.column(str(key)).null_count:
                continue  # the rows do not reach the identifier's column
            ids = part.column(str(key)).to_pylist()
            cells = zip(*(_column(part, core, t).to_pylist() for t in terms), strict=True)
            found = list(zip(ids, cells, strict=True))
        events.update(found)
        if len(events) > MAX_EVENTS:
            raise ProcessingError("dwca_too_many_events", max=MAX_EVENTS)
    values = list(events.values())
    arrays = [pa.array(list(events), pa.string())]
    arrays += [pa.array([value[i] for value in values], pa.string()) for i in range(3)]
    return Events(events, arrays)


def _parts(archive: zipfile.ZipFile, table: Table, wanted: list[int]) -> Iterator[tuple[str, Any]]:
    """Yield the rows of ``table`` in parts: ("columns", an Arrow table of the ``wanted``
    columns) or ("rows", rows read one at a time)."""
    info = rows.member(archive, table.location)
    for part in stream.parts(archive, info, _layout(table), wanted):
        yield ("rows", part) if isinstance(part, list) else ("columns", part)


def _joined(values: list[pa.Array], keys: pa.Array, events: Events) -> list[pa.Array]:
    """Give each occurrence of ``values`` its event's date, and its event's place, where
    it gives none of its own."""
    ids, days, latitudes, longitudes = events.arrays
    at = pc.index_in(keys, value_set=ids)
    day, latitude, longitude = (
        pc.fill_null(pc.take(a, at), "") for a in (days, latitudes, longitudes)
    )
    undated = pc.equal(values[2], "")
    unplaced = pc.and_(pc.equal(values[3], ""), pc.equal(values[4], ""))
    values[2] = pc.if_else(undated, day, values[2])
    values[3] = pc.if_else(unplaced, latitude, values[3])
    values[4] = pc.if_else(unplaced, longitude, values[4])
    return values


def _records(
    archive: zipfile.ZipFile, table: Table, events: Events | None
) -> Iterator[tuple[str, list]]:
    """Yield the occurrences of ``table`` in parts, in ``rows.HEADER``'s order: ("columns",
    Arrow arrays) or ("rows", lists of text)."""
    names = rows.HEADER
    key = table.key if events is not None else None
    wanted = sorted(
        {
            *(table.fields[n] for n in names[1:] if n in table.fields),
            *([] if key is None else [key]),
        }
    )
    for kind, part in _parts(archive, table, wanted):
        if kind == "columns":
            values = [_column(part, table, name) for name in names]
            if events is not None and key is not None and events.arrays:
                keys = part.column(str(key)).combine_chunks()
                values = _joined(values, keys, events)
            yield "columns", values
        else:
            yield "rows", [_row(row, table, key, events) for row in part]


def _row(row: list[str], table: Table, key: int | None, events: Events | None) -> list[str]:
    values = [_cell(row, table, name) for name in rows.HEADER]
    if events is not None and key is not None and key < len(row):
        event = events.by_id.get(row[key])
        if event is not None:
            day, latitude, longitude = event
            if not values[2]:
                values[2] = day
            if not (values[3] or values[4]):
                values[3], values[4] = latitude, longitude
    return values


def _text(element) -> str:
    if element is None:
        return ""
    paragraphs = [" ".join("".join(node.itertext()).split()) for node in element.iter("para")]
    text = "\n\n".join(p for p in paragraphs if p) or " ".join("".join(element.itertext()).split())
    return text[:MAX_TEXT]


def eml_summary(archive: zipfile.ZipFile, name: str) -> dict:
    """Return what the archive's EML says that a dataset's description may take.

    Empty when the archive has no EML or one that cannot be read: the metadata is offered,
    not required.
    """
    try:
        info = rows.member(archive, name or "eml.xml")
    except ProcessingError:
        return {}
    try:
        with archive.open(info) as handle:
            root = etree.parse(handle, _PARSER).getroot()
    except etree.XMLSyntaxError:
        return {}
    dataset = root.find("dataset")
    if dataset is None:
        return {}
    summary = {
        "title": " ".join((dataset.findtext("title") or "").split())[:300],
        "abstract": _text(dataset.find("abstract")),
        "methods": _text(dataset.find("methods")),
        "rights": _text(dataset.find("intellectualRights")),
        "keywords": sorted(
            {" ".join((k.text or "").split())[:100] for k in dataset.iter("keyword") if k.text}
        )[:50],
        "temporal_start": (
            dataset.findtext("coverage/temporalCoverage//beginDate/calendarDate")
            or dataset.findtext("coverage/temporalCoverage/singleDateTime/calendarDate")
            or ""
        ).strip()[:10],
        "temporal_end": (
            dataset.findtext("coverage/temporalCoverage//endDate/calendarDate") or ""
        ).strip()[:10],
    }
    return {key: value for key, value in summary.items() if value}


def profile_dwca(path: Source, known_species: NameResolver, on_points=None) -> tuple[Profile, dict]:
    """Validate and profile the Darwin Core Archive at ``path``; return its profile and
    metadata (``{"eml": ...}`` when it has EML)."""
    with path.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        core, extensions, metadata_name = read_meta(archive)
        running = rows.table(known_species, on_points, "darwin-core")
        if core.row_type == OCCURRENCE:
            rows.feed(running, _records(archive, core, None))
        elif core.row_type == EVENT:
            occurrences = next((t for t in extensions if t.row_type == OCCURRENCE), None)
            if occurrences is None:
                raise ProcessingError("dwca_no_occurrences")
            rows.feed(running, _records(archive, occurrences, _events(archive, core)))
        else:
            raise ProcessingError(
                "dwca_core_unsupported", row_type=core.row_type.rsplit("/", 1)[-1][:60]
            )
        eml = eml_summary(archive, metadata_name)
    profile = running.profile()
    profile.format = "dwca"
    return profile, ({"eml": eml} if eml else {})
