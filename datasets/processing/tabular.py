"""Streaming validation and profiling of tables: CSV, Darwin Core, Camtrap DP, Movebank.

Rows are read one at a time with the csv module, so memory stays constant whatever the
file's size. Problems are reported in words a researcher can act on, with row numbers.
"""

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.utils.translation import gettext as _

from datasets.processing import ProcessingError

MAX_FIELD = 1024 * 1024
MAX_COLUMNS = 500
MAX_ERRORS = 5

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
FORMATS = {
    "movebank": [
        ("timestamp",),
        ("location-long", "location_long"),
        ("location-lat", "location_lat"),
    ],
    "camtrap-deployments": [("deploymentID",), ("latitude",), ("longitude",), ("deploymentStart",)],
    "camtrap-observations": [("observationID",), ("deploymentID",), ("eventStart",)],
    "darwin-core": [("scientificName",), ("decimalLatitude",), ("decimalLongitude",)],
}


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
    errors: list[str] = field(default_factory=list)


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


def open_text(path: Path):
    """Open ``path`` as UTF-8 text (BOM allowed); report any other encoding clearly."""
    with path.open("rb") as handle:
        head = handle.read(65536)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:
            raise ProcessingError(
                _(
                    "The table is not UTF-8 (it looks like %(encoding)s). Save it as "
                    "“CSV UTF-8” and upload it again."
                )
                % {"encoding": _guess_encoding(head)}
            ) from None
    return io.TextIOWrapper(path.open("rb"), encoding="utf-8-sig", errors="strict", newline="")


def profile_rows(rows, known_species: dict[str, str], on_point=None) -> Profile:
    """Validate and profile an iterator of CSV rows whose first row is the header.

    ``on_point(format, row, scientific_name, species_code, day, latitude, longitude)`` is called for
    each row with valid coordinates, so that the caller can store the points as it goes.
    """
    profile = Profile()
    try:
        header = [name.strip() for name in next(rows)]
    except StopIteration:
        raise ProcessingError(_("The table is empty.")) from None
    if len(header) > MAX_COLUMNS:
        raise ProcessingError(
            _("The table has %(n)d columns; the hub reads at most %(max)d.")
            % {"n": len(header), "max": MAX_COLUMNS}
        )
    profile.columns = header
    profile.format = detect_format(header)
    lat, lon = _first(header, LATITUDE), _first(header, LONGITUDE)
    when, name, count = _first(header, DATE), _first(header, NAME), _first(header, COUNT)
    south = west = 999.0
    north = east = -999.0
    first = last = None
    for number, row in enumerate(rows, start=2):
        profile.rows += 1
        point = None
        day = None
        scientific = ""
        code = None
        if lat is not None and lon is not None and len(row) > max(lat, lon):
            raw_lat, raw_lon = row[lat].strip(), row[lon].strip()
            if raw_lat and raw_lon:
                try:
                    y, x = float(raw_lat), float(raw_lon)
                except ValueError:
                    profile.errors.append(
                        _("row %(row)s: the coordinates “%(lat)s, %(lon)s” are not numbers")
                        % {"row": f"{number:,}", "lat": raw_lat[:30], "lon": raw_lon[:30]}
                    )
                else:
                    if not -90 <= y <= 90:
                        profile.errors.append(
                            _("row %(row)s: latitude %(value)s is outside −90..90")
                            % {"row": f"{number:,}", "value": raw_lat[:30]}
                        )
                    elif not -180 <= x <= 180:
                        profile.errors.append(
                            _("row %(row)s: longitude %(value)s is outside −180..180")
                            % {"row": f"{number:,}", "value": raw_lon[:30]}
                        )
                    else:
                        south, north = min(south, y), max(north, y)
                        west, east = min(west, x), max(east, x)
                        point = (number, y, x)
        if when is not None and len(row) > when:
            try:
                day = _parse_date(row[when])
            except ValueError:
                profile.errors.append(
                    _("row %(row)s: “%(value)s” is not a date (use YYYY-MM-DD)")
                    % {"row": f"{number:,}", "value": row[when][:40]}
                )
            else:
                if day:
                    first = day if first is None or day < first else first
                    last = day if last is None or day > last else last
        if name is not None and len(row) > name and row[name].strip():
            scientific = row[name].strip()
            amount = 1
            if count is not None and len(row) > count and row[count].strip().isdigit():
                amount = int(row[count])
            code = known_species.get(scientific.lower())
            if code:
                profile.species[code] += amount
            else:
                profile.unknown_species[scientific[:100]] += amount
        if point is not None and on_point is not None and not profile.errors:
            on_point(profile.format, number, scientific, code, day, point[1], point[2])
        if len(profile.errors) >= MAX_ERRORS:
            break
    if north >= south:
        profile.bbox = [west, south, east, north]
    profile.date_start, profile.date_end = first, last
    return profile


def profile_csv(path: Path, known_species: dict[str, str], on_point=None) -> Profile:
    """Validate and profile the CSV or TSV table at ``path``."""
    csv.field_size_limit(MAX_FIELD)
    with open_text(path) as text:
        sample = text.read(65536)
        text.seek(0)
        first_line = sample.split("\n", 1)[0]
        delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
        try:
            return profile_rows(csv.reader(text, delimiter=delimiter), known_species, on_point)
        except csv.Error as error:
            raise ProcessingError(
                _("The table cannot be read: %(error)s") % {"error": error}
            ) from None
        except UnicodeDecodeError:
            raise ProcessingError(
                _("Part of the table is not UTF-8. Save it as “CSV UTF-8” and upload it again.")
            ) from None
