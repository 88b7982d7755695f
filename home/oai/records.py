"""The items OAI-PMH gives (datasets, publications, events), their sets and their metadata.

Items come from the policy's harvest section only (``policy.harvested_*``): what a visitor
is listed, and withdrawn datasets as deleted records (header only). Sets are by type
(``type:dataset``, ``type:publication``, ``type:event``) and by country (``country:KR``:
owner, co-owner or tagged country). Metadata formats: ``oai_dc`` for every item and
``eml`` (EML 2.2, the same document as in the Darwin Core Archive) and ``oai_datacite``
(the DataCite kernel-4 record of its citation) for datasets. No
record names a file's URL or an exact location.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree import ElementTree as ET  # noqa: S405 -- builds XML, parses none

from django.conf import settings
from django.db.models import DateTimeField, F, Q, QuerySet
from django.db.models.functions import Cast, Coalesce
from django.utils import translation

from access import policy
from datasets import datacite
from datasets.cite import citation_of
from datasets.exports.eml import EML_NS, eml_element
from datasets.selectors import with_citation_relations
from home.oai.protocol import ListQuery, OaiError
from species import selectors as species_selectors

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
#: metadataPrefix -> (schema, namespace, kinds of item it describes).
FORMATS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "oai_dc": (
        "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
        OAI_DC_NS,
        ("dataset", "publication", "event"),
    ),
    "eml": ("https://eml.ecoinformatics.org/eml-2.2.0/eml.xsd", EML_NS, ("dataset",)),
    # The DataCite kernel-4 resource itself (as Zenodo's ``datacite`` format), the same
    # record as the citation's DataCite export: the dataset's people and landing page.
    "oai_datacite": (
        "http://schema.datacite.org/meta/kernel-4/metadata.xsd",
        datacite.NAMESPACE,
        ("dataset",),
    ),
}
#: What the DataCite record of a dataset reads, loaded with each page of datasets.
DATACITE_PREFETCH = ("uploader__country", "collaborators__country")
PUBLISHER = "NEASPEC Knowledge Hub"

ET.register_namespace("oai_dc", OAI_DC_NS)
ET.register_namespace("dc", DC_NS)


@dataclass(frozen=True)
class Kind:
    """One kind of item: where its rows come from and how they are dated and placed."""

    name: str
    rows: Callable[[], QuerySet]
    stamp: Callable[[], object]
    countries: tuple[str, ...]
    prefetch: tuple[str, ...]


KINDS = (
    Kind(
        "dataset",
        policy.harvested_datasets,
        lambda: F("updated_at"),
        ("owner_country", "co_owner_countries"),
        ("owner_country", "co_owner_countries", "species"),
    ),
    Kind(
        "publication",
        policy.harvested_publications,
        lambda: Coalesce("published_at", "created_at"),
        ("owner_country", "countries"),
        ("owner_country", "countries", "species", "authors"),
    ),
    Kind(
        "event",
        policy.harvested_events,
        lambda: Cast("start_date", DateTimeField()),
        ("countries",),
        ("countries", "species"),
    ),
)
KIND_INDEX = {kind.name: index for index, kind in enumerate(KINDS)}


def identifier(kind: str, pk: int) -> str:
    """Return the OAI identifier of item ``pk`` of ``kind``."""
    return f"oai:{settings.OAI_REPOSITORY_ID}:{kind}/{pk}"


def parse_identifier(text: str) -> tuple[str, int]:
    """Return (kind, pk) of an OAI identifier, or raise ``idDoesNotExist``."""
    prefix = f"oai:{settings.OAI_REPOSITORY_ID}:"
    kind, _slash, number = text.removeprefix(prefix).partition("/")
    if not text.startswith(prefix) or kind not in KIND_INDEX or not number.isdigit():
        raise OaiError("idDoesNotExist", "No item has this identifier.")
    return kind, int(number)


def check_prefix(prefix: str) -> tuple[str, ...]:
    """Return the kinds of item ``prefix`` describes, or raise ``cannotDisseminateFormat``."""
    if prefix not in FORMATS:
        raise OaiError("cannotDisseminateFormat", f"Formats: {', '.join(FORMATS)}.")
    return FORMATS[prefix][2]


def set_specs() -> list[tuple[str, str]]:
    """Return (setSpec, setName) of every set: types, then countries."""
    specs = [(f"type:{kind.name}", f"{kind.name.title()}s") for kind in KINDS]
    with translation.override("en"):
        specs += [
            (f"country:{country.code}", country.name)
            for country in species_selectors.country_list()
        ]
    return specs


def _rows(kind: Kind, query: ListQuery) -> QuerySet:
    rows = kind.rows()
    if query.set_spec.startswith("country:"):
        code = query.set_spec.removeprefix("country:")
        condition = Q()
        for field in kind.countries:
            condition |= Q(**{field: code})
        rows = rows.filter(pk__in=kind.rows().filter(condition).values("pk"))
    rows = rows.annotate(oai_stamp=kind.stamp())
    if query.start:
        rows = rows.filter(oai_stamp__gte=query.start)
    if query.end:
        rows = rows.filter(oai_stamp__lte=query.end)
    rows = rows.prefetch_related(*kind.prefetch)
    if query.prefix == "oai_datacite" and kind.name == "dataset":
        rows = rows.prefetch_related(*DATACITE_PREFETCH)
    return rows.order_by("pk")


def _kinds_for(query: ListQuery) -> list[int]:
    kinds = check_prefix(query.prefix)
    known = {spec for spec, _name in set_specs()}
    if query.set_spec and query.set_spec not in known:
        raise OaiError("badArgument", f"No set {query.set_spec!r}; ListSets names them.")
    if query.set_spec.startswith("type:"):
        kinds = tuple(name for name in kinds if f"type:{name}" == query.set_spec)
    return [KIND_INDEX[name] for name in kinds]


def page(query: ListQuery, size: int) -> tuple[list, int, tuple[int, int] | None]:
    """Return a page of items from where ``query`` starts, the size of the whole list, and
    (kind, last pk) to resume from, or None on the last page."""
    kinds = _kinds_for(query)
    total = sum(_rows(KINDS[index], query).count() for index in kinds)
    items: list = []
    for index in kinds:
        if index < query.kind:
            continue
        rows = _rows(KINDS[index], query)
        if index == query.kind and query.after:
            rows = rows.filter(pk__gt=query.after)
        for row in rows[: size + 1 - len(items)]:
            row.oai_kind = KINDS[index].name
            items.append(row)
        if len(items) > size:
            last = items[size - 1]
            return items[:size], total, (KIND_INDEX[last.oai_kind], last.pk)
    return items, total, None


def item(kind: str, pk: int) -> object:
    """Return the item ``pk`` of ``kind`` a harvester may hear of, or raise idDoesNotExist."""
    found = _rows(KINDS[KIND_INDEX[kind]], ListQuery(prefix="oai_dc")).filter(pk=pk).first()
    if found is None:
        raise OaiError("idDoesNotExist", "No item has this identifier.")
    found.oai_kind = kind
    return found


def is_deleted(row) -> bool:
    return bool(getattr(row, "deleted", False))


def stamp(row) -> datetime:
    value = row.oai_stamp
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def item_sets(row) -> list[str]:
    """Return the setSpecs of ``row`` (prefetched countries)."""
    codes: list[str] = []
    if getattr(row, "owner_country_id", None):
        codes.append(row.owner_country_id)
    related = "co_owner_countries" if row.oai_kind == "dataset" else "countries"
    codes += [country.code for country in getattr(row, related).all()]
    return [f"type:{row.oai_kind}", *(f"country:{code}" for code in dict.fromkeys(codes))]


def metadata(row, prefix: str) -> ET.Element:
    """Return the metadata element of ``row`` in format ``prefix`` (checked beforehand)."""
    if prefix == "eml":
        with translation.override("en"):
            return eml_element(row)
    if prefix == "oai_datacite":
        with translation.override("en"):
            record = datacite.datacite_xml(citation_of(with_citation_relations(row)))
        # Our own serialization, read back to be placed in the response.
        return ET.fromstring(record.encode())  # noqa: S314
    with translation.override("en"):
        return _dublin_core(_dc_fields(row))


def _page(row) -> str:
    return settings.SITE_URL.rstrip("/") + row.get_absolute_url()


def _dc_fields(row) -> list[tuple[str, str]]:
    species = [("subject", item.scientific_name) for item in row.species.all()]
    if row.oai_kind == "dataset":
        fields = [("title", row.title)]
        fields += [("title", row.title_en)] if row.title_en else []
        fields += [("creator", row.owner_country.name)]
        fields += species + [("description", row.abstract), ("publisher", PUBLISHER)]
        fields += [("date", stamp(row).date().isoformat()), ("type", "Dataset")]
        fields += [("identifier", _page(row)), ("rights", row.licence)]
        if row.temporal_start:
            end = row.temporal_end or row.temporal_start
            fields.append(("coverage", f"{row.temporal_start.isoformat()}/{end.isoformat()}"))
        return fields
    if row.oai_kind == "publication":
        fields = [("title", row.title)]
        fields += [("title", row.title_en)] if row.title_en else []
        fields += [("creator", author.name) for author in row.authors.all()]
        fields += species + [("description", row.abstract), ("publisher", PUBLISHER)]
        fields += [("date", str(row.year)), ("type", "Text"), ("type", row.type)]
        fields += [("identifier", _page(row)), ("language", row.language)]
        fields += [("identifier", f"https://doi.org/{row.doi}")] if row.doi else []
        return fields
    place = "online" if row.online else ", ".join(filter(None, [row.venue, row.city]))
    fields = [("title", row.title), ("creator", row.organisers), ("type", "Event")]
    fields += species + [("description", row.summary), ("publisher", PUBLISHER)]
    fields += [("date", f"{row.start_date.isoformat()}/{row.end_date.isoformat()}")]
    return fields + [("coverage", place), ("identifier", _page(row))]


def _dublin_core(fields: list[tuple[str, str]]) -> ET.Element:
    root = ET.Element(
        f"{{{OAI_DC_NS}}}dc",
        {f"{{{XSI_NS}}}schemaLocation": f"{OAI_DC_NS} {FORMATS['oai_dc'][0]}"},
    )
    for name, value in fields:
        if value:
            ET.SubElement(root, f"{{{DC_NS}}}{name}").text = value
    return root
