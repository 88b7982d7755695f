"""The running profile of a table, fed chunk by chunk: column-wise when it can, row by row
when it must."""

from collections import Counter
from collections.abc import Iterable
from datetime import date
from itertools import repeat
from typing import Any, cast

from datasets.processing.tabular.columns import (
    _DATE_PREFIX,
    CACHE_SIZE,
    COUNT,
    DATE,
    LATITUDE,
    LONGITUDE,
    MAX_ERRORS,
    NAME,
    PointsCallback,
    Profile,
    _amount,
    _first,
    _is_timestamp_prefix,
    _parse_date,
    _problem,
    detect_format,
)
from species.names import NameResolver


class _NotSimple(Exception):
    """A chunk holds a value that the column-wise checks cannot judge: read it row by row."""


_MISSING: Any = object()  # a sentinel for dict.get(); Any fits every value type


class _Table:
    """The running profile of a table, or of a part of it, fed in chunks of rows."""

    POINTS_BATCH = 5000

    def __init__(
        self,
        header: list[str],
        delimiter: str,
        known_species: NameResolver,
        on_points: PointsCallback | None = None,
    ) -> None:
        self.header = header
        self.delimiter = delimiter
        self.width = len(header)
        self.known = known_species
        self.on_points = on_points
        self.format = detect_format(header)
        self.lat, self.lon = _first(header, LATITUDE), _first(header, LONGITUDE)
        self.when = _first(header, DATE)
        self.name, self.count = _first(header, NAME), _first(header, COUNT)
        self.rows = 0
        self.south = self.west = 999.0
        self.north = self.east = -999.0
        self.first: date | None = None
        self.last: date | None = None
        self.species: Counter = Counter()
        self.unknown: Counter = Counter()
        self.names: Counter = Counter()
        #: (row number, kind, raw values...), formatted into words by ``profile()``.
        self.errors: list[tuple] = []
        self._days: dict[str, date | None] = {}
        self._taxa: dict[str, tuple[str, str | None]] = {}
        self._block_options: Any = None  # a blocks.Options, made by the first add_block()

    @property
    def stopped(self) -> bool:
        return len(self.errors) >= MAX_ERRORS

    def _taxon(self, raw: str) -> tuple[str, str | None]:
        """Return the stripped name in ``raw`` and its species code (None if unknown)."""
        taxon = self._taxa.get(raw)
        if taxon is None:
            if len(self._taxa) >= CACHE_SIZE:
                self._taxa.clear()
            scientific = raw.strip()
            taxon = (scientific, self.known.get(scientific) if scientific else None)
            self._taxa[raw] = taxon
        return taxon

    def _count_names(self, tally: Iterable[tuple[tuple[str, str], int]]) -> None:
        for (raw, raw_count), times in tally:
            scientific, code = self._taxon(raw)
            if not scientific:
                continue
            self.names[(scientific[:100], code)] += times
            amount = _amount(raw_count)
            if code:
                self.species[code] += amount * times
            else:
                self.unknown[scientific[:100]] += amount * times

    def add_rows(self, rows: Iterable[list[str]]) -> bool:
        """Profile ``rows`` one at a time; return False once MAX_ERRORS problems are found."""
        lat, lon, when, name, count = self.lat, self.lon, self.when, self.name, self.count
        has_point = lat is not None and lon is not None
        lat, lon = cast(int, lat), cast(int, lon)  # read only when has_point
        needed = max(lat, lon) if has_point else 0
        days, errors = self._days, self.errors
        points: list[tuple] = []
        number = self.rows + 1
        for row in rows:
            number += 1
            self.rows += 1
            width = len(row)
            point = None
            day = None
            scientific = ""
            code = None
            if has_point and width > needed:
                raw_lat, raw_lon = row[lat].strip(), row[lon].strip()
                if raw_lat and raw_lon:
                    try:
                        y, x = float(raw_lat), float(raw_lon)
                    except ValueError:
                        y = x = 999.0  # out of range: worded by _note_bad_point()
                    if -90 <= y <= 90 and -180 <= x <= 180:
                        self.south, self.north = min(self.south, y), max(self.north, y)
                        self.west, self.east = min(self.west, x), max(self.east, x)
                        point = (y, x)
                    else:
                        self._note_bad_point(number, raw_lat, raw_lon)
            if when is not None and width > when:
                raw = row[when]
                day = days.get(raw, _MISSING)
                if day is _MISSING:
                    day = self._new_day(number, raw)
                if day:
                    self.first = day if self.first is None or day < self.first else self.first
                    self.last = day if self.last is None or day > self.last else self.last
            if name is not None and width > name:
                scientific, code = self._taxon(row[name])
                if scientific:
                    self.names[(scientific[:100], code)] += 1
                    raw_count = row[count] if count is not None and width > count else ""
                    amount = _amount(raw_count)
                    if code:
                        self.species[code] += amount
                    else:
                        self.unknown[scientific[:100]] += amount
            if point is not None and self.on_points is not None and not errors:
                points.append((number, scientific, code, day, point[0], point[1]))
                if len(points) >= self.POINTS_BATCH:
                    self._send(points)
                    points = []
            if len(errors) >= MAX_ERRORS:
                return False
        if points and not errors:
            self._send(points)
        return True

    def _note_bad_point(self, number: int, raw_lat: str, raw_lon: str) -> None:
        """Record why the coordinates of row ``number`` are not a point.

        Called only for a bad row, so that add_rows() pays nothing for the wording.
        """
        try:
            y = float(raw_lat)
            float(raw_lon)
        except ValueError:
            self.errors.append((number, "coordinates", raw_lat, raw_lon))
            return
        if not -90 <= y <= 90:
            self.errors.append((number, "latitude", raw_lat))
        else:
            self.errors.append((number, "longitude", raw_lon))

    def _new_day(self, number: int, raw: str) -> date | None:
        """Return the date in ``raw``, not yet in the cache, remembering it if it is one.

        Called once per distinct value, so that add_rows() keeps its per-row cost.
        """
        try:
            day = _parse_date(raw)
        except ValueError:
            self.errors.append((number, "date", raw))
            return None
        if len(self._days) >= CACHE_SIZE:
            self._days.clear()
        self._days[raw] = day
        return day

    def _send(self, points: list[tuple]) -> None:
        numbers, names, codes, days, lats, lons = zip(*points, strict=True)
        on_points = cast(PointsCallback, self.on_points)  # only sent when there is one
        on_points(self.format, numbers, names, codes, days, lats, lons)

    def add_lines(self, lines: list[str]) -> bool:
        """Profile quote-free ``lines``; return False once MAX_ERRORS problems are found."""
        delimiter, width = self.delimiter, self.width
        if set(map(str.count, lines, repeat(delimiter))) == {width - 1}:
            try:
                self._add_columns(delimiter.join(lines).split(delimiter), len(lines))
            except _NotSimple:
                pass
            else:
                return True
        # A blank line is an empty row for the csv module too.
        return self.add_rows([line.split(delimiter) if line else [] for line in lines])

    def _add_columns(self, cells: list[str], count: int) -> None:
        """Profile ``count`` rows of ``width`` cells each, column by column.

        Raise _NotSimple, having changed nothing, if a value needs the row-by-row reading:
        an empty or wrong coordinate or date.
        """
        width = self.width
        lat, lon, when, name = self.lat, self.lon, self.when, self.name
        ys = xs = None
        if lat is not None and lon is not None:
            try:
                ys = list(map(float, cells[lat::width]))
                xs = list(map(float, cells[lon::width]))
            except ValueError:
                raise _NotSimple from None
            south, north, west, east = min(ys), max(ys), min(xs), max(xs)
            total = sum(ys) + sum(xs)  # NaN if any value is NaN, which min and max may miss
            if total != total or south < -90 or north > 90 or west < -180 or east > 180:
                raise _NotSimple
        days = None
        if when is not None:
            column = cells[when::width]
            keys = column
            if len(column[0]) > 11:  # a timestamp: its date is decided by the first characters
                prefixes = list(map(_DATE_PREFIX, column))
                distinct = set(prefixes)
                if all(map(_is_timestamp_prefix, distinct)):
                    keys = prefixes
                else:
                    distinct = set(column)
            else:
                distinct = set(column)
            if not self._note_dates(distinct):
                raise _NotSimple
            if self.on_points is not None:
                days = list(map(self._days.__getitem__, keys))
        # Nothing below can fail: commit.
        self.rows += count
        if ys is not None:
            self.south, self.north = min(self.south, south), max(self.north, north)
            self.west, self.east = min(self.west, west), max(self.east, east)
        names = codes = None
        if name is not None:
            column = cells[name::width]
            if self.count is not None:
                self._count_names(
                    Counter(zip(column, cells[self.count :: width], strict=True)).items()
                )
            else:
                self._count_names(((raw, ""), times) for raw, times in Counter(column).items())
            if self.on_points is not None:
                taxa = {raw: self._taxon(raw) for raw in set(column)}
                names = [taxa[raw][0] for raw in column]
                codes = [taxa[raw][1] for raw in column]
        if ys is not None and self.on_points is not None and not self.errors:
            self._send_columns(count, names, codes, days, ys, xs)

    def _note_dates(self, distinct: set[str]) -> bool:
        """Widen the date range by the dates in ``distinct``, remembering each parsed value.

        Return False, the range unchanged, if one of them is not a date.
        """
        cache = self._days
        if len(cache) + len(distinct) > CACHE_SIZE:
            cache.clear()
        for key in distinct.difference(cache):
            try:
                cache[key] = _parse_date(key)
            except ValueError:
                return False
        found = {cache[key] for key in distinct}
        found.discard(None)
        if found:
            dated = cast(set[date], found)  # None is discarded above
            first, last = min(dated), max(dated)
            self.first = first if self.first is None or first < self.first else self.first
            self.last = last if self.last is None or last > self.last else self.last
        return True

    def _send_columns(self, count: int, names, codes, days, ys, xs) -> None:
        """Send the points of the last ``count`` rows, one sequence per column."""
        first_number = self.rows - count + 2
        cast(PointsCallback, self.on_points)(
            self.format,
            range(first_number, first_number + count),
            names or repeat("", count),
            codes or repeat(None, count),
            days or repeat(None, count),
            ys,
            xs,
        )

    def add_block(self, data: bytes) -> bool:
        """Profile the rows in ``data``: whole lines of UTF-8 without quotes, NULs or lone CRs.

        Arrow reads only the columns the profile needs, in C++. Return False, having
        changed nothing, when the block needs the line-by-line reading: a row of another
        width, or an empty or wrong coordinate or date. That reading words the problem.
        """
        # Imported here: Arrow adds about 50 MB to a process, and web processes read no tables.
        from datasets.processing.tabular import blocks

        if self._block_options is None:
            self._block_options = blocks.options(
                width=self.width,
                delimiter=self.delimiter,
                numbers=[self.lat, self.lon]
                if self.lat is not None and self.lon is not None
                else [],
                texts=[index for index in (self.when, self.name, self.count) if index is not None],
            )
        block = blocks.read(data, self._block_options)
        return block is not None and self._add_read_block(
            block, self.lat is not None and self.lon is not None
        )

    def add_strings(self, columns: list) -> bool:
        """Profile the rows of ``columns`` (Arrow arrays of text, one per column of the
        header, none null); return False once MAX_ERRORS problems are found.

        Arrow checks them column-wise when it can; otherwise they are read row by row,
        which words the problems.
        """
        from datasets.processing.tabular import blocks

        if not len(columns[0]):
            return True
        numbers = (self.lat, self.lon) if self.lat is not None and self.lon is not None else None
        block, located = blocks.from_strings(columns, numbers)
        if block is not None and self._add_read_block(block, located):
            return True
        return self.add_rows(blocks.rows(columns))

    def _add_read_block(self, block, located: bool) -> bool:
        """Profile ``block`` (read by Arrow, its columns named by their position; the
        coordinates as numbers when ``located``, else no row has a point). Return False,
        having changed nothing, when it needs the row-by-row reading."""
        from datasets.processing.tabular import blocks

        count = block.num_rows
        if located:
            extent = blocks.extent(block, cast(int, self.lat), cast(int, self.lon))
            if extent is None:
                return False
            south, north, west, east = extent
        days = None
        if self.when is not None:
            keys, distinct = blocks.date_keys(block, self.when, _is_timestamp_prefix)
            if not self._note_dates(set(distinct)):
                return False
            if self.on_points is not None:
                days = blocks.each_row(keys, self._days.__getitem__)
        # Nothing below can fail: commit.
        self.rows += count
        if located:
            self.south, self.north = min(self.south, south), max(self.north, north)
            self.west, self.east = min(self.west, west), max(self.east, east)
        names = codes = None
        if self.name is not None:
            self._count_names(blocks.tally(block, self.name, self.count))
            if self.on_points is not None:
                taxa = blocks.each_row(block.column(str(self.name)), self._taxon)
                names = [taxon[0] for taxon in taxa]
                codes = [taxon[1] for taxon in taxa]
        if located and self.on_points is not None and not self.errors:
            ys = blocks.values(block, cast(int, self.lat))
            xs = blocks.values(block, cast(int, self.lon))
            self._send_columns(count, names, codes, days, ys, xs)
        return True

    def state(self) -> dict:
        """Return what a part of the table found, to be merged into the whole."""
        return {
            "rows": self.rows,
            "extent": (self.south, self.north, self.west, self.east),
            "dates": (self.first, self.last),
            "species": self.species,
            "unknown": self.unknown,
            "names": self.names,
            "errors": self.errors,
        }

    def merge(self, state: dict) -> None:
        """Add the state of the part of the table that follows this one."""
        offset = self.rows
        errors = [(number + offset, *rest) for number, *rest in state["errors"]]
        room = MAX_ERRORS - len(self.errors)
        if len(errors) >= room:
            # Read in one go, the table would have stopped at the last error kept.
            errors = errors[:room]
            self.rows = errors[-1][0] - 1
        else:
            self.rows += state["rows"]
        self.errors.extend(errors)
        south, north, west, east = state["extent"]
        self.south, self.north = min(self.south, south), max(self.north, north)
        self.west, self.east = min(self.west, west), max(self.east, east)
        for day in state["dates"]:
            if day:
                self.first = day if self.first is None or day < self.first else self.first
                self.last = day if self.last is None or day > self.last else self.last
        self.species.update(state["species"])
        self.unknown.update(state["unknown"])
        self.names.update(state["names"])

    def profile(self) -> Profile:
        return Profile(
            format=self.format,
            rows=self.rows,
            columns=self.header,
            date_start=self.first,
            date_end=self.last,
            bbox=[self.west, self.south, self.east, self.north]
            if self.north >= self.south
            else None,
            species=self.species,
            unknown_species=self.unknown,
            names=self.names,
            errors=[
                _problem(error, self.header, self.lat, self.lon, self.when) for error in self.errors
            ],
        )
