"""The real type of a file, read from its bytes; hostile archives are refused unopened."""

import stat
import zipfile
from pathlib import PurePosixPath

from datasets.processing import ProcessingError, Source

#: Archive limits checked from the central directory, before anything is extracted.
MAX_ZIP_MEMBERS = 10_000
MAX_ZIP_TOTAL = 4 * 1024**3
MAX_ZIP_RATIO = 200

#: Extensions a kind may be uploaded with; a mismatch is refused.
EXTENSIONS = {
    "pdf": {".pdf"},
    "png": {".png"},
    "jpeg": {".jpg", ".jpeg"},
    "webp": {".webp"},
    "docx": {".docx"},
    "pptx": {".pptx"},
    "xlsx": {".xlsx"},
    "dwca": {".zip"},
    "camtrap-dp": {".zip"},
    "csv": {".csv", ".tsv", ".txt"},
    "geojson": {".geojson", ".json"},
}


def _zip_kind(path: Source) -> str:
    with path.open("rb") as handle:
        return _zip_members_kind(handle)


def _zip_members_kind(handle) -> str:
    try:
        archive = zipfile.ZipFile(handle)
    except zipfile.BadZipFile:
        raise ProcessingError("zip_damaged") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise ProcessingError("zip_too_many", n=len(members), max=MAX_ZIP_MEMBERS)
        total = 0
        for member in members:
            name = PurePosixPath(member.filename)
            if name.is_absolute() or ".." in name.parts or "\\" in member.filename:
                raise ProcessingError("zip_outside", name=member.filename[:100])
            if stat.S_ISLNK(member.external_attr >> 16):
                raise ProcessingError("zip_link", name=member.filename[:100])
            total += member.file_size
            if member.compress_size and member.file_size / member.compress_size > MAX_ZIP_RATIO:
                raise ProcessingError(
                    "zip_bomb",
                    name=member.filename[:100],
                    ratio=member.file_size // member.compress_size,
                )
        if total > MAX_ZIP_TOTAL:
            raise ProcessingError("zip_too_big")
        names = {member.filename for member in members}
    if "word/document.xml" in names:
        return "docx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if any(PurePosixPath(n).name == "meta.xml" for n in names):
        return "dwca"
    if any(PurePosixPath(n).name == "datapackage.json" for n in names):
        return "camtrap-dp"
    raise ProcessingError("zip_unknown")


def _text_kind(head: bytes) -> str:
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<"):  # markup: say what it is rather than "not a table"
        markup = text[:2048].lower()
        if b"<svg" in markup:
            raise ProcessingError("svg")
        if b"<html" in markup or markup.startswith(b"<!doctype html"):
            raise ProcessingError("html")
    if text.startswith(b"{") and b'"type"' in head[:4096]:
        return "geojson"
    first_line = text.split(b"\n", 1)[0]
    if any(separator in first_line for separator in (b",", b"\t", b";")):
        return "csv"
    raise ProcessingError("not_a_table")


def _binary_refusal(suffix: str) -> ProcessingError:
    """Return the refusal of binary content that matches no accepted type, said precisely
    when the name promises a kind the hub accepts."""
    if suffix in {".csv", ".tsv", ".txt", ".json", ".geojson"}:
        return ProcessingError("binary_text", suffix=suffix)
    for kind, suffixes in EXTENSIONS.items():
        if suffix in suffixes:
            return ProcessingError("wrong_content", suffix=suffix, kind=kind)
    return ProcessingError("not_accepted")


def sniff(path: Source, original_name: str) -> str:
    """Return the kind of the file at ``path``; raise ProcessingError if it is not allowed."""
    with path.open("rb") as handle:
        head = handle.read(8192)
    if not head:
        raise ProcessingError("empty")
    suffix = PurePosixPath(original_name.lower()).suffix
    if head.startswith(b"%PDF-"):
        kind = "pdf"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif head.startswith(b"\xff\xd8\xff"):
        kind = "jpeg"
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = "webp"
    elif head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(path)
    elif b"\x00" in head:
        raise _binary_refusal(suffix)
    else:
        kind = _text_kind(head)
    if suffix not in EXTENSIONS[kind]:
        raise ProcessingError("wrong_extension", suffix=suffix or "(…)", kind=kind)
    return kind
