"""A report's table as a file: CSV (UTF-8 with a byte-order mark, so that spreadsheet
programs read CJK and Cyrillic names) or XLSX (openpyxl).

Text cells that a spreadsheet would read as a formula (starting with = + - @) are written
with a leading apostrophe, so that a name in the reference data can never run as one.
"""

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from reports.registry import Report

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def table(report: Report, rows: list[dict[str, Any]]) -> list[list[Any]]:
    """Return the header (translated labels) and the rows, one list per line."""
    return [[str(column.label) for column in report.columns]] + [
        [_cell(row.get(column.key)) for column in report.columns] for row in rows
    ]


def as_csv(report: Report, rows: list[dict[str, Any]]) -> bytes:
    """Return the report as CSV bytes."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(table(report, rows))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(report: Report, rows: list[dict[str, Any]], *, notes: list[str]) -> bytes:
    """Return the report as an XLSX workbook: one sheet, a bold header, then the notes."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = report.slug[:31]
    lines = table(report, rows)
    for line in lines:
        sheet.append(line)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    if notes:
        sheet.append([])
        for note in notes:
            sheet.append([_cell(note)])
    for index in range(1, len(report.columns) + 1):
        width = max(len(str(line[index - 1])) for line in lines) + 2
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(
            width, 40
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
