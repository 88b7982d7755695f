"""``/oai/``: the OAI-PMH 2.0 repository of the hub's public metadata.

Six verbs over GET or POST (form-encoded, as the protocol allows), answered as XML that
validates against the OAI-PMH 2.0 schema (``schemas/oai-pmh-2.0``, tests/exports). Items
and their metadata come from ``home.oai.records`` (the policy's harvest section); List
verbs page by ``OAI_PAGE_SIZE`` with stateless resumption tokens (``home.oai.protocol``).
Errors are OAI errors in a 200 answer, as the protocol says, never a 500.
"""

from datetime import UTC, datetime
from xml.etree import ElementTree as ET  # noqa: S405 -- builds XML, parses none

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from home.oai import records
from home.oai.protocol import (
    GRANULARITY,
    OAI_NS,
    ListQuery,
    OaiError,
    datestamp,
    decode_token,
    encode_token,
    list_query,
    token_expiry,
    verb_arguments,
)

XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
#: Reported in Identify when no item has a datestamp yet.
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)

ET.register_namespace("oai", OAI_NS)
ET.register_namespace("xsi", XSI_NS)


def _q(tag: str) -> str:
    return f"{{{OAI_NS}}}{tag}"


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, _q(tag), {k: v for k, v in attributes.items() if v})
    element.text = text
    return element


def _base_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("oai")


def _identify(container: ET.Element, _arguments: dict[str, str]) -> None:
    _add(container, "repositoryName", records.PUBLISHER)
    _add(container, "baseURL", _base_url())
    _add(container, "protocolVersion", "2.0")
    _add(container, "adminEmail", settings.OAI_ADMIN_EMAIL)
    stamps = [
        records.stamp(row)
        for kind in records.KINDS
        for row in kind.rows().annotate(oai_stamp=kind.stamp()).order_by("oai_stamp")[:1]
    ]
    _add(container, "earliestDatestamp", datestamp(min(stamps, default=EPOCH)))
    _add(container, "deletedRecord", "persistent")
    _add(container, "granularity", GRANULARITY)


def _list_formats(container: ET.Element, arguments: dict[str, str]) -> None:
    kinds = tuple(records.KIND_INDEX)
    if "identifier" in arguments:
        kind, pk = records.parse_identifier(arguments["identifier"])
        records.item(kind, pk)
        kinds = (kind,)
    for prefix, (schema, namespace, described) in records.FORMATS.items():
        if set(kinds) & set(described):
            entry = _add(container, "metadataFormat")
            _add(entry, "metadataPrefix", prefix)
            _add(entry, "schema", schema)
            _add(entry, "metadataNamespace", namespace)


def _list_sets(container: ET.Element, arguments: dict[str, str]) -> None:
    if "resumptionToken" in arguments:
        raise OaiError("badResumptionToken", "ListSets answers in one page; no token applies.")
    for spec, name in records.set_specs():
        entry = _add(container, "set")
        _add(entry, "setSpec", spec)
        _add(entry, "setName", name)


def _header(parent: ET.Element, row) -> None:
    header = _add(parent, "header", status="deleted" if records.is_deleted(row) else None)
    _add(header, "identifier", records.identifier(row.oai_kind, row.pk))
    _add(header, "datestamp", datestamp(records.stamp(row)))
    for spec in records.item_sets(row):
        _add(header, "setSpec", spec)


def _record(parent: ET.Element, row, prefix: str) -> None:
    record = _add(parent, "record")
    _header(record, row)
    if not records.is_deleted(row):
        _add(record, "metadata").append(records.metadata(row, prefix))


def _get_record(container: ET.Element, arguments: dict[str, str]) -> None:
    kind, pk = records.parse_identifier(arguments["identifier"])
    row = records.item(kind, pk)
    if kind not in records.check_prefix(arguments["metadataPrefix"]):
        raise OaiError("cannotDisseminateFormat", f"A {kind} has no {arguments['metadataPrefix']}.")
    _record(container, row, arguments["metadataPrefix"])


def _list(container: ET.Element, arguments: dict[str, str], *, full: bool) -> None:
    token = arguments.get("resumptionToken")
    query: ListQuery = decode_token(token) if token else list_query(arguments)
    size = settings.OAI_PAGE_SIZE
    rows, total, resume = records.page(query, size)
    if not rows:
        if token:
            raise OaiError("badResumptionToken", "The list changed; start it again.")
        raise OaiError("noRecordsMatch", "No item matches these arguments.")
    for row in rows:
        if full:
            _record(container, row, query.prefix)
        else:
            _header(container, row)
    if resume is None and not token:
        return
    attributes = {"completeListSize": str(total), "cursor": str(query.cursor)}
    next_token = ""
    if resume is not None:
        kind, after = resume
        next_token = encode_token(query, kind=kind, after=after, cursor=query.cursor + len(rows))
        attributes["expirationDate"] = datestamp(token_expiry())
    _add(container, "resumptionToken", next_token, **attributes)


HANDLERS = {
    "Identify": _identify,
    "ListMetadataFormats": _list_formats,
    "ListSets": _list_sets,
    "GetRecord": _get_record,
    "ListIdentifiers": lambda container, arguments: _list(container, arguments, full=False),
    "ListRecords": lambda container, arguments: _list(container, arguments, full=True),
}


@csrf_exempt  # harvesters POST form-encoded requests without a session; nothing is written
@require_http_methods(["GET", "POST"])
def oai(request: HttpRequest) -> HttpResponse:
    """Answer one OAI-PMH request."""
    query = request.POST if request.method == "POST" else request.GET
    root = ET.Element(_q("OAI-PMH"), {f"{{{XSI_NS}}}schemaLocation": SCHEMA_LOCATION})
    _add(root, "responseDate", datestamp(datetime.now(UTC)))
    echo = _add(root, "request", _base_url())
    try:
        verb, arguments = verb_arguments(query)
        for key, value in {"verb": verb, **arguments}.items():
            echo.set(key, value)
        container = ET.Element(_q(verb))
        HANDLERS[verb](container, arguments)
        root.append(container)
    except OaiError as error:
        if error.code in ("badVerb", "badArgument"):
            echo.attrib.clear()
        _add(root, "error", error.message, code=error.code)
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, content_type="text/xml; charset=utf-8")
