"""Every way of reading a table finds the same profile, points and problems.

A table is read in blocks by Arrow, column by column in Python when a block needs it (here
forced by full-width digits), row by row when a block is ragged (here forced by a trailing
comma), by the csv module from the first quote on (here forced by a quoted
header), and by two processes when it is big (here forced by lowering the threshold). Small
chunks make each file many blocks, so a problem lands in the middle of the reading.
"""

import random
from pathlib import Path

import pytest

from datasets.messages import problem_text
from datasets.processing.tabular import profile_csv, scan
from species.names import NameResolver


def _texts(profile) -> list[str]:
    return [problem_text(item, with_values=True) for item in profile.errors]


KNOWN = NameResolver(
    names={
        "panthera tigris altaica": "TIGER_AMUR",
        "grus monacha": "HOODED_CRANE",
        "platalea minor": "SPOONBILL",
    }
)
NAMES = [
    "Panthera tigris altaica",
    "Grus monacha",
    "Platalea minor",
    "Felis catus",
    " Grus monacha",
]
HEADER = "occurrenceID,scientificName,eventDate,decimalLatitude,decimalLongitude,individualCount"


def _rows(count: int, *, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    rows = []
    for number in range(1, count + 1):
        day = f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if number % 3 == 0:
            day += f"T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z"
        rows.append(
            f"{number},{rng.choice(NAMES)},{day},{rng.uniform(35, 55):.5f},"
            f"{rng.uniform(100, 140):.5f},{rng.choice(['1', '2', '12', '', 'many'])}"
        )
    return rows


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _full_width(row: str) -> str:
    """Return ``row`` with its latitude in full-width digits, as typed with a Japanese input
    method: Python's float() reads them, Arrow does not."""
    cells = row.split(",")
    if len(cells) > 3:
        cells[3] = cells[3].translate(FULL_WIDTH)
    return ",".join(cells)


def _variants(tmp_path: Path, rows: list[str]) -> dict[str, Path]:
    """Write the same table five ways, read by four different readers."""
    texts = {
        "arrow blocks": HEADER + "\n" + "\n".join(rows) + "\n",
        "windows line ends": HEADER + "\r\n" + "\r\n".join(rows) + "\r\n",
        "python columns": HEADER + "\n" + "\n".join(map(_full_width, rows)) + "\n",
        # One cell more than the header: only the row-by-row reading takes it.
        "python rows": HEADER + "\n" + ",\n".join(rows) + ",\n",
        "csv module": '"' + HEADER.replace(",", '","') + '"\n' + "\n".join(rows) + "\n",
    }
    paths = {}
    for name, text in texts.items():
        paths[name] = tmp_path / f"{name.replace(' ', '-')}.csv"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def _read(path: Path, *, parallel: bool = False, with_points: bool = False):
    points: list[tuple] = []

    def on_points(_format, numbers, names, codes, days, lats, lons):
        points.extend(zip(numbers, names, codes, days, lats, lons, strict=True))

    profile = profile_csv(path, KNOWN, on_points if with_points else None, parallel=parallel)
    return profile, points


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(scan, "CHUNK", 4096)


def test_it_finds_the_same_profile_and_points_whichever_reader_reads_the_table(
    tmp_path, small_chunks
):
    rows = _rows(3000)
    rows[1500] = rows[1500].replace(",3", ", 3", 1)  # a padded value: that block read by lines
    rows[2200] = "2201,Grus monacha,2021-04-01,,131.0,1"  # no latitude: no point, no problem
    readings = {
        name: _read(path, with_points=True) for name, path in _variants(tmp_path, rows).items()
    }
    profile, points = readings["arrow blocks"]
    assert profile.rows == 3000
    assert len(points) == 2999
    assert all(isinstance(point[4], float) for point in points)
    assert points[0][0] == 2  # the first row under the header is line 2
    assert profile.species["TIGER_AMUR"] > 0 and profile.unknown_species["Felis catus"] > 0
    assert profile.errors == []
    for name, reading in readings.items():
        assert reading == (profile, points), f"{name} differs from the Arrow blocks"


def test_it_reports_the_same_problems_with_the_same_row_numbers(tmp_path, small_chunks):
    rows = _rows(3000)
    rows[1202] = "1204,Panthera uncia,2022-10-05,91.3,101.07,1"
    rows[2000] = "2002,Grus monacha,2022-13-45,43.0,131.0,1"
    rows[2500] = "2502,Grus monacha,2022-01-05,,131.0,1"  # no point: not a problem
    readings = {name: _read(path)[0] for name, path in _variants(tmp_path, rows).items()}
    expected = [
        "row 1,204: latitude 91.3 is outside −90..90",
        "row 2,002: “2022-13-45” is not a date (use YYYY-MM-DD)",
    ]
    for name, profile in readings.items():
        if name == "python columns":  # the message quotes the value as written
            texts = _texts(profile)
            assert texts[0] == expected[0].replace("91.3", "91.3".translate(FULL_WIDTH))
            assert texts[1:] == expected[1:]
        else:
            assert _texts(profile) == expected, name
        # Without download rights, the same problems name the columns, not the values.
        assert problem_text(profile.errors[0], with_values=False) == (
            "row 1,204: the latitude (decimalLatitude) is outside −90..90"
        )
        assert profile.rows == 3000, name


def test_two_processes_find_what_one_finds(tmp_path, small_chunks, monkeypatch):
    path = _variants(tmp_path, _rows(4000))["arrow blocks"]
    alone, _points = _read(path)
    monkeypatch.setattr(scan, "PARALLEL_MIN", 0)
    together, _points = _read(path, parallel=True)
    assert together == alone
    assert together.rows == 4000


def test_two_processes_stop_at_the_same_problems(tmp_path, small_chunks, monkeypatch):
    rows = _rows(4000)
    for number in (2900, 3100, 3300, 3500, 3700, 3900):
        rows[number - 2] = f"{number},Grus monacha,2021-01-01,43.0,181.5,1"
    path = _variants(tmp_path, rows)["arrow blocks"]
    alone, _points = _read(path)
    monkeypatch.setattr(scan, "PARALLEL_MIN", 0)
    together, _points = _read(path, parallel=True)
    assert together == alone
    assert len(alone.errors) == 5 and _texts(alone)[-1].startswith("row 3,700: longitude 181.5")


def test_a_table_without_coordinates_or_dates_is_counted_by_blocks(tmp_path, small_chunks):
    path = tmp_path / "names.csv"
    lines = [f"Grus monacha,{number}" for number in range(2000)]
    path.write_text("scientificName,note\n" + "\n".join(lines) + "\n", encoding="utf-8")
    profile, _points = _read(path)
    assert profile.rows == 2000
    assert profile.species == {"HOODED_CRANE": 2000}
    assert profile.bbox is None and profile.date_start is None


def test_a_ragged_row_in_the_middle_is_read_like_the_csv_module_reads_it(tmp_path, small_chunks):
    rows = _rows(2000)
    rows[1000] = "1001,Platalea minor,2020-05-05,35.5,126.5"  # no count column
    rows[1001] = ""  # a blank line: an empty row
    readings = {name: _read(path)[0] for name, path in _variants(tmp_path, rows).items()}
    assert readings["arrow blocks"].rows == 2000
    assert readings["arrow blocks"] == readings["csv module"] == readings["python columns"]
    assert readings["windows line ends"] == readings["arrow blocks"]
