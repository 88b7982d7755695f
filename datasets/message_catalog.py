"""The words of each processing message, by code: stored as a code with parameters, worded
when read, in the reader's language.

A file's error is stored as ``DataFile.error_code`` and ``DataFile.error_params``, its
warnings as ``{"code": ..., "params": {...}}`` items of ``DataFile.warnings``
(``datasets.messages.file_message`` words them). ``DataFile.error`` keeps the English
wording, for the operators and the admin. No parameter of these messages quotes a cell of a
table; those that could hold one are named in ``QUOTES`` and are left out for readers
without download rights.
"""

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy, override, pgettext_lazy

#: The names of the kinds of file, as messages name them.
KINDS = {
    "pdf": gettext_lazy("PDF"),
    "png": gettext_lazy("PNG image"),
    "jpeg": gettext_lazy("JPEG image"),
    "webp": gettext_lazy("WebP image"),
    "docx": gettext_lazy("Word document"),
    "pptx": gettext_lazy("PowerPoint presentation"),
    "xlsx": gettext_lazy("Excel workbook"),
    "dwca": gettext_lazy("Darwin Core Archive"),
    "camtrap-dp": gettext_lazy("Camtrap DP package"),
    "csv": gettext_lazy("CSV table"),
    "geojson": gettext_lazy("GeoJSON"),
}

#: Parameters that may hold a value read from the file's cells.
QUOTES = {"value"}

