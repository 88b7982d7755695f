"""OAI-PMH 2.0 at /oai/: every answer validates against the protocol's XSD (shipped under
schemas/), a harvester library (Sickle) walks the lists across resumption tokens, only
published items are given, and a withdrawn dataset is a deleted record."""

from datetime import date, timedelta

import pytest
import xmlschema
from django.test import override_settings
from django.utils import timezone
from lxml import etree
from sickle import Sickle

from datasets import datacite
from publications.models import Event, Publication
from species.models import Species
from tests.exports.archives import SCHEMAS, eml_schema
from tests.factories import DatasetFactory

NS = {"oai": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}
REPOSITORY = "oai:neaspec.org:"


@pytest.fixture(scope="module")
def oai_schema():
    return xmlschema.XMLSchema(str(SCHEMAS / "oai-pmh-2.0" / "OAI-PMH.xsd"))


@pytest.fixture
def hub(researcher_a, researcher_b):
    """Published items of every kind, and items a harvester must never hear of."""
    tiger = Species.objects.get(code="TIGER_AMUR")
    items = {
        "public": DatasetFactory(uploader=researcher_a, title="oai-public", access_level="public"),
        "restricted": DatasetFactory(
            uploader=researcher_b, title="oai-restricted", access_level="restricted"
        ),
        "draft": DatasetFactory(uploader=researcher_a, title="oai-draft", status="draft"),
        "withdrawn": DatasetFactory(
            uploader=researcher_a, title="oai-withdrawn", status="withdrawn"
        ),
    }
    items["public"].species.set([tiger])
    items["restricted"].co_owner_countries.set(["JP"])
    for name, status in [("paper", "published"), ("report", "published"), ("waiting", "submitted")]:
        items[name] = Publication.objects.create(
            type="report",
            title=f"oai-{name}",
            abstract="Spoonbills of the Yellow Sea.",
            year=2024,
            language="en",
            visibility="registered",
            status=status,
            uploader=researcher_a,
            owner_country_id="KR",
            published_at=timezone.now() if status == "published" else None,
        )
    items["event"] = Event.objects.create(
        status="published",
        title="oai-workshop",
        type=Event._meta.get_field("type").choices[0][0],
        start_date=date(2024, 10, 1),
        end_date=date(2024, 10, 2),
        city="Incheon",
        created_by=researcher_a,
    )
    items["event"].countries.set(["KR", "MN"])
    return items


def oai(client, schema, **arguments):
    response = client.get("/oai/", arguments)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    schema.validate(response.content.decode())
    return etree.fromstring(response.content)


def _error(tree) -> str | None:
    found = tree.find("oai:error", NS)
    return None if found is None else found.get("code")


def _id(kind, item) -> str:
    return f"{REPOSITORY}{kind}/{item.pk}"


PUBLISHED = [("dataset", "public"), ("dataset", "restricted"), ("publication", "paper")]
PUBLISHED += [("publication", "report"), ("event", "event")]


