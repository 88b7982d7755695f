"""Reading a member of an archive in pieces of whole rows: by Arrow when it can, by the csv
module when it must.

The member is streamed from the zip (nothing is unpacked) in pieces of about ``PIECE``
bytes that end at a row's end: at a line end outside quotes, found by counting the quote
characters (a quoted field holds an even number of them, doubled quotes included). Arrow
reads a piece, only the columns asked for, as text; Arrow keeps nothing between pieces, so
memory stays that of a piece or two whatever the member's size (Arrow's own streaming reader
reads up to 32 blocks ahead of a slower consumer). A piece Arrow cannot read as one table
(rows of different widths, a blank line, bytes that are not UTF-8) is read by the csv module,
which reports what is wrong with it, so that problems come in the order of the rows.
"""

import codecs
import csv
import io
import queue
import threading
import zipfile
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from typing import cast

import pyarrow as pa
import pyarrow.csv as pa_csv

from datasets.processing import ProcessingError
from datasets.processing.archives.rows import read_rows
from datasets.processing.tabular.columns import MAX_FIELD

#: Bytes read at a time: pieces of 1 MB kept the benchmark's peak RSS about 20 MB lower
#: than pieces of 2 MB, at the same speed.
PIECE = 1024 * 1024
#: A piece may grow this far to reach a row's end outside quotes (a long quoted field).
#: Past it, a quote is taken to be a character inside a field (``5" tall``, which Arrow and
#: the csv module read as such, but which upsets the counting): the rest of the member is
#: read by the csv module. Not caught: such a quote followed, further on, by a quoted field
#: holding a line end, whose line end the counting then takes for a row's end.
MAX_PIECE = 4 * MAX_FIELD
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Layout:
    """How a member's text is written."""

    delimiter: str = ","
    quote: str | None = '"'
    skip: int = 1
    encoding: str = "utf-8"


