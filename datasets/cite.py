"""The citation of one dataset version in the DataCite form, and its exports.

``citation_of`` gathers what DataCite's kernel 4 asks for: creators, title, publisher,
publication year, resource type, version and identifier (the DOI once registered, else the
version's stable URL). Text, BibTeX, RIS and CSL-JSON are laid out by
``neaspec_portal.citation`` as the publications' are; DataCite XML (and the JSON attributes
that the DOI registration sends) by ``datasets.datacite``.

Creators are people: the uploader first, then the collaborators in alphabetical order, each
with their organisation (or, without one, their country) as affiliation. The owner
country's institution is not a creator: the hub does not know which institution it is,
and the people who made the data are who a reader credits. Names are split into family and
given names only where the account gives both; otherwise they are kept as written.
"""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.urls import reverse

from accounts.models import User
from datasets.models import Dataset, Licence
from neaspec_portal.citation import (
    PUBLISHER,
    bibtex_entry,
    bibtex_names,
    bibtex_value,
    csl_json_array,
    one_line,
    ris_record,
)

#: What DataCite calls the kind of every dataset version.
RESOURCE_TYPE_GENERAL = "Dataset"
#: SPDX licence → the licence's deed.
LICENCE_URLS: dict[str, str] = {
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
}


@dataclass(frozen=True)
class Creator:
    """One person credited: ``name`` as a citation prints it ("Family, Given")."""

    name: str
    given: str = ""
    family: str = ""
    affiliation: str = ""


@dataclass(frozen=True)
class DatasetCitation:
    """What a citation of one dataset version says, whatever the format."""

    key: str
    creators: list[Creator]
    title: str
    title_en: str
    year: int
    version: int
    url: str
    doi: str = ""
    resource_type: str = ""
    abstract: str = ""
    subjects: list[str] = field(default_factory=list)
    licence: str = ""
    licence_name: str = ""
    coverage: tuple[date | None, date | None] = (None, None)
    first_version_url: str = ""
    publisher: str = PUBLISHER

    @property
    def identifier(self) -> str:
        """Return the DOI as a resolvable link when there is one, else the stable URL."""
        return f"https://doi.org/{self.doi}" if self.doi else self.url


def stable_url(dataset_pk: int) -> str:
    """Return the absolute address of a dataset version's page (``SITE_URL`` + path)."""
    return settings.SITE_URL.rstrip("/") + reverse("datasets:detail", args=[dataset_pk])


def _creator(user: User) -> Creator:
    given, family = one_line(user.first_name), one_line(user.last_name)
    if given and family:
        name = f"{family}, {given}"
    else:
        name = one_line(user.get_full_name()) or user.username
    affiliation = one_line(user.organisation)
    if not affiliation and user.country is not None:
        affiliation = user.country.name_en
    return Creator(name=name, given=given, family=family, affiliation=affiliation)


def citation_of(dataset: Dataset) -> DatasetCitation:
    """Return the citation of ``dataset``.

    Reads the uploader and collaborators with their countries, and the species: prefetch
    them (``datasets.selectors.dataset_for_citation``) to cite without further queries.
    """
    collaborators = sorted(
        (_creator(user) for user in dataset.collaborators.all() if user.pk != dataset.uploader_id),
        key=lambda creator: creator.name.casefold(),
    )
    issued = dataset.published_at or dataset.created_at
    title = one_line(dataset.title)
    english = one_line(dataset.title_en)
    return DatasetCitation(
        key=f"neaspec-dataset-{dataset.pk}",
        creators=[_creator(dataset.uploader), *collaborators],
        title=title,
        title_en=english if english != title else "",
        year=issued.year,
        version=dataset.version,
        url=stable_url(dataset.pk),
        doi=dataset.doi,
        resource_type=str(dataset.get_method_display()),
        abstract=dataset.abstract,
        subjects=[species.scientific_name for species in dataset.species.all()],
        licence=dataset.licence if dataset.licence in LICENCE_URLS else "",
        licence_name=dataset.licence_terms if dataset.licence == Licence.CUSTOM else "",
        coverage=(dataset.temporal_start, dataset.temporal_end),
        first_version_url=stable_url(dataset.series_id) if dataset.series_id else "",
    )


def _names(citation: DatasetCitation) -> list[str]:
    return [creator.name for creator in citation.creators]


def plain(citation: DatasetCitation) -> str:
    """Return DataCite's recommended form: Creators (Year). Title. Version. Publisher.
    Dataset. Identifier."""
    title = citation.title.rstrip(".")
    if citation.title_en:
        title += f" [{citation.title_en.rstrip('.')}]"
    return (
        f"{'; '.join(_names(citation))} ({citation.year}). {title}. "
        f"Version {citation.version}. {citation.publisher}. {RESOURCE_TYPE_GENERAL}. "
        f"{citation.identifier}"
    )


def bibtex(citation: DatasetCitation) -> str:
    """Return one ``@misc`` BibTeX entry (what BibTeX styles know; biblatex reads it too)."""
    fields = {
        "author": bibtex_names(_names(citation)),
        "title": bibtex_value(citation.title),
        "year": str(citation.year),
        "version": str(citation.version),
        "publisher": bibtex_value(citation.publisher),
        "howpublished": bibtex_value(f"{RESOURCE_TYPE_GENERAL}, version {citation.version}"),
        "doi": bibtex_value(citation.doi),
        "url": bibtex_value(citation.url),
        "note": bibtex_value(f"English title: {citation.title_en}") if citation.title_en else "",
        "keywords": bibtex_value(", ".join(citation.subjects)),
        "abstract": bibtex_value(citation.abstract[:2000]),
    }
    return bibtex_entry("misc", citation.key.replace("-", "_"), fields)


def ris(citation: DatasetCitation) -> str:
    """Return one RIS record of type DATA."""
    tags = [("TY", "DATA")]
    tags += [("AU", name) for name in _names(citation)]
    tags += [("TI", citation.title), ("TT", citation.title_en), ("PY", str(citation.year))]
    tags += [("ET", f"Version {citation.version}"), ("PB", citation.publisher)]
    tags += [("DO", citation.doi), ("UR", citation.url)]
    tags += [("KW", subject) for subject in citation.subjects]
    tags.append(("AB", citation.abstract))
    return ris_record(tags)


def _csl_name(creator: Creator) -> dict[str, str]:
    if creator.family:
        return {"family": creator.family, "given": creator.given}
    return {"literal": creator.name}


def csl_data(citation: DatasetCitation) -> dict:
    """Return the CSL-JSON item (type ``dataset``) of ``citation``."""
    item: dict = {
        "id": citation.key,
        "type": "dataset",
        "title": citation.title,
        "author": [_csl_name(creator) for creator in citation.creators],
        "issued": {"date-parts": [[citation.year]]},
        "version": str(citation.version),
        "publisher": citation.publisher,
        "genre": citation.resource_type,
        "URL": citation.url,
    }
    if citation.doi:
        item["DOI"] = citation.doi
    if citation.abstract:
        item["abstract"] = citation.abstract
    if citation.subjects:
        item["keyword"] = ", ".join(citation.subjects)
    return item


def csl_json(citation: DatasetCitation) -> str:
    """Return a CSL-JSON array holding the one item of ``citation``."""
    return csl_json_array([csl_data(citation)])
