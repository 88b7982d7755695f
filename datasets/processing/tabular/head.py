"""The head of a table: its columns' types and fill rates, and its first rows.

Read with the csv module from the start of the file, at most ``PROFILE_SAMPLE`` rows: cheap
whatever the file's size, and the full scan (``scan.profile_csv``) stays untouched. For a
table longer than the sample, types and fill rates describe its first rows, and say so.
"""

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice

from datasets.models import PREVIEW_ROWS, PROFILE_SAMPLE, ColumnType
from datasets.processing import Source
from datasets.processing.tabular.columns import MAX_COLUMNS, MAX_FIELD, open_text

#: The longest cell kept in a preview; longer values end with an ellipsis.
MAX_CELL = 200

_INTEGER = re.compile(r"[+-]?\d{1,18}")
_DECIMAL = re.compile(r"[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?")
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2}([T ][0-9:.+\-Z]*)?)?)?(/\S+)?")
_BOOLEAN = {"true", "false", "yes", "no", "t", "f", "y", "n"}


@dataclass
class Head:
    header: list[str] = field(default_factory=list)
    #: [{"name", "type", "filled"}] over ``sampled`` rows.
    columns: list[dict] = field(default_factory=list)
    sampled: int = 0
    rows: list[list[str]] = field(default_factory=list)


def _kind(value: str) -> str:
    if _INTEGER.fullmatch(value):
        return ColumnType.INTEGER.value
    if _DECIMAL.fullmatch(value):
        return ColumnType.DECIMAL.value
    if _DATE.fullmatch(value) and len(value) >= 7:
        return ColumnType.DATE.value
    if value.lower() in _BOOLEAN:
        return ColumnType.BOOLEAN.value
    return ColumnType.TEXT.value


def _column_type(kinds: set[str]) -> str:
    """Return the one type of a column whose values were of ``kinds``."""
    if not kinds:
        return ColumnType.EMPTY.value
    if len(kinds) == 1:
        return next(iter(kinds))
    if kinds == {ColumnType.INTEGER.value, ColumnType.DECIMAL.value}:
        return ColumnType.DECIMAL.value
    return ColumnType.TEXT.value


def _cell(value: str) -> str:
    return value if len(value) <= MAX_CELL else value[: MAX_CELL - 1] + "…"


def _readable(reader) -> Iterator[list[str]]:
    """Yield the rows of ``reader`` up to the first it cannot read.

    The full scan has already reported what is wrong with such a table.
    """
    try:
        yield from reader
    except csv.Error:
        return


def read_head(path: Source, *, keep: int = PREVIEW_ROWS, sample: int = PROFILE_SAMPLE) -> Head:
    """Return the head of the table at ``path``: column profile over ``sample`` rows, ``keep`` rows.

    The table was validated by the full scan before this runs; a row the csv module cannot
    read ends the sample there.
    """
    csv.field_size_limit(MAX_FIELD)
    with open_text(path) as text:
        first_line = text.readline()
        delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
        text.seek(0)
        reader = csv.reader(text, delimiter=delimiter)
        header = [name.strip() for name in next(reader, [])][:MAX_COLUMNS]
        width = len(header)
        filled = [0] * width
        kinds: list[set[str]] = [set() for _ in range(width)]
        head = Head(header=header)
        for row in islice(_readable(reader), sample):
            head.sampled += 1
            if len(head.rows) < keep:
                head.rows.append([_cell(value) for value in row[:width]])
            for index, value in enumerate(row[:width]):
                value = value.strip()
                if value:
                    filled[index] += 1
                    if len(kinds[index]) < 3:
                        kinds[index].add(_kind(value))
    head.columns = [
        {
            "name": name,
            "type": _column_type(kinds[index]),
            "filled": round(filled[index] / head.sampled, 4) if head.sampled else 0.0,
        }
        for index, name in enumerate(header)
    ]
    return head
