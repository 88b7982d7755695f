"""Files made by the tests: good ones of each type and hostile ones."""

import io
import stat
import zipfile

from PIL import Image

from publications.demo import simple_pdf


def png(size=(64, 48)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, (30, 90, 120)).save(output, "PNG")
    return output.getvalue()


def pdf(title="Amur tiger corridors") -> bytes:
    return simple_pdf(title, ["Camera traps in Hunchun."])


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
            "meta.xml": b'<archive xmlns="http://rs.tdwg.org/dwc/text/"/>',
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
