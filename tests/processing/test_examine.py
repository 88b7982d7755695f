"""What processing finds in good files and how it refuses hostile ones."""

from pathlib import Path

import pytest

from datasets.messages import file_report, problem_text, warning_text
from datasets.processing import ProcessingError, pipeline
from tests.factories import DataFileFactory
from tests.processing import files


def _examine(tmp_path: Path, name: str, data: bytes) -> dict:
    path = tmp_path / "upload"
    path.write_bytes(data)
    return pipeline.examine(DataFileFactory.build(original_name=name), path)


def test_a_pdf_gets_text_and_a_thumbnail(db, tmp_path):
    results = _examine(tmp_path, "report.pdf", files.pdf())
    assert results["detected_type"] == "pdf"
    assert "Amur tiger corridors" in results["extracted_text"]
    assert results["thumbnail"].startswith(b"\x89PNG")


def test_a_docx_gets_its_text(db, tmp_path):
    results = _examine(tmp_path, "brief.docx", files.docx())
    assert results["extracted_text"] == "Black-faced spoonbill census"


def test_an_image_gets_a_thumbnail(db, tmp_path):
    results = _examine(tmp_path, "camera.png", files.png((2000, 1000)))
    from io import BytesIO

    from PIL import Image

    assert max(Image.open(BytesIO(results["thumbnail"])).size) == 480


def test_a_darwin_core_table_is_profiled(db, tmp_path):
    results = _examine(tmp_path, "occurrences.csv", files.DWC_CSV)
    assert results["detected_type"] == "csv/darwin-core"
    assert results["row_count"] == 3
    assert results["bbox"] == [124.3, 43.2567, 131.3456, 47.1]
    assert str(results["date_start"]) == "2023-02-11"
    assert str(results["date_end"]) == "2023-04-05"
    assert results["species_counts"] == {"TIGER_AMUR": 1, "WN_CRANE": 12}
    # Names stay out of the warnings (a cell may hold anything): they go to the matching report.
    assert results["warnings"] == []
    assert ["Felis catus", None, 1] in results["name_matches"]


@pytest.mark.parametrize("data", [files.MOVEBANK_CSV, files.MOVEBANK_UNDERSCORE_CSV])
def test_movebank_tracks_are_recognized_with_hyphens_or_underscores(db, tmp_path, data):
    results = _examine(tmp_path, "gps.csv", data)
    assert results["detected_type"] == "csv/movebank"
    assert results["species_counts"] == {"HOODED_CRANE": 2}
    assert results["bbox"] == [115.7, 48.9, 117.4, 50.0]


def test_a_dwc_archive_is_accepted(db, tmp_path):
    assert _examine(tmp_path, "dwca.zip", files.dwca())["detected_type"] == "dwca"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("survey.csv", files.BAD_LATITUDE_CSV, "row 1,204: latitude 91.3 is outside −90..90"),
        ("survey.csv", "lat,lon\n43,131\n".encode("utf-16"), "holds binary data, not text"),
        ("survey.csv", "вид,дата\nирбис,2020\n".encode("cp1251"), "not UTF-8"),
        ("report.pdf", files.png(), "The name ends in .pdf but the file is a PNG image"),
        ("bomb.zip", files.zip_bomb(), "zip bomb"),
        ("evil.zip", files.zip_of({"../../etc/cron.d/x": b"x", "meta.xml": b"<a/>"}), "outside"),
        ("link.zip", files.zip_of({"meta.xml": b"<a/>"}, symlink="data.csv"), "symbolic link"),
        ("other.zip", files.zip_of({"readme.txt": b"hello"}), "neither a Darwin Core"),
        ("program.exe", b"MZ\x90\x00\x03\x00\x00\x00", "not accepted"),
        (
            "dates.csv",
            b"eventDate,decimalLatitude,decimalLongitude\n2023-13-45,1,1\n",
            "not a date",
        ),
        ("damaged.pdf", b"%PDF-1.4\n garbage", "damaged"),
        ("report.pdf", b"<!DOCTYPE html><html><body>hi</body></html>", "web page (HTML)"),
        (
            "map.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>',
            "SVG drawing",
        ),
        ("long.csv", b"a,b\n" + b"x" * (10 * 1024 * 1024) + b",1\n", "row 2: a value is longer"),
        ("kanji.csv", "種,日付\nナベヅル,2020\n".encode("shift_jis"), "Shift-JIS"),
        ("cyrillic.csv", "вид,дата\nирбис,2020\n".encode("cp1251"), "Windows-1251"),
        ("empty.csv", b"", "The file is empty."),
    ],
)
def test_hostile_or_broken_files_fail_with_a_reason(db, tmp_path, name, data, message):
    with pytest.raises(ProcessingError) as raised:
        _examine(tmp_path, name, data)
    problems = [problem_text(item, with_values=True) for item in raised.value.problems]
    assert message in " ".join([str(raised.value), *problems])


@pytest.mark.parametrize(
    ("case", "name", "make", "state", "message"),
    files.HOSTILE,
    ids=[case[0] for case in files.HOSTILE],
)
def test_each_hostile_file_ends_in_its_state_with_its_message(
    db, researcher_a, case, name, make, state, message
):
    from django.core.files.base import ContentFile

    from tests.factories import DatasetFactory

    data_file = DataFileFactory(dataset=DatasetFactory(uploader=researcher_a), original_name=name)
    data_file.file.save(name, ContentFile(make()))
    assert pipeline.process(data_file.pk) == state
    data_file.refresh_from_db()
    report = file_report(data_file, with_values=True)
    shown = report.error if state == "failed" else " ".join(report.warnings)
    assert message in shown, f"{case}: {shown!r}"
    assert data_file.state == state


def test_a_thumbnail_is_as_restricted_as_its_file(client, researcher_a, researcher_b, tmp_path):
    from django.core.files.base import ContentFile

    from tests.factories import DatasetFactory

    dataset = DatasetFactory(uploader=researcher_a, access_level="restricted")
    data_file = DataFileFactory(dataset=dataset)
    data_file.thumbnail.save("thumb.png", ContentFile(files.png()))
    url = f"/data/files/{data_file.pk}/thumbnail/"
    client.force_login(researcher_b)
    assert client.get(url).status_code == 404
    client.force_login(researcher_a)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_reprocess_files_runs_a_failed_file_again(db, researcher_a):
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    data_file = DataFileFactory(original_name="report.pdf", state="failed", error="old")
    data_file.file.save("report.pdf", ContentFile(files.pdf()))
    call_command("reprocess_files", "--failed", "--now", verbosity=0)
    data_file.refresh_from_db()
    assert (data_file.state, data_file.error) == ("ready", "")


def test_a_table_without_rows_is_ready_with_a_warning(db, tmp_path):
    results = _examine(tmp_path, "empty.csv", b"scientificName,eventDate\n")
    assert results["row_count"] == 0
    assert "no rows" in warning_text(results["warnings"][0], with_values=True)
