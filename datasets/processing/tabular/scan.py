"""Reading a table file: header, chunks, the csv module after a quote, two processes for a
big file."""

import csv
import io
import os
import pickle
import signal
from collections.abc import Callable
from typing import cast

from datasets.processing import ProcessingError, Source
from datasets.processing.tabular.columns import (
    CHUNK,
    MAX_COLUMNS,
    MAX_FIELD,
    PARALLEL_MIN,
    PointsCallback,
    Profile,
    open_text,
)
from datasets.processing.tabular.table import (
    _Table,
)
from datasets.stored_files import StoredSource
from species.names import NameResolver


def _read_header(header: list[str]) -> list[str]:
    if len(header) > MAX_COLUMNS:
        raise ProcessingError("too_many_columns", n=len(header), max=MAX_COLUMNS)
    return [name.strip() for name in header]


def _scan(handle, table: _Table, start: int, end: int | None) -> tuple[str, int]:
    """Profile the lines of ``handle`` from byte ``start`` (a line start) to ``end``.

    Return ("done", end), ("stopped", offset) once MAX_ERRORS problems are found, or
    ("complex", offset) with the offset of a chunk that only the csv module can read.
    """
    handle.seek(start)
    offset = start
    while end is None or offset < end:
        data = handle.read(CHUNK if end is None else min(CHUNK, end - offset))
        if not data:
            break
        if not data.endswith(b"\n"):
            data += handle.readline(MAX_FIELD)
            if not data.endswith(b"\n") and handle.peek(1):
                return "complex", offset  # a line too long for a chunk
        if b'"' in data or b"\x00" in data:
            return "complex", offset
        # Arrow ends lines at CR LF too (what Excel writes on Windows), but also at a lone CR.
        crlf_only = b"\r" not in data or data.count(b"\r") == data.count(b"\r\n")
        if crlf_only and _lines_are_short(data) and _is_utf8(data):
            if table.add_block(data):
                offset += len(data)
                continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return "complex", offset  # the csv module reports it, in order
        if "\r" in text:
            text = text.replace("\r\n", "\n")
            if "\r" in text:
                return "complex", offset
        lines = text.split("\n")
        if not lines[-1]:
            lines.pop()
        if max(map(len, lines)) > MAX_FIELD:
            return "complex", offset
        offset += len(data)
        if not table.add_lines(lines):
            return "stopped", offset
    return "done", offset


def _lines_are_short(data: bytes) -> bool:
    """Return True if no line of ``data`` can be longer than MAX_FIELD bytes.

    Every aligned window of half that size must hold a line end: a longer line would hold a
    whole window. A line a little shorter may fail the test too; it is then measured.
    """
    step = MAX_FIELD // 2
    return all(
        data.find(b"\n", start, start + step) != -1
        for start in range(0, len(data) - step + 1, step)
    )


def _is_utf8(data: bytes) -> bool:
    if data.isascii():
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _scan_with_csv(handle, table: _Table, start: int) -> None:
    """Profile the rest of the table from byte ``start`` (a line start) with the csv module."""
    handle.seek(start)
    text = io.TextIOWrapper(
        handle, encoding="utf-8-sig" if start == 0 else "utf-8", errors="strict", newline=""
    )
    try:
        table.add_rows(csv.reader(text, delimiter=table.delimiter))
    except csv.Error as error:
        raise _csv_problem(error, table.rows + 2) from None
    finally:
        text.detach()


