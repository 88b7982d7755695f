"""Read exports back with independent tools: python-dwca-reader and the EML 2.2 XSD."""

import io
import zipfile
from functools import cache
from pathlib import Path

import xmlschema
from dwca.read import DwCAReader

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


@cache
def eml_schema() -> xmlschema.XMLSchema:
    """Return the EML 2.2.0 schema shipped in the repository (no network)."""
    return xmlschema.XMLSchema(str(SCHEMAS / "eml-2.2.0" / "eml.xsd"))


def body(response) -> bytes:
    """Return the bytes of a response, streamed or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def read_archive(data: bytes, tmp_path: Path) -> tuple[list[dict], str]:
    """Return the core rows (term name -> value) and eml.xml of a Darwin Core Archive."""
    path = tmp_path / f"archive-{len(list(tmp_path.iterdir()))}.zip"
    path.write_bytes(data)
    with DwCAReader(str(path)) as archive:
        rows = [
            {term.rsplit("/", 1)[-1]: value for term, value in row.data.items()} for row in archive
        ]
        with archive.open_included_file("eml.xml", encoding="utf-8") as handle:
            eml = handle.read()
    return rows, eml


def archive_text(data: bytes) -> str:
    """Return every member of a zip, decoded and joined: for searching all of it."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "\n".join(archive.read(name).decode() for name in archive.namelist())
