"""EML 2.2 metadata of a dataset (``eml.xml`` of a Darwin Core Archive, OAI-PMH ``eml``).

Built from the dataset's metadata only: what its page shows to anyone who sees it. The
geographic coverage is the box around its *public* points (``policy.public_extent``),
never the exact extent, whoever asks; the XSD set it validates against is shipped under
``schemas/eml-2.2.0`` (tests/exports).
"""

from xml.etree import ElementTree as ET  # noqa: S405 -- builds XML, parses none

from django.utils import timezone

from access import policy
from datasets.models import Dataset, Licence

EML_NS = "https://eml.ecoinformatics.org/eml-2.2.0"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
EML_SCHEMA_LOCATION = f"{EML_NS} https://eml.ecoinformatics.org/eml-2.2.0/eml.xsd"
SYSTEM = "https://neaspec.org/knowledge-hub"
SPDX = "https://spdx.org/licenses/"

ET.register_namespace("eml", EML_NS)
ET.register_namespace("xsi", XSI_NS)


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text
    return element


def _para(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    _text(element, "para", text)
    return element


def _party(parent: ET.Element, tag: str, dataset: Dataset) -> None:
    party = ET.SubElement(parent, tag)
    if dataset.contact_name:
        name = ET.SubElement(party, "individualName")
        _text(name, "surName", dataset.contact_name)
    _text(party, "organizationName", dataset.owner_country.name_en)
    if dataset.contact_email:
        _text(party, "electronicMailAddress", dataset.contact_email)


def _licence(parent: ET.Element, dataset: Dataset) -> None:
    terms = dataset.get_licence_display()
    if dataset.licence == Licence.CUSTOM:
        terms = dataset.licence_terms
    _para(parent, "intellectualRights", str(terms))
    if dataset.licence != Licence.CUSTOM:
        licensed = ET.SubElement(parent, "licensed")
        _text(licensed, "licenseName", str(dataset.get_licence_display()))
        _text(licensed, "url", SPDX + dataset.licence)
        _text(licensed, "identifier", dataset.licence)


def _coverage(parent: ET.Element, dataset: Dataset, species: list) -> None:
    extent = policy.public_extent(dataset)
    if not (extent or dataset.temporal_start or species):
        return
    coverage = ET.SubElement(parent, "coverage")
    if extent:
        geographic = ET.SubElement(coverage, "geographicCoverage")
        _text(
            geographic,
            "geographicDescription",
            "Box around the public (generalized) points of the dataset.",
        )
        box = ET.SubElement(geographic, "boundingCoordinates")
        for tag, value in zip(("west", "east", "north", "south"), _wens(extent), strict=True):
            _text(box, f"{tag}BoundingCoordinate", repr(value))
    if dataset.temporal_start:
        temporal = ET.SubElement(coverage, "temporalCoverage")
        dates = ET.SubElement(temporal, "rangeOfDates")
        end = dataset.temporal_end or dataset.temporal_start
        _text(ET.SubElement(dates, "beginDate"), "calendarDate", dataset.temporal_start.isoformat())
        _text(ET.SubElement(dates, "endDate"), "calendarDate", end.isoformat())
    if species:
        taxonomic = ET.SubElement(coverage, "taxonomicCoverage")
        for item in species:
            taxon = ET.SubElement(taxonomic, "taxonomicClassification")
            _text(taxon, "taxonRankName", "species")
            _text(taxon, "taxonRankValue", item.scientific_name)
            _text(taxon, "commonName", item.name_en)


def _wens(extent: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    west, south, east, north = extent
    return west, east, north, south


def eml_element(dataset: Dataset) -> ET.Element:
    """Return the ``eml:eml`` element describing ``dataset`` (a dataset its reader sees)."""
    species = list(dataset.species.all())
    root = ET.Element(
        f"{{{EML_NS}}}eml",
        {
            "packageId": policy.dataset_urn(dataset),
            "system": SYSTEM,
            f"{{{XSI_NS}}}schemaLocation": EML_SCHEMA_LOCATION,
        },
    )
    body = ET.SubElement(root, "dataset")
    _text(body, "alternateIdentifier", policy.dataset_urn(dataset))
    _text(body, "title", dataset.title)
    if dataset.title_en and dataset.title_en != dataset.title:
        _text(body, "title", dataset.title_en).set(
            "{http://www.w3.org/XML/1998/namespace}lang", "en"
        )
    _party(body, "creator", dataset)
    published = dataset.published_at or dataset.created_at or timezone.now()
    _text(body, "pubDate", published.date().isoformat())
    if dataset.abstract:
        _para(body, "abstract", dataset.abstract)
    if species:
        keywords = ET.SubElement(body, "keywordSet")
        for item in species:
            _text(keywords, "keyword", item.scientific_name)
        _text(keywords, "keywordThesaurus", "NEASPEC species")
    if dataset.citation:
        _para(body, "additionalInfo", dataset.citation)
    _licence(body, dataset)
    _coverage(body, dataset, species)
    _party(body, "contact", dataset)
    methods = ET.SubElement(body, "methods")
    step = ET.SubElement(methods, "methodStep")
    _para(step, "description", str(dataset.get_method_display()))
    return root


def eml_document(dataset: Dataset) -> bytes:
    """Return ``eml.xml`` of ``dataset``: UTF-8, with its XML declaration."""
    return ET.tostring(eml_element(dataset), encoding="utf-8", xml_declaration=True)
