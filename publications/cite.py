"""Citations of a publication: plain text, BibTeX, RIS and CSL-JSON."""

import json
import re

from publications.models import Publication

BIBTEX_TYPES = {"article": "article", "book": "book", "report": "techreport"}
RIS_TYPES = {"article": "JOUR", "book": "BOOK", "report": "RPRT", "presentation": "SLIDE"}
CSL_TYPES = {"article": "article-journal", "book": "book", "report": "report"}


def _authors(publication: Publication) -> list[str]:
    return [author.name for author in publication.authors.all()]


def plain(publication: Publication) -> str:
    """Return an APA-like reference."""
    authors = ", ".join(_authors(publication)) or "NEASPEC"
    text = f"{authors} ({publication.year}). {publication.title}."
    if publication.title_en and publication.title_en != publication.title:
        text += f" [{publication.title_en}]."
    if publication.doi:
        text += f" https://doi.org/{publication.doi}"
    elif publication.url:
        text += f" {publication.url}"
    return text


def _bibtex_escape(value: str) -> str:
    return re.sub(r"([{}\\%&$#_^~])", r"\\\1", value)


def bibtex(publication: Publication) -> str:
    """Return a BibTeX entry with balanced braces and escaped special characters."""
    key = f"neaspec{publication.pk}_{publication.year}"
    fields = {
        "title": publication.title,
        "author": " and ".join(_authors(publication)),
        "year": str(publication.year),
        "language": publication.language,
        "doi": publication.doi,
        "url": publication.url,
        "abstract": publication.abstract[:2000],
    }
    body = ",\n".join(
        f"  {name} = {{{_bibtex_escape(value)}}}" for name, value in fields.items() if value
    )
    return f"@{BIBTEX_TYPES.get(publication.type, 'misc')}{{{key},\n{body}\n}}\n"


def ris(publication: Publication) -> str:
    """Return a RIS record."""
    lines = [f"TY  - {RIS_TYPES.get(publication.type, 'GEN')}"]
    lines += [f"AU  - {name}" for name in _authors(publication)]
    lines += [
        f"TI  - {publication.title}",
        f"PY  - {publication.year}",
        f"LA  - {publication.language}",
    ]
    if publication.title_en:
        lines.append(f"T2  - {publication.title_en}")
    if publication.doi:
        lines.append(f"DO  - {publication.doi}")
    if publication.url:
        lines.append(f"UR  - {publication.url}")
    if publication.abstract:
        lines.append(f"AB  - {' '.join(publication.abstract.split())}")
    lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n"


def csl_json(publication: Publication) -> str:
    """Return a CSL-JSON array with one item."""
    item = {
        "id": f"neaspec-{publication.pk}",
        "type": CSL_TYPES.get(publication.type, "document"),
        "title": publication.title,
        "author": [{"literal": name} for name in _authors(publication)],
        "issued": {"date-parts": [[publication.year]]},
        "language": publication.language,
    }
    if publication.doi:
        item["DOI"] = publication.doi
    if publication.url:
        item["URL"] = publication.url
    if publication.abstract:
        item["abstract"] = publication.abstract
    return json.dumps([item], ensure_ascii=False, indent=2)


FORMATS = {
    "bibtex": (bibtex, "application/x-bibtex", "bib"),
    "ris": (ris, "application/x-research-info-systems", "ris"),
    "csl-json": (csl_json, "application/vnd.citationstyles.csl+json", "json"),
}
