"""Citations of a publication: plain text (APA-like), BibTeX, RIS and CSL-JSON.

Pure functions of a publication whose authors (and species and themes, for keywords) are
loaded. Names are kept as written: Chinese, Japanese, Korean, Mongolian and Russian names
are not split into given and family names, which a machine cannot do reliably.
"""

import json

from publications.models import Publication

BIBTEX_TYPES = {"article": "article", "book": "book", "report": "techreport"}
RIS_TYPES = {
    "article": "JOUR",
    "book": "BOOK",
    "report": "RPRT",
    "policy_brief": "RPRT",
    "factsheet": "PAMP",
    "poster": "GEN",
    "presentation": "SLIDE",
}
CSL_TYPES = {
    "article": "article-journal",
    "book": "book",
    "report": "report",
    "policy_brief": "report",
    "factsheet": "pamphlet",
    "presentation": "speech",
    "poster": "speech",
}
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


def _one_line(value: str) -> str:
    """Return ``value`` with every run of whitespace (newlines too) made one space."""
    return " ".join(value.split())


def _authors(publication: Publication) -> list[str]:
    return [_one_line(author.name) for author in publication.authors.all()]


def _link(publication: Publication) -> str:
    if publication.doi:
        return f"https://doi.org/{publication.doi}"
    return publication.url


def _keywords(publication: Publication) -> list[str]:
    names = [species.scientific_name for species in publication.species.all()]
    return names + [theme.name_en for theme in publication.themes.all()]


def plain(publication: Publication) -> str:
    """Return an APA-like reference: authors (year). Title [English title]. Link."""
    names = _authors(publication)
    if len(names) > 1:
        authors = ", ".join(names[:-1]) + ", & " + names[-1]
    else:
        authors = names[0] if names else "NEASPEC"
    title = _one_line(publication.title).rstrip(".")
    text = f"{authors} ({publication.year}). {title}"
    english = _one_line(publication.title_en)
    if english and english != title:
        text += f" [{english.rstrip('.')}]"
    text += "."
    link = _link(publication)
    return f"{text} {link}" if link else text


def _bibtex_value(value: str) -> str:
    return _one_line(value).translate(BIBTEX_ESCAPES)


def bibtex(publication: Publication) -> str:
    """Return one BibTeX entry; every value is escaped and its braces balance."""
    names = _authors(publication) or ["NEASPEC"]
    english = publication.title_en if publication.title_en != publication.title else ""
    fields = {
        "title": _bibtex_value(publication.title),
        # Each name braced: kept whole, never split into given and family names.
        "author": " and ".join(f"{{{_bibtex_value(name)}}}" for name in names),
        "year": str(publication.year),
        "language": _bibtex_value(publication.language),
        "doi": _bibtex_value(publication.doi),
        "url": _bibtex_value(publication.url),
        "note": _bibtex_value(f"English title: {english}") if english else "",
        "keywords": _bibtex_value(", ".join(_keywords(publication))),
        "abstract": _bibtex_value(publication.abstract[:2000]),
    }
    if publication.type not in BIBTEX_TYPES:
        fields["howpublished"] = _bibtex_value(publication.get_type_display())
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items() if value)
    entry_type = BIBTEX_TYPES.get(publication.type, "misc")
    return f"@{entry_type}{{neaspec{publication.pk},\n{body}\n}}\n"


def ris(publication: Publication) -> str:
    """Return one RIS record (TY first, ER last), one tag per line."""
    lines = [f"TY  - {RIS_TYPES.get(publication.type, 'GEN')}"]
    lines += [f"AU  - {name}" for name in _authors(publication)]
    lines += [f"TI  - {_one_line(publication.title)}", f"PY  - {publication.year}"]
    if publication.title_en and publication.title_en != publication.title:
        lines.append(f"TT  - {_one_line(publication.title_en)}")
    lines.append(f"LA  - {publication.language}")
    if publication.doi:
        lines.append(f"DO  - {publication.doi}")
    if publication.url:
        lines.append(f"UR  - {_one_line(publication.url)}")
    lines += [f"KW  - {_one_line(keyword)}" for keyword in _keywords(publication)]
    if publication.abstract:
        lines.append(f"AB  - {_one_line(publication.abstract)}")
    lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n"


def csl_data(publication: Publication) -> dict:
    """Return the CSL-JSON item of ``publication`` as a dict."""
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
    keywords = _keywords(publication)
    if keywords:
        item["keyword"] = ", ".join(keywords)
    return item


def csl_json(publication: Publication) -> str:
    """Return a CSL-JSON array holding the one item of ``publication``."""
    return json.dumps([csl_data(publication)], ensure_ascii=False, indent=2)


#: format name → (function, media type, file extension)
FORMATS = {
    "bibtex": (bibtex, "application/x-bibtex", "bib"),
    "ris": (ris, "application/x-research-info-systems", "ris"),
    "csl-json": (csl_json, "application/vnd.citationstyles.csl+json", "json"),
}