def _codec(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise ProcessingError("unknown_encoding", encoding=encoding[:40]) from None


def _read_ahead(raw, size: int) -> Generator[bytes]:
    """Yield ``raw.read(size)`` until the end, read one step ahead by a thread of its own:
    zlib inflates without the GIL, on the other core, while Arrow parses the last piece."""
    ahead: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()

    def hand(item: bytes | Exception) -> None:
        while not stop.is_set():
            try:
                ahead.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def read() -> None:
        try:
            while not stop.is_set():
                data = raw.read(size)
                hand(data)
                if not data:
                    return
        except Exception as error:  # noqa: BLE001 - raised again in the reading thread
            hand(error)

    reader = threading.Thread(target=read, name="archive-member", daemon=True)
    reader.start()
    try:
        while data := ahead.get():
            if isinstance(data, Exception):
                raise data
            yield data
    finally:
        stop.set()
        reader.join()


def pieces(chunks: Iterator[bytes], quote: bytes | None) -> Iterator[tuple[bytes, bool]]:
    """Yield (piece, True) for each piece of ``chunks`` that ends at a row's end (the last
    may not), joined as they come; or (what is left unread, False), and stop, when no row
    ends outside quotes within ``MAX_PIECE`` bytes: the rest of ``chunks`` is then for the
    csv module."""
    pending = b""
    for data in chunks:
        pending += data
        end = pending.rfind(b"\n") + 1
        quotes = pending.count(quote, 0, end) if quote else 0
        while end and quotes % 2:  # that line end is inside quotes: try the one before
            before = pending.rfind(b"\n", 0, end - 1) + 1
            quotes -= pending.count(cast(bytes, quote), before, end)
            end = before
        if not end:
            if len(pending) > MAX_PIECE:
                yield pending, False
                return
            continue
        yield pending[:end], True
        pending = pending[end:]
    if pending:
        yield pending, True


class _Chunks(io.RawIOBase):
    """A binary file reading ``chunks`` one after the other."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._left = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._left:
            self._left = next(self._chunks, b"")
            if not self._left:
                return 0
        size = min(len(buffer), len(self._left))
        buffer[:size] = self._left[:size]
        self._left = self._left[size:]
        return size


def _csv_rest(
    chunks: Iterator[bytes], layout: Layout, codec: str, skip: int, name: str
) -> Iterator[list[list[str]]]:
    """Yield the rows in ``chunks``, read by the csv module, in lists of 5,000."""
    text = io.TextIOWrapper(io.BufferedReader(_Chunks(chunks)), encoding=codec, newline="")
    reader = csv.reader(
        text,
        delimiter=layout.delimiter,
        quotechar=layout.quote or '"',
        quoting=csv.QUOTE_MINIMAL if layout.quote else csv.QUOTE_NONE,
    )
    rows = islice(reader, skip, None)
    try:
        while batch := list(islice(rows, 5000)):
            yield batch
    except csv.Error as error:
        raise ProcessingError("member_unreadable", name=name, error=str(error)[:200]) from None
    except UnicodeDecodeError:
        raise ProcessingError("member_not_utf8", name=name) from None


def _arrow(piece: bytes, layout: Layout, columns: list[int], skip: int) -> pa.Table | None:
    """Return the ``columns`` of ``piece`` as text, named by position (``"3"``); a column
    the rows do not reach is null. None when Arrow cannot read the piece as one table."""
    names = [f"f{index}" for index in columns]
    try:
        table = pa_csv.read_csv(
            pa.py_buffer(piece),
            read_options=pa_csv.ReadOptions(
                autogenerate_column_names=True,
                skip_rows=skip,
                use_threads=False,
                block_size=len(piece) + 1,
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=layout.delimiter,
                quote_char=layout.quote or False,
                newlines_in_values=layout.quote is not None,
                ignore_empty_lines=False,
            ),
            convert_options=pa_csv.ConvertOptions(
                include_columns=names,
                include_missing_columns=True,
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                check_utf8=False,  # checked by parts(), faster
            ),
        )
    except pa.ArrowInvalid:
        return None
    return table.rename_columns([str(index) for index in columns])


def _csv_rows(piece: str, layout: Layout, skip: int, name: str) -> list[list[str]]:
    """Return the rows of ``piece`` read by the csv module, after ``skip`` rows."""
    reader = csv.reader(
        io.StringIO(piece, newline=""),
        delimiter=layout.delimiter,
        quotechar=layout.quote or '"',
        quoting=csv.QUOTE_MINIMAL if layout.quote else csv.QUOTE_NONE,
    )
    try:
        return list(reader)[skip:]
    except csv.Error as error:
        raise ProcessingError("member_unreadable", name=name, error=str(error)[:200]) from None


def parts(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, layout: Layout, columns: list[int]
) -> Iterator[pa.Table | list[list[str]]]:
    """Yield the rows of member ``info`` after its header lines, in order, in parts: an
    Arrow table of ``columns`` (see ``_arrow``), or the rows the csv module read."""
    csv.field_size_limit(MAX_FIELD)
    codec = _codec(layout.encoding)
    name = info.filename[:100]
    quote = layout.quote.encode(codec) if layout.quote else None
    if "\n".encode(codec) != b"\n" or (quote is not None and len(quote) != 1):
        # UTF-16, say: its line ends are not a byte of their own.
        rows = read_rows(
            archive,
            info,
            delimiter=layout.delimiter,
            quote=layout.quote,
            skip=layout.skip,
            encoding=layout.encoding,
        )
        while batch := list(islice(rows, 5000)):
            yield batch
        return
    with archive.open(info) as raw:
        yield from read(raw, layout, columns, name)


def read(
    raw, layout: Layout, columns: list[int], name: str
) -> Iterator[pa.Table | list[list[str]]]:
    """Yield the rows of the binary file ``raw`` as ``parts`` does; ``name`` it in problems."""
    codec = _codec(layout.encoding)
    quote = layout.quote.encode(codec) if layout.quote else None
    skip = layout.skip
    chunks = _read_ahead(raw, PIECE)
    try:
        for number, (piece, whole) in enumerate(pieces(chunks, quote)):
            if number == 0 and codec == "utf-8":
                piece = piece.removeprefix(BOM)
            if not whole:
                yield from _csv_rest(chain([piece], chunks), layout, codec, skip, name)
                return
            yield _part(piece, layout, columns, codec, skip, name)
            skip = 0
    finally:
        chunks.close()


def _part(
    piece: bytes, layout: Layout, columns: list[int], codec: str, skip: int, name: str
) -> pa.Table | list[list[str]]:
    """Return the rows of ``piece`` read by Arrow, or by the csv module if Arrow cannot."""
    try:
        text = piece.decode(codec) if codec != "utf-8" or not piece.isascii() else ""
    except UnicodeDecodeError:
        raise ProcessingError("member_not_utf8", name=name) from None
    if codec != "utf-8":
        piece = text.encode("utf-8")
    table = _arrow(piece, layout, columns, skip)
    return _csv_rows(text or piece.decode("utf-8"), layout, skip, name) if table is None else table