MESSAGES = {
    # The kind of file (datasets.processing.sniff)
    "empty": gettext_lazy("The file is empty."),
    "not_accepted": gettext_lazy("This kind of file is not accepted by the hub."),
    "binary_text": gettext_lazy(
        "This %(suffix)s file holds binary data, not text: a table must be saved as text "
        "(“CSV UTF-8”)."
    ),
    "wrong_content": gettext_lazy(
        "This %(suffix)s file is not a %(kind)s: its content does not begin as one. It may "
        "be damaged, or renamed from another kind of file."
    ),
    "wrong_extension": gettext_lazy(
        "The name ends in %(suffix)s but the file is a %(kind)s; rename it or upload the "
        "right file."
    ),
    "svg": gettext_lazy(
        "The file is an SVG drawing, which the hub does not accept because it can carry "
        "scripts. Export it as PNG and upload that."
    ),
    "html": gettext_lazy(
        "The file is a web page (HTML), which the hub does not accept. Save it as PDF and "
        "upload that."
    ),
    "not_a_table": gettext_lazy(
        "The file is neither a table with a header line nor any type the hub accepts."
    ),
    "zip_damaged": gettext_lazy("The zip file is damaged and cannot be opened."),
    "zip_too_many": gettext_lazy("The archive holds %(n)d files; the hub accepts at most %(max)d."),
    "zip_outside": gettext_lazy("The archive contains a path outside itself (%(name)s)."),
    "zip_link": gettext_lazy(
        "The archive contains a symbolic link (%(name)s), which is not allowed."
    ),
    "zip_bomb": gettext_lazy(
        "%(name)s expands %(ratio)d times when unpacked: refused as a zip bomb."
    ),
    "zip_too_big": gettext_lazy("The archive unpacks to more than 4 GiB."),
    "zip_unknown": gettext_lazy(
        "This zip is neither a Darwin Core Archive (meta.xml) nor a Camtrap DP package "
        "(datapackage.json)."
    ),
    # Reading (datasets.processing.extract, pipeline)
    "pdf_damaged": gettext_lazy("The PDF is damaged: %(error)s"),
    "image_too_big": gettext_lazy(
        "The image has too many pixels (over %(max)d million) to be processed safely."
    ),
    "unreadable": gettext_lazy("The file cannot be read as a %(kind)s: %(error)s"),
    "timeout": gettext_lazy(
        "Reading the file took longer than the %(minutes)d minutes allowed. Split it into "
        "smaller files and upload those."
    ),
    "missing": gettext_lazy(
        "The stored copy of this file is missing. Upload it again, or ask the operators."
    ),
    "internal": gettext_lazy(
        "The hub could not read this file because of an error of its own; the operators "
        "have been told. You may try uploading it again later."
    ),
    # Tables (datasets.processing.tabular)
    "not_utf8": gettext_lazy(
        "The table is not UTF-8 (it looks like %(encoding)s). Save it as “CSV UTF-8” and "
        "upload it again."
    ),
    "part_not_utf8": gettext_lazy(
        "Part of the table is not UTF-8. Save it as “CSV UTF-8” and upload it again."
    ),
    "too_many_columns": gettext_lazy("The table has %(n)d columns; the hub reads at most %(max)d."),
    "table_empty": gettext_lazy("The table is empty."),
    "table_unreadable": gettext_lazy("The table cannot be read: %(error)s"),
    "field_too_long": gettext_lazy(
        "row %(row)s: a value is longer than %(max)d MB, the most the hub reads."
    ),
    "row_unreadable": gettext_lazy("row %(row)s cannot be read: %(error)s"),
    "cell_problems": gettext_lazy("The table has problems; fix them and upload the file again."),
    # Archives (datasets.processing.archives)
    "archive_member_missing": gettext_lazy("The archive has no file named %(name)s."),
    "member_unreadable": gettext_lazy("%(name)s in the archive cannot be read: %(error)s"),
    "member_not_utf8": gettext_lazy(
        "%(name)s in the archive is not in the encoding its description gives (UTF-8 "
        "unless said otherwise)."
    ),
    "member_empty": gettext_lazy("%(name)s in the archive is empty."),
    "unknown_encoding": gettext_lazy("The archive names an unknown encoding, %(encoding)s."),
    "dwca_bad_meta": gettext_lazy(
        "The archive's meta.xml cannot be read as a Darwin Core Archive description (core, "
        "files, fields)."
    ),
    "dwca_no_occurrences": gettext_lazy(
        "The archive's core is an Event table without an Occurrence extension: it holds no "
        "occurrences to read."
    ),
    "dwca_core_unsupported": gettext_lazy(
        "The archive's core is a %(row_type)s table; the hub reads an Occurrence core, or an "
        "Event core with an Occurrence extension."
    ),
    "dwca_too_many_events": gettext_lazy(
        "The archive has more than %(max)d events; split it into smaller archives."
    ),
    "camtrap_bad_descriptor": gettext_lazy("datapackage.json is not valid Camtrap DP: %(error)s"),
    "camtrap_bad_table": gettext_lazy("%(name)s, row %(row)s: %(error)s (Camtrap DP table schema)"),
    "camtrap_unknown_deployment": gettext_lazy(
        "observations, row %(row)s: the deployment it names is not in deployments."
    ),
    # Warnings
    "no_rows": gettext_lazy("The table has a header but no rows."),
    "duplicate": gettext_lazy("Identical to %(name)s, already in this dataset."),
    "pdf_repaired": gettext_lazy(
        "The PDF is damaged (%(error)s); the hub repaired it to read it, but some programs "
        "may not open it. Save it again from the program that made it."
    ),
    "camtrap_checked_rows": gettext_lazy(
        "The Camtrap DP tables were checked against their schemas over their first %(rows)s "
        "rows; every row was read."
    ),
}

#: Shown instead of a message that would quote a cell to a reader without download rights.
WITHHELD = pgettext_lazy(
    "processing message", "A problem in the file (its wording quotes data, so it is not shown)."
)


def word(code: str, params: dict | None = None, *, with_values: bool = True) -> str:
    """Return message ``code`` with ``params`` in the active language.

    A parameter that may quote a cell (``QUOTES``) is withheld unless ``with_values``. A
    ``kind`` parameter is a kind of file, named in the reader's language.
    """
    template = MESSAGES.get(code)
    if template is None:
        return str(MESSAGES["internal"])
    values = dict(params or {})
    if not with_values and QUOTES.intersection(values):
        return str(WITHHELD)
    if isinstance(values.get("row"), int):
        values["row"] = number_format(values["row"], force_grouping=True)
    if "kind" in values:
        values["kind"] = KINDS.get(values["kind"], values["kind"])
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        # A translation that lost a placeholder must not break the page: say it in English.
        with override("en"):
            return str(template) % values


def english(code: str, params: dict | None = None) -> str:
    """Return message ``code`` in English: the wording kept for the operators."""
    with override("en"):
        return word(code, params)


def stored(code: str, **params) -> dict:
    """Return the stored form of a warning."""
    return {"code": code, "params": params}
