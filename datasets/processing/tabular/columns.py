"""What the columns of a table mean, how its text is decoded and how problems are worded."""

import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter

from datasets import messages
from datasets.processing import ProcessingError, Source

MAX_FIELD = 1024 * 1024
MAX_COLUMNS = 500
MAX_ERRORS = 5
#: Bytes read at a time; a chunk is extended to the end of its last line.
CHUNK = 2 * 1024 * 1024
#: Tables at least this big, whose points are not stored, are read by two processes.
PARALLEL_MIN = 64 * 1024 * 1024
#: Distinct date strings and names remembered with their parsed value.
CACHE_SIZE = 100_000

#: Alternative names of the columns the profile needs, in order of preference.
LATITUDE = ("decimalLatitude", "location-lat", "location_lat", "latitude", "lat")
LONGITUDE = ("decimalLongitude", "location-long", "location_long", "longitude", "lon", "lng")
DATE = ("eventDate", "timestamp", "eventStart", "deploymentStart", "date")
NAME = (
    "scientificName",
    "individual-taxon-canonical-name",
    "individual_taxon_canonical_name",
    "species",
)
COUNT = ("individualCount", "count")

#: Required columns of each recognized format (any one name of each tuple).
FORMATS: dict[str, list[tuple[str, ...]]] = {
    "movebank": [
        ("timestamp",),
        ("location-long", "location_long"),
        ("location-lat", "location_lat"),
    ],
    "camtrap-deployments": [("deploymentID",), ("latitude",), ("longitude",), ("deploymentStart",)],
    "camtrap-observations": [("observationID",), ("deploymentID",), ("eventStart",)],
    "darwin-core": [("scientificName",), ("decimalLatitude",), ("decimalLongitude",)],
}

#: ``on_points(format, rows, scientific_names, species_codes, days, latitudes, longitudes)``
#: receives the located rows of a table in batches, one sequence per column.
PointsCallback = Callable[..., None]


@dataclass
class Profile:
    format: str = "csv"
    rows: int = 0
    columns: list[str] = field(default_factory=list)
    date_start: date | None = None
    date_end: date | None = None
    bbox: list[float] | None = None
    species: Counter = field(default_factory=Counter)
    unknown_species: Counter = field(default_factory=Counter)
    #: Rows per name as written, with the species it resolved to: {(name, code): rows}.
    names: Counter = field(default_factory=Counter)
    #: Problems found in cells, in the stored form of ``datasets.messages.problem``.
    errors: list[dict] = field(default_factory=list)


def _first(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = {name.lower(): index for index, name in enumerate(header)}
    for name in names:
        if name.lower() in lowered:
            return lowered[name.lower()]
    return None


def detect_format(header: list[str]) -> str:
    lowered = {name.lower() for name in header}
    for name, required in FORMATS.items():
        if all(any(option.lower() in lowered for option in options) for options in required):
            return name
    return "csv"


def _parse_date(value: str) -> date | None:
    """Return the date at the start of ``value`` (ISO 8601, also intervals); None if empty."""
    text = value.strip()
    if not text:
        return None
    if (
        len(text) >= 10
        and text[4] == "-"
        and text[7] == "-"
        and (len(text) == 10 or text[10] in "T ")
    ):
        return date.fromisoformat(text[:10])  # the common case, parsed in C
    if "/" in text and text.count("-") >= 2:  # an ISO 8601 interval: keep its start
        text = text.split("/", 1)[0]
    for length, pattern in ((10, "%Y-%m-%d"), (10, "%Y/%m/%d"), (7, "%Y-%m"), (4, "%Y")):
        # A full date may be followed by a time; a month or a year must stand alone.
        followed_by_time = length == 10 and len(text) > length and text[length] in "T "
        if len(text) == length or followed_by_time:
            try:
                return datetime.strptime(text[:length], pattern).date()
            except ValueError:
                continue
    raise ValueError(value)


_DATE_PREFIX = itemgetter(slice(0, 11))


def _is_timestamp_prefix(prefix: str) -> bool:
    """Return whether ``prefix`` (11 characters) alone decides the date ``_parse_date`` finds.

    It does when a full date is followed by a time: whatever follows is not read.
    """
    return (
        len(prefix) == 11
        and prefix[4] == "-"
        and prefix[7] == "-"
        and prefix[10] in "T "
        and not prefix[0].isspace()
    )


#: Encodings a table may come in, with the script its letters should then be in.
_GUESSES = (
    ("shift_jis", "Shift-JIS", r"[\u3040-\u30ff\u4e00-\u9fff]"),
    ("euc_kr", "EUC-KR", r"[\uac00-\ud7af]"),
    ("gb18030", "GB18030", r"[\u4e00-\u9fff]"),
    ("cp1251", "Windows-1251", r"[\u0400-\u04ff]"),
)


def _guess_encoding(head: bytes) -> str:
    """Return the name of the encoding whose decoding of ``head`` reads most like text.

    Each candidate is scored by the share of its non-ASCII characters that belong to its
    script; on a tie the decoding with fewer characters (a multi-byte one) wins.
    """
    best, best_key = "Latin-1", (0.0, 0, 0)
    for order, (codec, name, script) in enumerate(_GUESSES):
        try:
            text = head.decode(codec)
        except UnicodeDecodeError:
            continue
        foreign = [char for char in text if ord(char) > 127]
        if not foreign:
            continue
        share = len(re.findall(script, "".join(foreign))) / len(foreign)
        key = (share, -len(foreign), -order)
        if key > best_key:
            best, best_key = name, key
    return best


def open_text(path: Source):
    """Open ``path`` as UTF-8 text (BOM allowed); report any other encoding clearly."""
    with path.open("rb") as handle:
        head = handle.read(65536)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:
            raise ProcessingError("not_utf8", encoding=_guess_encoding(head)) from None
    return io.TextIOWrapper(path.open("rb"), encoding="utf-8-sig", errors="strict", newline="")


def _problem(error: tuple, header: list[str], lat: int | None, lon: int | None, when: int | None):
    """Return the stored form of ``error`` (row number, kind, raw values) with its columns."""
    number, kind, *values = error
    index = {"coordinates": [lat, lon], "latitude": [lat], "longitude": [lon]}.get(kind, [when])
    columns = [header[i] for i in index if i is not None and i < len(header)]
    return messages.problem(number, kind, columns, list(values))


def _amount(raw: str) -> int:
    """Return the individual count in ``raw``: 1 unless it holds a whole number."""
    text = raw.strip()
    return int(text) if text.isdecimal() and len(text) <= 18 else 1
