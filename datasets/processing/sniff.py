"""The real type of a file, read from its bytes; hostile archives are refused unopened."""

import stat
import zipfile
from pathlib import PurePosixPath

from django.utils.translation import gettext as _

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
NAMES = {
    "pdf": "PDF",
    "png": "PNG image",
    "jpeg": "JPEG image",
    "webp": "WebP image",
    "docx": "Word document",
    "pptx": "PowerPoint presentation",
    "xlsx": "Excel workbook",
    "dwca": "Darwin Core Archive",
    "camtrap-dp": "Camtrap DP package",
    "csv": "CSV table",
    "geojson": "GeoJSON",
}


def _zip_kind(path: Source) -> str:
    with path.open("rb") as handle:
        return _zip_members_kind(handle)


def _zip_members_kind(handle) -> str:
    try:
        archive = zipfile.ZipFile(handle)
    except zipfile.BadZipFile:
        raise ProcessingError(_("The zip file is damaged and cannot be opened.")) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise ProcessingError(
                _("The archive holds %(n)d files; the hub accepts at most %(max)d.")
                % {"n": len(members), "max": MAX_ZIP_MEMBERS}
            )
        total = 0
        for member in members:
            name = PurePosixPath(member.filename)
            if name.is_absolute() or ".." in name.parts or "\\" in member.filename:
                raise ProcessingError(
                    _("The archive contains a path outside itself (%(name)s).")
                    % {"name": member.filename[:100]}
                )
            if stat.S_ISLNK(member.external_attr >> 16):
                raise ProcessingError(
                    _("The archive contains a symbolic link (%(name)s), which is not allowed.")
                    % {"name": member.filename[:100]}
                )
            total += member.file_size
            if member.compress_size and member.file_size / member.compress_size > MAX_ZIP_RATIO:
                raise ProcessingError(
                    _("%(name)s expands %(ratio)d times when unpacked: refused as a zip bomb.")
                    % {
                        "name": member.filename[:100],
                        "ratio": member.file_size // member.compress_size,
                    }
                )
        if total > MAX_ZIP_TOTAL:
            raise ProcessingError(_("The archive unpacks to more than 4 GiB."))
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
    raise ProcessingError(
        _(
            "This zip is neither a Darwin Core Archive (meta.xml) nor a Camtrap DP package "
            "(datapackage.json)."
        )
    )


def _text_kind(head: bytes) -> str:
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<"):  # markup: say what it is rather than "not a table"
        markup = text[:2048].lower()
        if b"<svg" in markup:
            raise ProcessingError(
                _(
                    "The file is an SVG drawing, which the hub does not accept because it can "
                    "carry scripts. Export it as PNG and upload that."
                )
            )
        if b"<html" in markup or markup.startswith(b"<!doctype html"):
            raise ProcessingError(
                _(
                    "The file is a web page (HTML), which the hub does not accept. Save it as "
                    "PDF and upload that."
                )
            )
    if text.startswith(b"{") and b'"type"' in head[:4096]:
        return "geojson"
    first_line = text.split(b"\n", 1)[0]
    if any(separator in first_line for separator in (b",", b"\t", b";")):
        return "csv"
    raise ProcessingError(
        _("The file is neither a table with a header line nor any type the hub accepts.")
    )


def sniff(path: Source, original_name: str) -> str:
    """Return the kind of the file at ``path``; raise ProcessingError if it is not allowed."""
    with path.open("rb") as handle:
        head = handle.read(8192)
    if not head:
        raise ProcessingError(_("The file is empty."))
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
        raise ProcessingError(_("This kind of file is not accepted by the hub."))
    else:
        kind = _text_kind(head)
    suffix = PurePosixPath(original_name.lower()).suffix
    if suffix not in EXTENSIONS[kind]:
        raise ProcessingError(
            _(
                "The name ends in %(suffix)s but the file is a %(kind)s; rename it or upload the "
                "right file."
            )
            % {"suffix": suffix or "(nothing)", "kind": NAMES[kind]}
        )
    return kind
