"""Citations of a publication: plain text (APA-like), BibTeX, RIS and CSL-JSON.

Pure functions of a publication whose authors (and species and themes, for keywords) are
loaded. Names are kept as written: Chinese, Japanese, Korean, Mongolian and Russian names
are not split into given and family names, which a machine cannot do reliably.
"""

from neaspec_portal.citation import (
    bibtex_entry,
    bibtex_names,
    bibtex_value,
    csl_json_array,
    one_line,
    ris_record,
)
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


def _authors(publication: Publication) -> list[str]:
    return [one_line(author.name) for author in publication.authors.all()]


def _link(publication: Publication) -> str:
    if publication.doi:
        return f"https://doi.org/{publication.doi}"
    return publication.url


def _issuer(publication: Publication) -> str:
    """Return who put it out: the institution and the publisher, when they differ."""
    names = [one_line(publication.institution), one_line(publication.publisher)]
    return ", ".join(dict.fromkeys(name for name in names if name))


def _keywords(publication: Publication) -> list[str]:
    names = [species.scientific_name for species in publication.species.all()]
    return names + [theme.name_en for theme in publication.themes.all()]


def plain(publication: Publication) -> str:
    """Return an APA-like reference: authors (year). Title [English title]. Issuer. Link."""
    names = _authors(publication)
    if len(names) > 1:
        authors = ", ".join(names[:-1]) + ", & " + names[-1]
    else:
        authors = names[0] if names else "NEASPEC"
    title = one_line(publication.title).rstrip(".")
    text = f"{authors} ({publication.year}). {title}"
    english = one_line(publication.title_en)
    if english and english != title:
        text += f" [{english.rstrip('.')}]"
    text += "."
    issuer = _issuer(publication)
    if issuer:
        text += f" {issuer.rstrip('.')}."
    link = _link(publication)
    return f"{text} {link}" if link else text


def bibtex(publication: Publication) -> str:
    """Return one BibTeX entry; every value is escaped and its braces balance."""
    names = _authors(publication) or ["NEASPEC"]
    english = publication.title_en if publication.title_en != publication.title else ""
    fields = {
        "title": bibtex_value(publication.title),
        "author": bibtex_names(names),
        "year": str(publication.year),
        "language": bibtex_value(publication.language),
        "doi": bibtex_value(publication.doi),
        "url": bibtex_value(publication.url),
        "publisher": bibtex_value(publication.publisher),
        "institution": bibtex_value(publication.institution),
        "note": bibtex_value(f"English title: {english}") if english else "",
        "keywords": bibtex_value(", ".join(_keywords(publication))),
        "abstract": bibtex_value(publication.abstract[:2000]),
    }
    if publication.type not in BIBTEX_TYPES:
        fields["howpublished"] = bibtex_value(publication.get_type_display())
    entry_type = BIBTEX_TYPES.get(publication.type, "misc")
    return bibtex_entry(entry_type, f"neaspec{publication.pk}", fields)


def ris(publication: Publication) -> str:
    """Return one RIS record (TY first, ER last), one tag per line."""
    english = publication.title_en if publication.title_en != publication.title else ""
    tags = [("TY", RIS_TYPES.get(publication.type, "GEN"))]
    tags += [("AU", name) for name in _authors(publication)]
    tags += [("TI", publication.title), ("PY", str(publication.year)), ("TT", english)]
    tags += [("LA", publication.language), ("DO", publication.doi), ("UR", publication.url)]
    tags += [("PB", _issuer(publication))]
    tags += [("KW", keyword) for keyword in _keywords(publication)]
    tags.append(("AB", publication.abstract))
    return ris_record(tags)


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
    if _issuer(publication):
        item["publisher"] = _issuer(publication)
    if publication.licence:
        item["license"] = publication.licence
    if publication.abstract:
        item["abstract"] = publication.abstract
    keywords = _keywords(publication)
    if keywords:
        item["keyword"] = ", ".join(keywords)
    return item


def csl_json(publication: Publication) -> str:
    """Return a CSL-JSON array holding the one item of ``publication``."""
    return csl_json_array([csl_data(publication)])


#: format name → (function, media type, file extension)
FORMATS = {
    "bibtex": (bibtex, "application/x-bibtex", "bib"),
    "ris": (ris, "application/x-research-info-systems", "ris"),
    "csl-json": (csl_json, "application/vnd.citationstyles.csl+json", "json"),
}
