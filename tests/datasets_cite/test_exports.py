"""A dataset version's citation, exported in every format and read back by other tools."""

import json
from datetime import date

import bibtexparser
import pytest
import rispy
import xmlschema

from datasets import cite
from datasets.datacite import XSD_PATH, datacite_xml
from species.models import Species
from tests.factories import DatasetFactory, UserFactory

SCHEMA = xmlschema.XMLSchema(str(XSD_PATH))


@pytest.fixture
def dataset(researcher_a, researcher_b):
    researcher_a.first_name, researcher_a.last_name = "Minji", "Kim"
    researcher_a.organisation = "National Institute of Ecology"
    researcher_a.save()
    researcher_b.first_name, researcher_b.last_name = "Bat", "Dorj"
    researcher_b.save()
    unnamed = UserFactory(username="ranger-7", country_id="MN")
    dataset = DatasetFactory(
        uploader=researcher_a,
        title="호랑이 {카메라} 조사 & 100% _raw_ data\nline two",
        title_en="Tiger camera survey",
        abstract="Stations along the ridge.",
        temporal_start=date(2023, 4, 1),
        temporal_end=date(2023, 10, 31),
        version=2,
    )
    dataset.collaborators.set([unnamed, researcher_b])
    dataset.species.set(Species.objects.filter(code="TIGER_AMUR"))
    return dataset


def _get(client, dataset, style):
    response = client.get(f"/api/v1/datasets/{dataset.pk}/cite/", {"format": style})
    assert response.status_code == 200, response.content
    return response


def test_it_gives_the_text_citation_in_the_datacite_order(client, dataset, settings):
    settings.SITE_URL = "https://hub.example.org/"
    text = _get(client, dataset, "text").content.decode()
    year = dataset.published_at.year
    assert text == (
        f"Kim, Minji; Dorj, Bat; ranger-7 ({year}). 호랑이 {{카메라}} 조사 & 100% _raw_ data "
        "line two [Tiger camera survey]. Version 2. NEASPEC Knowledge Hub. Dataset. "
        f"https://hub.example.org/data/{dataset.pk}/"
    )


def test_it_cites_the_doi_once_registered(client, dataset):
    dataset.doi = "10.1234/neaspec-ds-1"
    dataset.save()
    assert (
        _get(client, dataset, "text")
        .content.decode()
        .endswith(" Dataset. https://doi.org/10.1234/neaspec-ds-1")
    )
    record = SCHEMA.to_dict(_get(client, dataset, "datacite").content.decode())
    assert record["identifier"] == {"@identifierType": "DOI", "$": "10.1234/neaspec-ds-1"}


def test_bibtex_parses_back(client, dataset):
    response = _get(client, dataset, "bibtex")
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    library = bibtexparser.parse_string(response.content.decode())
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "misc"
    assert entry["version"] == "2"
    assert entry["publisher"] == "NEASPEC Knowledge Hub"
    assert entry["author"] == "{Kim, Minji} and {Dorj, Bat} and {ranger-7}"
    assert entry["title"].startswith(r"호랑이 \textbraceleft{}카메라\textbraceright{} 조사 \&")
    assert entry["url"].endswith(f"/data/{dataset.pk}/")


def test_ris_parses_back(client, dataset):
    (record,) = rispy.loads(_get(client, dataset, "ris").content.decode())
    assert record["type_of_reference"] == "DATA"
    assert record["authors"] == ["Kim, Minji", "Dorj, Bat", "ranger-7"]
    assert record["title"] == "호랑이 {카메라} 조사 & 100% _raw_ data line two"
    assert record["edition"] == "Version 2"
    assert record["publisher"] == "NEASPEC Knowledge Hub"
    assert record["keywords"] == ["Panthera tigris altaica"]


def test_csl_json_has_the_required_fields(client, dataset):
    response = _get(client, dataset, "csl-json")
    (item,) = json.loads(response.content)
    assert {"id", "type", "title", "author", "issued", "version", "publisher", "URL"} <= set(item)
    assert item["type"] == "dataset"
    assert item["author"][0] == {"family": "Kim", "given": "Minji"}
    assert item["author"][2] == {"literal": "ranger-7"}
    assert item["issued"] == {"date-parts": [[dataset.published_at.year]]}


def test_datacite_xml_validates_against_the_shipped_kernel_4_schema(client, dataset):
    response = _get(client, dataset, "datacite")
    assert response["Content-Type"] == "application/vnd.datacite.datacite+xml; charset=utf-8"
    xml = response.content.decode()
    SCHEMA.validate(xml)
    record = SCHEMA.to_dict(xml)
    assert record["identifier"]["@identifierType"] == "URL"
    assert record["publisher"] == "NEASPEC Knowledge Hub"
    assert record["resourceType"]["@resourceTypeGeneral"] == "Dataset"
    assert record["version"] == "2"
    first = record["creators"]["creator"][0]
    assert first["familyName"] == "Kim"
    assert first["affiliation"] == ["National Institute of Ecology"]
    # Without an organisation, the creator's country is the affiliation.
    assert record["creators"]["creator"][1]["affiliation"] == ["Mongolia"]
    assert record["dates"]["date"][0]["$"] == "2023-04-01/2023-10-31"


@pytest.mark.parametrize("licence", ["CC0-1.0", "CC-BY-NC-4.0", "custom"])
def test_every_licence_and_a_bare_dataset_validate(licence, researcher_a):
    dataset = DatasetFactory(
        uploader=researcher_a, licence=licence, licence_terms="Ask first.", abstract=""
    )
    SCHEMA.validate(datacite_xml(cite.citation_of(dataset)))


def test_a_later_version_points_at_the_first(researcher_a):
    first = DatasetFactory(uploader=researcher_a)
    second = DatasetFactory(uploader=researcher_a, series=first, version=2)
    xml = datacite_xml(cite.citation_of(second))
    SCHEMA.validate(xml)
    (related,) = SCHEMA.to_dict(xml)["relatedIdentifiers"]["relatedIdentifier"]
    assert related["@relationType"] == "IsNewVersionOf"
    assert related["$"].endswith(f"/data/{first.pk}/")
