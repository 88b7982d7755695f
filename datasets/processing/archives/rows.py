"""What the archive readers share: the columns they profile, and reading a member's rows."""

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator

from datasets.processing import ProcessingError
from datasets.processing.tabular.columns import MAX_FIELD
from datasets.processing.tabular.table import _Table
from species.names import NameResolver

#: The columns an archive's records are profiled as, whatever the archive names them: the
#: names a CSV in Darwin Core would give them, so that the table reads them as one.
HEADER = [
    "occurrenceID",
    "scientificName",
    "eventDate",
    "decimalLatitude",
    "decimalLongitude",
    "individualCount",
]


def table(known_species: NameResolver, on_points, fmt: str) -> _Table:
    """Return a running profile over ``HEADER`` whose points are sent as format ``fmt``."""
    running = _Table(list(HEADER), "\t", known_species, on_points)
    running.format = fmt
    return running


def member(archive: zipfile.ZipFile, name: str) -> zipfile.ZipInfo:
    """Return the member of ``archive`` called ``name`` (in any folder); raise if missing."""
    for info in archive.infolist():
        if info.filename == name or info.filename.endswith("/" + name):
            return info
    raise ProcessingError("archive_member_missing", name=name[:100])


def read_rows(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    *,
    delimiter: str = ",",
    quote: str | None = '"',
    skip: int = 1,
    encoding: str = "utf-8",
) -> Iterator[list[str]]:
    """Yield the rows of member ``info`` one at a time, after its ``skip`` header lines."""
    csv.field_size_limit(MAX_FIELD)
    with archive.open(info) as raw:
        text = io.TextIOWrapper(
            raw, encoding=encoding + "-sig" if encoding == "utf-8" else encoding, newline=""
        )
        reader = csv.reader(
            text,
            delimiter=delimiter,
            quotechar=quote or '"',
            quoting=csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE,
        )
        try:
            for number, row in enumerate(reader):
                if number >= skip:
                    yield row
        except csv.Error as error:
            raise ProcessingError(
                "member_unreadable", name=info.filename[:100], error=str(error)[:200]
            ) from None
        except UnicodeDecodeError:
            raise ProcessingError("member_not_utf8", name=info.filename[:100]) from None
        except LookupError:
            raise ProcessingError("unknown_encoding", encoding=encoding[:40]) from None


def header_row(archive: zipfile.ZipFile, info: zipfile.ZipInfo, **options) -> list[str]:
    """Return the first row of member ``info`` (its header), stripped."""
    for row in read_rows(archive, info, skip=0, **options):
        return [name.strip() for name in row]
    raise ProcessingError("member_empty", name=info.filename[:100])


def feed(running: _Table, parts: Iterable[tuple[str, list]]) -> None:
    """Profile ``parts``, each ("columns", the Arrow arrays of ``HEADER``'s columns) or
    ("rows", rows in ``HEADER``'s order); stop at the problems' cap."""
    for kind, part in parts:
        if kind == "columns":
            going = running.add_strings(part)
        else:
            going = all(running.add_rows(part[at : at + 5000]) for at in range(0, len(part), 5000))
        if not going:
            return