def _csv_problem(error: csv.Error, number: int) -> ProcessingError:
    if "field larger than field limit" in str(error):
        return ProcessingError("field_too_long", row=number, max=MAX_FIELD // 1024**2)
    return ProcessingError("row_unreadable", row=number, error=str(error)[:200])


def _scan_halves(path: Source, handle, table: _Table, start: int, size: int) -> None:
    """Profile the table from ``start`` with a second process reading its second half.

    The halves meet at a line start. If the first half holds no quote, that line start is
    also the start of a row; otherwise the second half's work is discarded.
    """
    handle.seek(start + (size - start) // 2)
    handle.readline()
    middle = handle.tell()
    if middle >= size:
        _scan_rest(handle, table, start)
        return
    reader: int | None
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child process
        status = 1
        try:
            os.close(reader)
            part = _Table(table.header, table.delimiter, table.known)
            with path.open("rb") as own:
                outcome, _end = _scan(own, part, middle, None)
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(pickle.dumps((outcome, part.state())))
            status = 0
        finally:
            os._exit(status)
    os.close(writer)
    finished = False
    try:
        outcome, offset = _scan(handle, table, start, middle)
        if outcome == "complex":
            _scan_with_csv(handle, table, offset)
        if outcome != "done":
            return
        with os.fdopen(reader, "rb") as pipe:
            reader = None
            payload = pipe.read()
        os.waitpid(child, 0)
        finished = True
        # Our own child's output, not the uploader's bytes.
        part_outcome, state = pickle.loads(payload) if payload else ("complex", None)  # noqa: S301
        if part_outcome == "complex":
            _scan_rest(handle, table, middle)
        else:
            table.merge(cast(dict, state))  # a state comes with every outcome but "complex"
    finally:
        if reader is not None:
            os.close(reader)
        if not finished:
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)


def _scan_rest(handle, table: _Table, start: int) -> None:
    outcome, offset = _scan(handle, table, start, None)
    if outcome == "complex":
        _scan_with_csv(handle, table, offset)


def _profile_with_csv(
    path: Source, delimiter: str, table_for: Callable[[list[str]], _Table]
) -> _Table:
    """Profile the whole table with the csv module (its header line is not simple)."""
    with open_text(path) as text:
        rows = csv.reader(text, delimiter=delimiter)
        try:
            header = next(rows)
        except StopIteration:
            raise ProcessingError("table_empty") from None
        table = table_for(header)
        try:
            table.add_rows(rows)
        except csv.Error as error:
            raise _csv_problem(error, table.rows + 2) from None
    return table


def _size(path: Source) -> int:
    return path.size if isinstance(path, StoredSource) else path.stat().st_size


def profile_csv(
    path: Source,
    known_species: NameResolver,
    on_points: PointsCallback | None = None,
    *,
    parallel: bool = True,
) -> Profile:
    """Validate and profile the CSV or TSV table at ``path``.

    ``on_points`` is called with the rows that have valid coordinates, in batches, as long as
    no problem has been found. Without it, a big table is read by two processes unless
    ``parallel`` is false or the file is not on this machine's disk (a forked child
    would share the parent's connection to the bucket).
    """
    csv.field_size_limit(MAX_FIELD)
    with open_text(path) as text:
        sample = text.read(65536)
    first_line = sample.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","

    def table_for(header: list[str]) -> _Table:
        return _Table(_read_header(header), delimiter, known_species, on_points)

    try:
        with path.open("rb") as handle:
            line = handle.readline(MAX_FIELD)
            head = line.removeprefix(b"\xef\xbb\xbf").removesuffix(b"\n").removesuffix(b"\r")
            if (
                not head
                or not line.endswith(b"\n")
                or any(byte in head for byte in (b'"', b"\r", b"\x00"))
            ):
                table = _profile_with_csv(path, delimiter, table_for)
            else:
                table = table_for(head.decode("utf-8").split(delimiter))
                start, size = handle.tell(), _size(path)
                local = not isinstance(path, StoredSource) or path.local
                if parallel and local and on_points is None and size - start >= PARALLEL_MIN:
                    _scan_halves(path, handle, table, start, size)
                else:
                    _scan_rest(handle, table, start)
    except csv.Error as error:
        raise ProcessingError("table_unreadable", error=str(error)[:200]) from None
    except UnicodeDecodeError:
        raise ProcessingError("part_not_utf8") from None
    return table.profile()
