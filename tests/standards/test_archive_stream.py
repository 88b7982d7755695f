"""The archives' rows streamed in pieces read by Arrow, or by the csv module where Arrow
cannot: the same profile, row numbers and problems either way, whatever the pieces' size."""

import io
import zipfile

import pytest

from datasets.processing import ProcessingError
from datasets.processing.archives import profile_camtrap, profile_dwca, stream
from tests.standards import archives

KNOWN = {"Grus monacha": "HOODED_CRANE", "Panthera tigris altaica": "TIGER_AMUR"}
DWC = "http://rs.tdwg.org/dwc/terms/"
#: An observation at a deployment the package does not have: row 6 of observations.csv.
STRAY = "o5,d9,,e5,2023-01-07T02:00:00Z,2023-01-07T02:01:00Z,event,animal,Grus monacha,1\n"
TERMS = ["scientificName", "eventDate", "decimalLatitude", "decimalLongitude", "recordedBy"]


def _meta(*, quote: str = "&quot;", skip: int = 1, encoding: str = "UTF-8") -> str:
    fields = "".join(f'<field index="{i}" term="{DWC}{t}"/>' for i, t in enumerate(TERMS))
    return (
        f'<archive xmlns="http://rs.tdwg.org/dwc/text/"><core encoding="{encoding}" '
        f'fieldsTerminatedBy="," fieldsEnclosedBy="{quote}" ignoreHeaderLines="{skip}" '
        f'rowType="{DWC}Occurrence"><files><location>occurrence.csv</location></files>'
        f"{fields}</core></archive>"
    )


def _dwca(tmp_path, table: bytes, **meta):
    path = tmp_path / "archive.zip"
    path.write_bytes(archives.zip_of({"meta.xml": _meta(**meta), "occurrence.csv": table}))
    return profile_dwca(path, KNOWN)


def _crane_rows(count: int) -> list[bytes]:
    return [
        f'Grus monacha,2023-04-{day % 28 + 1:02d},45.{day % 10},132.5,"team\n{day}"\n'.encode()
        for day in range(count)
    ]


@pytest.fixture(params=[64, 1024 * 1024], ids=["tiny pieces", "pieces of 1 MB"])
def piece(request, monkeypatch):
    monkeypatch.setattr(stream, "PIECE", request.param)
    return request.param


def test_pieces_end_at_row_ends_outside_quotes():
    data = b'a,"one\nline, ""two""\n"\nb,plain\n' * 20
    found = list(stream.pieces(iter([data[at : at + 7] for at in range(0, len(data), 7)]), b'"'))
    pieces = [piece for piece, whole in found if whole]
    assert len(pieces) == len(found) > 1
    assert b"".join(pieces) == data
    assert all(p.endswith((b'"\n', b"plain\n")) for p in pieces)
    assert all(p.count(b'"') % 2 == 0 for p in pieces)


def test_a_quote_inside_a_field_hands_the_rest_to_the_csv_module(tmp_path, piece, monkeypatch):
    monkeypatch.setattr(stream, "MAX_PIECE", 256)
    header = (",".join(TERMS) + "\n").encode()
    rows = [row.replace(b"\n", b", ", 1) for row in _crane_rows(100)]  # quoted, one line each
    rows[5] = b'Grus monacha,2023-04-02,45.1,132.5,a 5" tall observer\n'
    rows[90] = b"Grus monacha,2023-04-02,95.5,132.5,me\n"
    profile, _ = _dwca(tmp_path, header + b"".join(rows))
    assert (profile.rows, profile.species) == (100, {"HOODED_CRANE": 100})
    assert [(e["row"], e["code"]) for e in profile.errors] == [(92, "latitude")]


def test_quoted_newlines_are_read_as_one_row(tmp_path, piece):
    header = (",".join(TERMS) + "\n").encode()
    profile, _ = _dwca(tmp_path, header + b"".join(_crane_rows(300)))
    assert profile.rows == 300
    assert profile.species == {"HOODED_CRANE": 300}
    assert profile.bbox == [132.5, 45.0, 132.5, 45.9]
    assert (str(profile.date_start), str(profile.date_end)) == ("2023-04-01", "2023-04-28")
    assert profile.errors == []


def test_a_bad_coordinate_after_quoted_newlines_keeps_its_row_number(tmp_path, piece):
    rows = _crane_rows(200)
    rows[150] = b'Grus monacha,2023-04-02,95.5,132.5,"late\nteam"\n'
    header = (",".join(TERMS) + "\n").encode()
    profile, _ = _dwca(tmp_path, header + b"".join(rows))
    # Row 1 is the header: the 151st record is row 152, whatever lines the quotes hold.
    assert [(e["row"], e["code"], e["values"]) for e in profile.errors] == [
        (152, "latitude", ["95.5"])
    ]


