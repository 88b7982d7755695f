"""Darwin Core Archive in: ``meta.xml`` read, the occurrences streamed, ``eml.xml`` summarized.

The core is an Occurrence table, or an Event table with an Occurrence extension: then each
occurrence takes the date and place of its event where it gives none of its own (GBIF's
sampling-event archives put them on the event). The event core is held in memory, keyed by
``eventID``; the occurrences stream.
"""

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from datasets.processing import ProcessingError, Source
from datasets.processing.archives import rows
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


def _events(archive: zipfile.ZipFile, core: Table) -> dict[str, tuple[str, str, str]]:
    """Return the date and place of each event of the core, by its identifier."""
    events: dict[str, tuple[str, str, str]] = {}
    key = core.key if core.key is not None else core.fields.get("eventID")
    for row in _rows(archive, core):
        if key is None or key >= len(row):
            continue
        if len(events) >= MAX_EVENTS:
            raise ProcessingError("dwca_too_many_events", max=MAX_EVENTS)
        events[row[key]] = (
            _cell(row, core, "eventDate"),
            _cell(row, core, "decimalLatitude"),
            _cell(row, core, "decimalLongitude"),
        )
    return events


def _rows(archive: zipfile.ZipFile, table: Table) -> Iterator[list[str]]:
    return rows.read_rows(
        archive,
        rows.member(archive, table.location),
        delimiter=table.delimiter,
        quote=table.quote,
        skip=table.skip,
        encoding=table.encoding,
    )


def _records(
    archive: zipfile.ZipFile, table: Table, events: dict[str, tuple[str, str, str]] | None
) -> Iterator[list[str]]:
    """Yield each occurrence of ``table`` in ``rows.HEADER``'s order."""
    names = rows.HEADER
    for row in _rows(archive, table):
        values = [_cell(row, table, name) for name in names]
        if events is not None and table.key is not None and table.key < len(row):
            event = events.get(row[table.key])
            if event is not None:
                day, latitude, longitude = event
                if not values[2]:
                    values[2] = day
                if not (values[3] or values[4]):
                    values[3], values[4] = latitude, longitude
        yield values


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
