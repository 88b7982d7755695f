"""Reading a block of simple lines of a table with Apache Arrow: only the columns the profile
needs, parsed in C++, checked with Arrow's compute functions.

Each function answers None (or raises nothing) where the block needs the line-by-line
reading, which words the problem; none of them changes the profile.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv


@dataclass(frozen=True)
class Options:
    read: pa_csv.ReadOptions
    parse: pa_csv.ParseOptions
    convert: pa_csv.ConvertOptions


def options(*, width: int, delimiter: str, numbers: list[int], texts: list[int]) -> Options:
    """Return how to read blocks of a table of ``width`` columns.

    The columns at ``numbers`` are read as floats, those at ``texts`` as text, the others
    only counted. Columns are named by their position: header names may repeat.
    """
    wanted = sorted({*numbers, *texts}) or [0]
    return Options(
        read=pa_csv.ReadOptions(
            column_names=[str(index) for index in range(width)],
            use_threads=False,  # a big table is read by two processes already
            block_size=1 << 26,  # one block of Arrow's for each of ours
        ),
        # A blank line is an empty row for the csv module: here it has the wrong width.
        parse=pa_csv.ParseOptions(delimiter=delimiter, quote_char=False, ignore_empty_lines=False),
        convert=pa_csv.ConvertOptions(
            include_columns=[str(index) for index in wanted],
            column_types={
                **{str(index): pa.string() for index in texts},
                **{str(index): pa.float64() for index in numbers},
            },
            strings_can_be_null=False,
        ),
    )


def read(data: bytes, how: Options) -> pa.Table | None:
    """Return the wanted columns of the lines in ``data``; None if a row has another width
    or a number column holds something else than numbers."""
    try:
        return pa_csv.read_csv(
            pa.py_buffer(data),
            read_options=how.read,
            parse_options=how.parse,
            convert_options=how.convert,
        )
    except pa.ArrowInvalid:
        return None


def extent(block: pa.Table, lat: int, lon: int) -> tuple[float, float, float, float] | None:
    """Return (south, north, west, east) of the block's coordinates; None if one is empty,
    not a number or out of range."""
    ys, xs = block.column(str(lat)), block.column(str(lon))
    if ys.null_count or xs.null_count:
        return None
    y, x = pc.min_max(ys).as_py(), pc.min_max(xs).as_py()
    total = pc.sum(ys).as_py() + pc.sum(xs).as_py()  # NaN if a value is NaN; min_max skips it
    if total != total or y["min"] < -90 or y["max"] > 90 or x["min"] < -180 or x["max"] > 180:
        return None
    return y["min"], y["max"], x["min"], x["max"]


def date_keys(
    block: pa.Table, when: int, decided_by_prefix: Callable[[str], bool]
) -> tuple[pa.ChunkedArray, list[str]]:
    """Return the strings whose dates the block's rows hold, one per row, and their distinct
    values.

    A timestamp's date is decided by its first 11 characters when ``decided_by_prefix``
    says so of every distinct prefix: then only the prefixes need parsing.
    """
    column = block.column(str(when))
    if len(column) and len(column[0].as_py()) > 11:
        prefixes = pc.utf8_slice_codeunits(column, 0, 11)
        distinct = pc.unique(prefixes).to_pylist()
        if all(map(decided_by_prefix, distinct)):
            return prefixes, distinct
    return column, pc.unique(column).to_pylist()


def tally(block: pa.Table, name: int, count: int | None) -> Iterator[tuple[tuple[str, str], int]]:
    """Yield ((raw name, raw count), number of rows) for each distinct pair in the block.

    Counted on the pairs' dictionary codes with numpy: Arrow's group_by would load Acero,
    some 15 MB more in every process that reads a table.
    """
    names = _encoded(block, name)
    if count is None:
        times = numpy.bincount(names.indices.to_numpy(), minlength=len(names.dictionary))
        for raw, rows in zip(names.dictionary.to_pylist(), times.tolist(), strict=True):
            if rows:
                yield (raw, ""), rows
        return
    counts = _encoded(block, count)
    width = len(counts.dictionary)
    pairs = names.indices.to_numpy().astype(numpy.int64) * width + counts.indices.to_numpy()
    keys, times = numpy.unique(pairs, return_counts=True)
    raw_names, raw_counts = names.dictionary.to_pylist(), counts.dictionary.to_pylist()
    for key, rows in zip(keys.tolist(), times.tolist(), strict=True):
        yield (raw_names[key // width], raw_counts[key % width]), rows


def _encoded(block: pa.Table, index: int) -> pa.DictionaryArray:
    column = block.column(str(index)).combine_chunks()
    return pc.dictionary_encode(pc.fill_null(column, "") if column.null_count else column)


def each_row(column: pa.ChunkedArray, meaning: Callable[[str], Any]) -> list:
    """Return ``meaning`` of each row's value, computed once per distinct value."""
    encoded = pc.dictionary_encode(column.combine_chunks())
    meanings = [meaning(value) for value in encoded.dictionary.to_pylist()]
    return list(map(meanings.__getitem__, encoded.indices.to_pylist()))


def values(block: pa.Table, index: int) -> list[float]:
    return block.column(str(index)).to_pylist()


def from_strings(
    columns: list[pa.Array], numbers: tuple[int, int] | None
) -> tuple[pa.Table | None, bool]:
    """Return ``columns`` as a block named by position, and whether its rows have points.

    The two columns at ``numbers`` (latitude, longitude) are read as floats when every row
    holds both (they may be floats already), and left out when no row holds one of them.
    The block is None when they need the row-by-row reading: some rows hold both and
    others not, or a value Arrow does not read as a float (padded, for one).
    """
    named = {str(index): column for index, column in enumerate(columns)}
    if numbers is None or any(_all_empty(columns[index]) for index in numbers):
        for index in numbers or ():
            del named[str(index)]
        return pa.table(named), False
    try:
        for index in numbers:
            if columns[index].type != pa.float64():
                named[str(index)] = pc.cast(columns[index], pa.float64())
    except pa.ArrowInvalid:
        return None, False
    return pa.table(named), True


def _all_empty(column: pa.Array) -> bool:
    if column.type == pa.float64():
        return False
    return pc.max(pc.binary_length(column)).as_py() in (0, None)


def rows(columns: list[pa.Array]) -> list[list[str]]:
    """Return the rows of ``columns`` as text, as the csv module would give them."""
    texts = [c if c.type == pa.string() else pc.cast(c, pa.string()) for c in columns]
    return [list(row) for row in zip(*(column.to_pylist() for column in texts), strict=True)]
