"""A dataset citation in DataCite's own forms: kernel-4 XML, and the JSON attributes of
DataCite's REST API (what ``datasets.doi`` sends when it registers a DOI).

Both are built from one ``datasets.cite.DatasetCitation``. The XML validates against the
kernel-4 schema kept in ``datasets/standards/datacite/`` (the tests check it).
"""

from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET  # noqa: N817 (the usual name)

from datasets import cite
from datasets.cite import LICENCE_URLS, RESOURCE_TYPE_GENERAL, Creator, DatasetCitation

NAMESPACE = "http://datacite.org/schema/kernel-4"
SCHEMA_LOCATION = f"{NAMESPACE} https://schema.datacite.org/meta/kernel-4/metadata.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
#: The kernel-4 schema shipped with the hub, for whoever validates an export.
XSD_PATH = Path(__file__).resolve().parent / "standards" / "datacite" / "kernel-4" / "metadata.xsd"
SPDX = "https://spdx.org/licenses/"


def _coverage(citation: DatasetCitation) -> str:
    """Return the collection period as DataCite writes a range (``start/end``), or ''."""
    start, end = citation.coverage

    def iso(day: date | None) -> str:
        return day.isoformat() if day else ""

    if start and end:
        return f"{iso(start)}/{iso(end)}"
    return iso(start or end)


def _sub(parent: ET.Element, tag: str, text: str = "", **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{NAMESPACE}}}{tag}", attributes)
    if text:
        element.text = text
    return element


def _creator_xml(parent: ET.Element, creator: Creator) -> None:
    element = _sub(parent, "creator")
    _sub(element, "creatorName", creator.name, nameType="Personal")
    if creator.family:
        _sub(element, "givenName", creator.given)
        _sub(element, "familyName", creator.family)
    if creator.affiliation:
        _sub(element, "affiliation", creator.affiliation)


def _rights_xml(parent: ET.Element, citation: DatasetCitation) -> None:
    if citation.licence:
        rights = _sub(parent, "rightsList")
        _sub(
            rights,
            "rights",
            citation.licence,
            rightsURI=LICENCE_URLS[citation.licence],
            rightsIdentifier=citation.licence,
            rightsIdentifierScheme="SPDX",
            schemeURI=SPDX,
        )
    elif citation.licence_name:
        _sub(_sub(parent, "rightsList"), "rights", citation.licence_name[:1000])


def datacite_xml(citation: DatasetCitation) -> str:
    """Return the DataCite kernel-4 XML record of ``citation``."""
    ET.register_namespace("", NAMESPACE)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(f"{{{NAMESPACE}}}resource", {f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION})
    if citation.doi:
        _sub(root, "identifier", citation.doi, identifierType="DOI")
    else:
        _sub(root, "identifier", citation.url, identifierType="URL")
    creators = _sub(root, "creators")
    for creator in citation.creators:
        _creator_xml(creators, creator)
    titles = _sub(root, "titles")
    _sub(titles, "title", citation.title)
    if citation.title_en:
        _sub(titles, "title", citation.title_en, titleType="TranslatedTitle")
    _sub(root, "publisher", citation.publisher)
    _sub(root, "publicationYear", str(citation.year))
    _sub(
        root,
        "resourceType",
        citation.resource_type,
        resourceTypeGeneral=RESOURCE_TYPE_GENERAL,
    )
    if citation.subjects:
        subjects = _sub(root, "subjects")
        for subject in citation.subjects:
            _sub(subjects, "subject", subject)
    if _coverage(citation):
        _sub(_sub(root, "dates"), "date", _coverage(citation), dateType="Collected")
    related = _sub(root, "relatedIdentifiers")
    if citation.doi:
        # The landing page, beside the DOI that resolves to it.
        _sub(related, "relatedIdentifier", citation.url, **_relation("URL", "IsIdenticalTo"))
    if citation.first_version_url:
        _sub(
            related,
            "relatedIdentifier",
            citation.first_version_url,
            **_relation("URL", "IsNewVersionOf"),
        )
    if not len(related):
        root.remove(related)
    _sub(root, "version", str(citation.version))
    _rights_xml(root, citation)
    if citation.abstract:
        _sub(
            _sub(root, "descriptions"), "description", citation.abstract, descriptionType="Abstract"
        )
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _relation(kind: str, relation: str) -> dict[str, str]:
    return {"relatedIdentifierType": kind, "relationType": relation}


def _creator_json(creator: Creator) -> dict:
    item: dict = {"name": creator.name, "nameType": "Personal"}
    if creator.family:
        item["givenName"] = creator.given
        item["familyName"] = creator.family
    if creator.affiliation:
        item["affiliation"] = [{"name": creator.affiliation}]
    return item


def datacite_attributes(citation: DatasetCitation) -> dict:
    """Return the ``attributes`` of a DOI in DataCite's REST API (JSON:API), without
    ``doi``, ``event`` and ``url``, which the registration adds."""
    attributes: dict = {
        "creators": [_creator_json(creator) for creator in citation.creators],
        "titles": [{"title": citation.title}],
        "publisher": citation.publisher,
        "publicationYear": citation.year,
        "types": {
            "resourceTypeGeneral": RESOURCE_TYPE_GENERAL,
            "resourceType": citation.resource_type,
        },
        "version": str(citation.version),
        "subjects": [{"subject": subject} for subject in citation.subjects],
        "schemaVersion": "http://datacite.org/schema/kernel-4",
    }
    if citation.title_en:
        attributes["titles"].append({"title": citation.title_en, "titleType": "TranslatedTitle"})
    if citation.abstract:
        attributes["descriptions"] = [
            {"description": citation.abstract, "descriptionType": "Abstract"}
        ]
    if _coverage(citation):
        attributes["dates"] = [{"date": _coverage(citation), "dateType": "Collected"}]
    if citation.licence:
        attributes["rightsList"] = [
            {
                "rights": citation.licence,
                "rightsUri": LICENCE_URLS[citation.licence],
                "rightsIdentifier": citation.licence,
                "rightsIdentifierScheme": "SPDX",
                "schemeUri": SPDX,
            }
        ]
    if citation.first_version_url:
        attributes["relatedIdentifiers"] = [
            {
                "relatedIdentifier": citation.first_version_url,
                "relatedIdentifierType": "URL",
                "relationType": "IsNewVersionOf",
            }
        ]
    return attributes


#: Every export of a dataset citation: ``?format=`` name → (function, media type, extension).
FORMATS = {
    "text": (cite.plain, "text/plain", "txt"),
    "bibtex": (cite.bibtex, "application/x-bibtex", "bib"),
    "ris": (cite.ris, "application/x-research-info-systems", "ris"),
    "csl-json": (cite.csl_json, "application/vnd.citationstyles.csl+json", "json"),
    "datacite": (datacite_xml, "application/vnd.datacite.datacite+xml", "xml"),
}
