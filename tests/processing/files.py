"""Files made by the tests: good ones of each type and hostile ones."""

import io
import stat
import struct
import zipfile
import zlib

from PIL import Image

from publications.demo import simple_pdf


def png(size=(64, 48)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, (30, 90, 120)).save(output, "PNG")
    return output.getvalue()


def pdf(title="Amur tiger corridors") -> bytes:
    return simple_pdf(title, ["Camera traps in Hunchun."])


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width=20_000, height=20_000) -> bytes:
    """Return a black one-bit PNG of ``width`` × ``height`` pixels: tiny, huge once decoded."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the row's bits
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", data)
        + _png_chunk(b"IEND", b"")
    )


def pdf_with_broken_xref() -> bytes:
    """Return a PDF whose startxref points into the middle of an object, as after a bad edit."""
    data = pdf()
    start = data.rindex(b"startxref\n") + len(b"startxref\n")
    end = data.index(b"\n", start)
    return data[:start] + str(int(data[start:end]) - 100).encode() + data[end:]


def pdf_without_xref() -> bytes:
    """Return a PDF cut before its cross-reference table, as an interrupted download."""
    data = pdf()
    return data[: data.rindex(b"xref")]


def docx(text="Black-faced spoonbill census") -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="w"><w:body><w:p><w:r>'
            f"<w:t>{text}</w:t>"
            "</w:r></w:p></w:body></w:document>",
        )
    return output.getvalue()


def zip_of(members: dict[str, bytes], symlink: str | None = None) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return output.getvalue()


def dwca() -> bytes:
    return zip_of(
        {
            "meta.xml": b'<archive xmlns="http://rs.tdwg.org/dwc/text/"><core '
            b'rowType="http://rs.tdwg.org/dwc/terms/Occurrence" ignoreHeaderLines="1">'
            b"<files><location>occurrence.csv</location></files>"
            b'<field index="0" term="http://rs.tdwg.org/dwc/terms/scientificName"/>'
            b'<field index="1" term="http://rs.tdwg.org/dwc/terms/decimalLatitude"/>'
            b'<field index="2" term="http://rs.tdwg.org/dwc/terms/decimalLongitude"/>'
            b"</core></archive>",
            "occurrence.csv": b"scientificName,decimalLatitude,decimalLongitude\n",
        }
    )


def zip_bomb() -> bytes:
    return zip_of({"datapackage.json": b"{}", "huge.csv": b"0" * 50_000_000})


DWC_CSV = (
    b"occurrenceID,scientificName,eventDate,decimalLatitude,decimalLongitude,individualCount\n"
    b"1,Panthera tigris altaica,2023-02-11,43.2567,131.3456,1\n"
    b"2,Grus vipio,2023-03-02T06:10:00Z,47.1,124.3,12\n"
    b"3,Felis catus,2023-04-05,44.0,130.0,1\n"
)

MOVEBANK_CSV = (
    b"event-id,timestamp,location-long,location-lat,individual-local-identifier,"
    b"individual-taxon-canonical-name\n"
    b"1,2024-01-01 00:00:00.000,115.7,50.0,crane-7,Grus monacha\n"
    b"2,2024-01-02 00:00:00.000,117.4,48.9,crane-7,Grus monacha\n"
)

MOVEBANK_UNDERSCORE_CSV = MOVEBANK_CSV.replace(b"location-long", b"location_long").replace(
    b"location-lat", b"location_lat"
)

BAD_LATITUDE_CSV = (
    "scientificName,eventDate,decimalLatitude,decimalLongitude\n"
    + "Panthera uncia,2022-10-04,43.2,101.07\n" * 1202
    + "Panthera uncia,2022-10-05,91.3,101.07\n"
).encode()


def csv_with_long_line() -> bytes:
    return b"scientificName,eventDate\nGrus vipio,2020-01-01\n" + b"x" * (10 * 1024**2) + b",1\n"


HTML_PAGE = b"<!DOCTYPE html><html><head><title>Report</title></head><body>hi</body></html>"
SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>"
)
SHIFT_JIS_CSV = "種,日付,緯度,経度\nナベヅル,2020-01-01,34.1,130.2\n".encode("shift_jis")
CP1251_CSV = "вид,дата,широта,долгота\nирбис,2020-01-01,50.1,89.9\n".encode("cp1251")
HEADER_ONLY_CSV = b"scientificName,eventDate,decimalLatitude,decimalLongitude\n"

#: The hostile or broken files every change to processing must still handle:
#: (case, upload name, contents, final state, a part of the message shown to the uploader).
HOSTILE = [
    ("PNG decompression bomb (400 MP)", "camera.png", png_bomb, "failed", "too many pixels"),
    (
        "PNG of 100 MP (Pillow only warns)",
        "camera.png",
        lambda: png_bomb(10_000, 10_000),
        "failed",
        "too many pixels",
    ),
    ("zip bomb", "bomb.zip", zip_bomb, "failed", "refused as a zip bomb"),
    (
        "zip with ../ members",
        "evil.zip",
        lambda: zip_of({"../../etc/cron.d/x": b"x", "meta.xml": b"<a/>"}),
        "failed",
        "a path outside itself (../../etc/cron.d/x)",
    ),
    (
        "zip with a symlink member",
        "link.zip",
        lambda: zip_of({"meta.xml": b"<a/>"}, symlink="data.csv"),
        "failed",
        "a symbolic link (data.csv)",
    ),
    (
        "PDF with a broken xref",
        "report.pdf",
        pdf_with_broken_xref,
        "ready",
        "The PDF is damaged (Broken xref table); the hub repaired it",
    ),
    (
        "PDF cut before its xref",
        "report.pdf",
        pdf_without_xref,
        "failed",
        "The PDF is damaged: EOF marker not found",
    ),
    ("HTML renamed .pdf", "report.pdf", lambda: HTML_PAGE, "failed", "a web page (HTML)"),
    (
        "SVG with a script",
        "map.svg",
        lambda: SVG_WITH_SCRIPT,
        "failed",
        "an SVG drawing, which the hub does not accept",
    ),
    (
        "CSV with a 10 MB line",
        "long.csv",
        csv_with_long_line,
        "failed",
        "row 3: a value is longer than 1 MB",
    ),
    (
        "CSV in Shift-JIS",
        "kanji.csv",
        lambda: SHIFT_JIS_CSV,
        "failed",
        "not UTF-8 (it looks like Shift-JIS)",
    ),
    (
        "CSV in CP1251",
        "cyrillic.csv",
        lambda: CP1251_CSV,
        "failed",
        "not UTF-8 (it looks like Windows-1251)",
    ),
    ("empty file", "empty.csv", lambda: b"", "failed", "The file is empty."),
    (
        "CSV with a header and no rows",
        "empty.csv",
        lambda: HEADER_ONLY_CSV,
        "ready",
        "The table has a header but no rows.",
    ),
]