def test_a_byte_order_mark_is_not_part_of_the_first_name(tmp_path, piece):
    table = "\ufeffGrus monacha,2023-04-02,45.1,132.5,me\n".encode() + b"".join(_crane_rows(3))
    profile, _ = _dwca(tmp_path, table, skip=0)
    assert profile.rows == 4
    assert profile.species == {"HOODED_CRANE": 4}
    assert profile.unknown_species == {}


def test_a_member_that_is_not_utf8_is_refused(tmp_path, piece):
    header = (",".join(TERMS) + "\n").encode()
    bad = "Grus monacha,2023-04-02,45.1,132.5,Müller\n".encode("latin-1")
    with pytest.raises(ProcessingError) as raised:
        _dwca(tmp_path, header + b"".join(_crane_rows(50)) + bad)
    assert raised.value.code == "member_not_utf8"


def test_a_member_in_the_encoding_meta_xml_names_is_read(tmp_path, piece):
    header = (",".join(TERMS) + "\n").encode()
    row = "Grus monacha,2023-04-02,45.1,132.5,Müller\n".encode("latin-1")
    profile, _ = _dwca(tmp_path, header + row * 40, encoding="ISO-8859-1")
    assert (profile.rows, profile.species, profile.errors) == (40, {"HOODED_CRANE": 40}, [])


def test_ragged_and_blank_rows_are_read_row_by_row(tmp_path, piece):
    header = (",".join(TERMS) + "\n").encode()
    rows = _crane_rows(100)
    rows[10] = b"Grus monacha,2023-04-02,45.1,132.5\n"  # no recordedBy: Arrow wants five cells
    rows[20] = b"Grus monacha,2023-04-02\n"  # no place: profiled without a point
    profile, _ = _dwca(tmp_path, header + b"".join(rows))
    assert profile.rows == 100
    assert profile.species == {"HOODED_CRANE": 100}
    assert profile.errors == []


def test_an_event_core_lends_its_date_and_place_in_every_piece(tmp_path, piece):
    path = tmp_path / "events.zip"
    path.write_bytes(archives.event_dwca())
    profile, _ = profile_dwca(path, KNOWN)
    assert profile.rows == 3
    assert profile.bbox == [132.4, 45.1, 132.5, 45.2]
    assert (str(profile.date_start), str(profile.date_end)) == ("2023-04-02", "2023-04-09")
    assert profile.species == {"HOODED_CRANE": 17}


def test_an_observation_whose_deployment_is_missing_is_refused_with_its_row(tmp_path, piece):
    path = tmp_path / "survey.zip"
    path.write_bytes(archives.camtrap(observations_extra=STRAY))
    with pytest.raises(ProcessingError) as raised:
        profile_camtrap(path, KNOWN)
    assert (raised.value.code, raised.value.params) == ("camtrap_unknown_deployment", {"row": 6})


def test_camtrap_detections_are_joined_to_their_stations(tmp_path, piece):
    path = tmp_path / "survey.zip"
    path.write_bytes(archives.camtrap())
    profile, metadata = profile_camtrap(path, KNOWN)
    assert profile.rows == 2
    assert profile.bbox == [131.56, 43.12, 131.7, 43.3]
    assert profile.species == {"TIGER_AMUR": 1}
    assert profile.unknown_species == {"Capreolus pygargus": 2}
    assert (metadata["deployments"], metadata["camera_days"]) == (2, 40.0)


def test_a_camtrap_table_problem_comes_before_a_reading_problem(tmp_path):
    path = tmp_path / "survey.zip"
    path.write_bytes(archives.camtrap(latitude="north", observations_extra=STRAY))
    with pytest.raises(ProcessingError) as raised:
        profile_camtrap(path, KNOWN)
    assert (raised.value.code, raised.value.params["name"]) == ("camtrap_bad_table", "deployments")


def test_arrow_reads_quoted_newlines_and_leaves_ragged_pieces_to_the_csv_module(monkeypatch):
    monkeypatch.setattr(stream, "PIECE", 4096)
    data = "\ufeffh1,h2\n".encode() + b'a,"x\ny"\n' * 1000 + b"lone\n"
    with zipfile.ZipFile(io.BytesIO(archives.zip_of({"m.csv": data}))) as archive:
        parts = list(stream.parts(archive, archive.getinfo("m.csv"), stream.Layout(), [0, 1]))
    *arrow, rows = parts
    assert arrow and all(type(part).__name__ == "Table" for part in arrow)
    assert arrow[0].slice(0, 1).to_pylist() == [{"0": "a", "1": "x\ny"}]
    assert rows[-1] == ["lone"] and rows[0] == ["a", "x\ny"]
    assert sum(part.num_rows for part in arrow) + len(rows) == 1001