@pytest.mark.django_db
def test_identify_lists_and_sets_validate(client, hub, oai_schema):
    identify = oai(client, oai_schema, verb="Identify")
    assert identify.findtext(".//oai:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext(".//oai:protocolVersion", namespaces=NS) == "2.0"
    formats = oai(client, oai_schema, verb="ListMetadataFormats")
    assert formats.xpath("//oai:metadataPrefix/text()", namespaces=NS) == [
        "oai_dc",
        "eml",
        "oai_datacite",
    ]
    only_dc = oai(
        client, oai_schema, verb="ListMetadataFormats", identifier=_id("event", hub["event"])
    )
    assert only_dc.xpath("//oai:metadataPrefix/text()", namespaces=NS) == ["oai_dc"]
    sets = oai(client, oai_schema, verb="ListSets").xpath("//oai:setSpec/text()", namespaces=NS)
    assert sets[:3] == ["type:dataset", "type:publication", "type:event"]
    assert {"country:KR", "country:MN", "country:JP"} <= set(sets)


@pytest.mark.django_db
def test_only_published_items_and_withdrawn_as_deleted(client, hub, oai_schema):
    tree = oai(client, oai_schema, verb="ListRecords", metadataPrefix="oai_dc")
    headers = tree.xpath("//oai:header", namespaces=NS)
    given = {header.findtext("oai:identifier", namespaces=NS): header for header in headers}
    wanted = {_id(kind, hub[name]) for kind, name in PUBLISHED}
    assert set(given) == wanted | {_id("dataset", hub["withdrawn"])}
    assert given[_id("dataset", hub["withdrawn"])].get("status") == "deleted"
    body = etree.tostring(tree).decode()
    assert "oai-withdrawn" not in body and "oai-draft" not in body and "oai-waiting" not in body
    assert "/download/" not in body, "no record names a file's URL"
    titles = tree.xpath("//dc:title/text()", namespaces=NS)
    assert {"oai-public", "oai-restricted", "oai-paper", "oai-report", "oai-workshop"} <= set(
        titles
    )


@pytest.mark.django_db
def test_sets_by_type_and_country(client, hub, oai_schema):
    def identifiers(**arguments):
        tree = oai(client, oai_schema, verb="ListIdentifiers", metadataPrefix="oai_dc", **arguments)
        return set(tree.xpath("//oai:identifier/text()", namespaces=NS))

    assert identifiers(set="type:event") == {_id("event", hub["event"])}
    assert identifiers(set="country:JP") == {_id("dataset", hub["restricted"])}
    assert _id("event", hub["event"]) in identifiers(set="country:MN")
    empty = oai(client, oai_schema, verb="ListIdentifiers", metadataPrefix="eml", set="type:event")
    assert _error(empty) == "noRecordsMatch"


@pytest.mark.django_db
def test_eml_records_validate_against_eml_2_2(client, hub, oai_schema):
    tree = oai(client, oai_schema, verb="ListRecords", metadataPrefix="eml")
    documents = tree.xpath("//oai:metadata/*", namespaces=NS)
    assert len(documents) == 2
    for document in documents:
        eml_schema().validate(etree.tostring(document).decode())
    record = oai(
        client,
        oai_schema,
        verb="GetRecord",
        identifier=_id("dataset", hub["public"]),
        metadataPrefix="eml",
    )
    assert "Panthera tigris altaica" in etree.tostring(record).decode()


@pytest.mark.django_db
def test_datacite_records_validate_against_kernel_4(client, hub, oai_schema):
    tree = oai(client, oai_schema, verb="ListRecords", metadataPrefix="oai_datacite")
    documents = tree.xpath("//oai:metadata/*", namespaces=NS)
    assert len(documents) == 2
    kernel = xmlschema.XMLSchema(str(datacite.XSD_PATH))
    for document in documents:
        kernel.validate(etree.tostring(document).decode())
    events = oai(
        client, oai_schema, verb="ListIdentifiers", metadataPrefix="oai_datacite", set="type:event"
    )
    assert events.find(".//oai:error", namespaces=NS).get("code") == "noRecordsMatch"


@pytest.mark.django_db
def test_from_and_until(client, hub, oai_schema):
    today = timezone.now().date()
    later = oai(
        client,
        oai_schema,
        verb="ListIdentifiers",
        metadataPrefix="oai_dc",
        **{"from": (today + timedelta(days=1)).isoformat()},
    )
    assert _error(later) == "noRecordsMatch"
    until = oai(
        client, oai_schema, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2024-12-31"
    )
    assert until.xpath("//oai:identifier/text()", namespaces=NS) == [_id("event", hub["event"])]
    seconds = oai(
        client,
        oai_schema,
        verb="ListIdentifiers",
        metadataPrefix="oai_dc",
        **{"from": f"{today.isoformat()}T00:00:00Z"},
    )
    assert len(seconds.xpath("//oai:header", namespaces=NS)) == 5


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": "Identify", "set": "x"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-13-01"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2024-01-01",
                "until": "2024-02-01T00:00:00Z",
            },
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "country:XX"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"verb": "ListRecords", "resumptionToken": "forged"}, "badResumptionToken"),
        (
            {"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"},
            "badArgument",
        ),
        (
            {
                "verb": "GetRecord",
                "identifier": "oai:neaspec.org:dataset/0",
                "metadataPrefix": "oai_dc",
            },
            "idDoesNotExist",
        ),
        (
            {"verb": "GetRecord", "identifier": "urn:x", "metadataPrefix": "oai_dc"},
            "idDoesNotExist",
        ),
        ({"verb": "ListSets", "resumptionToken": "x"}, "badResumptionToken"),
        (
            {"verb": "GetRecord", "identifier": "oai:\x01", "metadataPrefix": "oai_dc"},
            "badArgument",
        ),
    ],
)
def test_every_error_is_an_oai_error(client, hub, oai_schema, arguments, code):
    assert _error(oai(client, oai_schema, **arguments)) == code


