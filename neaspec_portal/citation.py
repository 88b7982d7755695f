"""What every citation export of the hub shares: one-line values, BibTeX escaping, the
layout of a BibTeX entry, of a RIS record and of a CSL-JSON array.

``publications.cite`` and ``datasets.cite`` build their fields from their own models and
lay them out here, so that a title with braces or a newline is escaped the same way in both.
"""

import json
from collections.abc import Iterable
from typing import Any

#: The publisher named in every citation of the hub's own material.
PUBLISHER = "NEASPEC Knowledge Hub"

#: One replacement per special character, applied in a single pass. Braces become
#: commands whose own braces balance, so that any title yields a valid BibTeX value.
BIBTEX_ESCAPES = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",
        "%": r"\%",
        "&": r"\&",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "^": r"\textasciicircum{}",
        "~": r"\textasciitilde{}",
    }
)


def one_line(value: str) -> str:
    """Return ``value`` with every run of whitespace (newlines too) made one space."""
    return " ".join(value.split())


def bibtex_value(value: str) -> str:
    """Return ``value`` on one line with BibTeX's special characters escaped."""
    return one_line(value).translate(BIBTEX_ESCAPES)


def bibtex_names(names: Iterable[str]) -> str:
    """Return an ``author`` value: each name braced, kept whole, never split by BibTeX."""
    return " and ".join(f"{{{bibtex_value(name)}}}" for name in names)


def bibtex_entry(entry_type: str, key: str, fields: dict[str, str]) -> str:
    """Return one BibTeX entry of the (already escaped) non-empty ``fields``."""
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items() if value)
    return f"@{entry_type}{{{key},\n{body}\n}}\n"


def ris_record(tags: Iterable[tuple[str, str]]) -> str:
    """Return one RIS record of ``(tag, value)`` pairs (TY first), ER last, CRLF lines.

    Pairs with an empty value are left out; every value is made one line.
    """
    lines = [f"{tag}  - {one_line(value)}" for tag, value in tags if value]
    lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n"


def csl_json_array(items: list[dict[str, Any]]) -> str:
    """Return CSL-JSON: an array of ``items``, non-ASCII kept as written."""
    return json.dumps(items, ensure_ascii=False, indent=2)
