"""Text for search and thumbnails for previews, under hard limits."""

import io
import re
import warnings
import zipfile
from typing import IO

from PIL import Image

from datasets.message_catalog import stored
from datasets.processing import ProcessingError, Source

MAX_TEXT = 400_000
MAX_PDF_PAGES = 60
THUMBNAIL_SIZE = (480, 480)
#: Pillow refuses images above this many pixels (a decompression bomb), as an error.
MAX_IMAGE_PIXELS = 80_000_000
_XML_TEXT = re.compile(r"<(?:w|a):t[^>]*>([^<]*)</(?:w|a):t>")


def _read_pdf(path: Source, *, strict: bool) -> str:
    from pypdf import PdfReader

    with path.open("rb") as stream:
        reader = PdfReader(stream, strict=strict)
        parts = []
        for page in reader.pages[:MAX_PDF_PAGES]:
            parts.append(page.extract_text() or "")
            if sum(len(part) for part in parts) > MAX_TEXT:
                break
    return "\n".join(parts)[:MAX_TEXT]


def pdf_text(path: Source, warnings: list[dict] | None = None) -> str:
    """Return the text of the first pages of a PDF; raise ProcessingError if it is unreadable.

    A PDF that breaks the format's rules (e.g. a damaged cross-reference table) is read again
    leniently, as viewers do, and a warning saying so is added to ``warnings``.
    """
    from pypdf.errors import PdfReadError

    try:
        return _read_pdf(path, strict=True)
    except (PdfReadError, ValueError, KeyError) as error:
        problem = str(error)[:200]
    try:
        text = _read_pdf(path, strict=False)
    except (PdfReadError, ValueError, KeyError):
        # The strict reading's complaint names the first thing wrong; report that one.
        raise ProcessingError("pdf_damaged", error=problem) from None
    if warnings is not None:
        warnings.append(stored("pdf_repaired", error=problem))
    return text


def office_text(path: Source, kind: str) -> str:
    """Return the text of a DOCX or PPTX file from its XML parts."""
    prefix = "word/" if kind == "docx" else "ppt/slides/"
    parts = []
    with path.open("rb") as stream, zipfile.ZipFile(stream) as archive:
        for info in archive.infolist():
            if info.filename.startswith(prefix) and info.filename.endswith(".xml"):
                with archive.open(info) as member:
                    xml = member.read(5 * 1024 * 1024).decode("utf-8", "replace")
                parts.extend(_XML_TEXT.findall(xml))
                if sum(len(part) for part in parts) > MAX_TEXT:
                    break
    return " ".join(parts)[:MAX_TEXT]


def _pdfium_error() -> type[Exception]:
    import pypdfium2

    return pypdfium2.PdfiumError


def thumbnail(path: Source, kind: str) -> bytes | None:
    """Return a PNG thumbnail of an image or of a PDF's first page, or None."""
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: refuse those too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with path.open("rb") as stream:
                return _thumbnail(stream, kind)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ProcessingError("image_too_big", max=MAX_IMAGE_PIXELS // 1_000_000) from None
    except (OSError, ValueError, _pdfium_error()) as error:
        raise ProcessingError("unreadable", kind=kind, error=str(error)[:200]) from None


def _thumbnail(stream: IO[bytes], kind: str) -> bytes | None:
    if kind == "pdf":
        import pypdfium2

        document = pypdfium2.PdfDocument(stream)
        try:
            image = document[0].render(scale=0.6).to_pil()
        finally:
            document.close()
    elif kind in {"png", "jpeg", "webp"}:
        image = Image.open(stream)
        image.draft("RGB", THUMBNAIL_SIZE)
    else:
        return None
    image.thumbnail(THUMBNAIL_SIZE)
    output = io.BytesIO()
    image.convert("RGB").save(output, "PNG", optimize=True)
    return output.getvalue()
