"""What processing says about a file, worded for the person reading it.

Problems in a table's cells are stored as codes with parameters (``problem``): the row
number, the columns, the kind of problem and the values. They are worded when read, in the
reader's language, and quote the values only to people who may download the file: a cell
may hold exactly what the file is withheld for ("43.3351, 131.3380"). The same holds for
the names a table gives its species (``DataFile.name_matches``).
"""

from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from datasets.message_catalog import WITHHELD, word
from species.models import Species

#: Longest quoted value, in characters.
QUOTE = 40


def problem(row: int, kind: str, columns: list[str], values: list[str]) -> dict:
    """Return the stored form of one problem found in a table's row."""
    return {
        "code": kind,
        "row": row,
        "columns": columns,
        "values": [value[:QUOTE] for value in values],
    }


def _number(value: int) -> str:
    """Return ``value`` grouped as the reader's language groups digits (1,204 or 1 204)."""
    return number_format(value, force_grouping=True)


def _columns(item: dict) -> str:
    return ", ".join(item.get("columns") or [])


def problem_text(item: dict, *, with_values: bool) -> str:
    """Return one stored problem in words, with the cell values only if ``with_values``."""
    code, values = item.get("code"), item.get("values") or []
    if code == "legacy":  # worded before problems were stored as codes
        if with_values:
            return str(item.get("text", ""))
        return _("A problem in the table (its wording quotes data, so it is not shown).")
    row = _number(item.get("row", 0))
    columns = _columns(item)
    if with_values and values:
        if code == "coordinates":
            return _("row %(row)s: the coordinates “%(lat)s, %(lon)s” are not numbers") % {
                "row": row,
                "lat": values[0],
                "lon": values[-1],
            }
        if code == "latitude":
            return _("row %(row)s: latitude %(value)s is outside −90..90") % {
                "row": row,
                "value": values[0],
            }
        if code == "longitude":
            return _("row %(row)s: longitude %(value)s is outside −180..180") % {
                "row": row,
                "value": values[0],
            }
        return _("row %(row)s: “%(value)s” is not a date (use YYYY-MM-DD)") % {
            "row": row,
            "value": values[0],
        }
    if code == "coordinates":
        return _("row %(row)s: the coordinates (%(columns)s) are not numbers") % {
            "row": row,
            "columns": columns,
        }
    if code == "latitude":
        return _("row %(row)s: the latitude (%(columns)s) is outside −90..90") % {
            "row": row,
            "columns": columns,
        }
    if code == "longitude":
        return _("row %(row)s: the longitude (%(columns)s) is outside −180..180") % {
            "row": row,
            "columns": columns,
        }
    return _("row %(row)s: the %(columns)s value is not a date (use YYYY-MM-DD)") % {
        "row": row,
        "columns": columns,
    }


def name_match_lines(matches: list, species_names: dict[str, str], *, with_values: bool) -> list:
    """Return the matching report of a table's names, one line per name (or per species).

    ``matches`` holds ``[name, species code or None, rows]``; ``species_names`` maps codes
    to scientific names. Without values, the names as written are not quoted: rows are
    summed per species, and the unresolved ones in one line.
    """
    lines: list[str] = []
    if with_values:
        for name, code, rows in matches:
            if code:
                lines.append(
                    ngettext(
                        "%(rows)s row “%(name)s” → %(species)s",
                        "%(rows)s rows “%(name)s” → %(species)s",
                        rows,
                    )
                    % {
                        "rows": _number(rows),
                        "name": name,
                        "species": species_names.get(code, code),
                    }
                )
            else:
                lines.append(
                    ngettext(
                        "%(rows)s row “%(name)s” not resolved: treated as sensitive",
                        "%(rows)s rows “%(name)s” not resolved: treated as sensitive",
                        rows,
                    )
                    % {"rows": _number(rows), "name": name}
                )
        return lines
    per_species: dict[str | None, int] = {}
    for _name, code, rows in matches:
        per_species[code] = per_species.get(code, 0) + rows
    for code, rows in sorted(per_species.items(), key=lambda pair: (pair[0] is None, -pair[1])):
        if code:
            lines.append(
                ngettext("%(rows)s row → %(species)s", "%(rows)s rows → %(species)s", rows)
                % {"rows": _number(rows), "species": species_names.get(code, code)}
            )
        else:
            lines.append(
                ngettext(
                    "%(rows)s row with a name not resolved: treated as sensitive",
                    "%(rows)s rows with names not resolved: treated as sensitive",
                    rows,
                )
                % {"rows": _number(rows)}
            )
    return lines


def species_scientific_names() -> dict[str, str]:
    """Return the scientific name of each species code, for the matching reports."""
    return dict(Species.objects.values_list("code", "scientific_name"))


@dataclass
class FileReport:
    """What a reader is told about one file's processing."""

    error: str = ""
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


def file_report(data_file, *, with_values: bool, species_names: dict | None = None) -> FileReport:
    """Return what processing says about ``data_file``, quoting data only if ``with_values``.

    ``with_values`` is whether the reader may download the file (``policy.can_download``).
    """
    problems = [problem_text(item, with_values=with_values) for item in data_file.problems]
    error = error_text(data_file, with_values=with_values)
    if problems:
        error = ngettext(
            "The table has a problem; fix it and upload the file again.",
            "The table has problems; fix them and upload the file again.",
            len(problems),
        )
    names = name_match_lines(data_file.name_matches, species_names or {}, with_values=with_values)
    return FileReport(
        error=error,
        warnings=[warning_text(item, with_values=with_values) for item in data_file.warnings],
        problems=problems,
        names=names,
    )


def error_text(data_file, *, with_values: bool) -> str:
    """Return why ``data_file`` failed, in the reader's language (empty if it did not).

    An error stored before errors were codes, whose wording the migration could not
    recognize, is shown as it is only to people who may download the file.
    """
    if data_file.error_code:
        return word(data_file.error_code, data_file.error_params, with_values=with_values)
    if data_file.error and not with_values:
        return str(WITHHELD)
    return data_file.error


def warning_text(item, *, with_values: bool) -> str:
    """Return one stored warning in the reader's language (a legacy text only with values)."""
    if isinstance(item, dict):
        return word(str(item.get("code", "")), item.get("params"), with_values=with_values)
    return str(item) if with_values else str(WITHHELD)