@pytest.mark.django_db
def test_hidden_items_do_not_exist_and_formats_fit_kinds(client, hub, oai_schema):
    for name in ("draft",):
        tree = oai(
            client,
            oai_schema,
            verb="GetRecord",
            identifier=_id("dataset", hub[name]),
            metadataPrefix="oai_dc",
        )
        assert _error(tree) == "idDoesNotExist"
    waiting = _id("publication", hub["waiting"])
    assert _error(oai(client, oai_schema, verb="ListMetadataFormats", identifier=waiting)) == (
        "idDoesNotExist"
    )
    paper = _id("publication", hub["paper"])
    tree = oai(client, oai_schema, verb="GetRecord", identifier=paper, metadataPrefix="eml")
    assert _error(tree) == "cannotDisseminateFormat"
    withdrawn = oai(
        client,
        oai_schema,
        verb="GetRecord",
        identifier=_id("dataset", hub["withdrawn"]),
        metadataPrefix="eml",
    )
    assert withdrawn.find(".//oai:header", NS).get("status") == "deleted"
    assert withdrawn.find(".//oai:metadata", NS) is None


@pytest.mark.django_db
def test_tokens_resume_and_expire(client, hub, oai_schema, settings):
    settings.OAI_PAGE_SIZE = 2
    first = oai(client, oai_schema, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = first.find(".//oai:resumptionToken", NS)
    assert token.get("completeListSize") == "6" and token.get("cursor") == "0"
    second = oai(client, oai_schema, verb="ListIdentifiers", resumptionToken=token.text)
    assert second.find(".//oai:resumptionToken", NS).get("cursor") == "2"
    tampered = token.text[:-2] + ("AA" if not token.text.endswith("AA") else "BB")
    assert _error(oai(client, oai_schema, verb="ListIdentifiers", resumptionToken=tampered)) == (
        "badResumptionToken"
    )
    settings.OAI_TOKEN_HOURS = -1
    assert _error(oai(client, oai_schema, verb="ListIdentifiers", resumptionToken=token.text)) == (
        "badResumptionToken"
    )


@pytest.mark.django_db(transaction=True)
def test_sickle_harvests_every_page(live_server, hub):
    with override_settings(OAI_PAGE_SIZE=2):
        harvester = Sickle(live_server.url + "/oai/", max_retries=0)
        records = list(harvester.ListRecords(metadataPrefix="oai_dc"))
        identifiers = list(harvester.ListIdentifiers(metadataPrefix="oai_dc", set="type:dataset"))
    given = [record.header.identifier for record in records]
    assert len(given) == len(set(given)) == 6, "three pages of two, none twice"
    deleted = {record.header.identifier for record in records if record.header.deleted}
    assert deleted == {_id("dataset", hub["withdrawn"])}
    titles = {record.metadata["title"][0] for record in records if not record.header.deleted}
    assert titles == {"oai-public", "oai-restricted", "oai-paper", "oai-report", "oai-workshop"}
    assert len(identifiers) == 3


@pytest.mark.django_db
def test_a_page_costs_the_same_queries_whatever_it_holds(
    client, hub, researcher_a, django_assert_num_queries
):
    # Expect 16 queries: the countries of the sets (1); per kind, the count and the page
    # (3 × 2); prefetches of datasets (owner, co-owners, species), publications (owner,
    # countries, species, authors) and events (countries, species): 9. More items must
    # not add any.
    with django_assert_num_queries(16):
        client.get("/oai/", {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    for index in range(3):
        DatasetFactory(uploader=researcher_a, title=f"oai-more-{index}", access_level="public")
    with django_assert_num_queries(16):
        client.get("/oai/", {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
