"""schema.org JSON-LD in dataset, publication and event pages, and /sitemap.xml.

The JSON-LD is expanded with pyld (schema.org's context given offline as its vocabulary);
it never holds an exact location or a file's URL. The sitemap lists published public items
and reference pages only.
"""

import json
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import etree
from pyld import jsonld

from datasets import locations
from datasets.models import Occurrence
from publications.models import Event, Publication
from species.models import Species
from tests.factories import DataFileFactory, DatasetFactory

SCHEMA = "https://schema.org/"
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _offline_loader(url, options=None):
    # schema.org's context amounts to its vocabulary; no network in tests.
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": {"@context": {"@vocab": SCHEMA}},
    }


def _jsonld(client, url) -> tuple[dict, list]:
    page = client.get(url)
    assert page.status_code == 200
    (block,) = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', page.content.decode(), re.S
    )
    data = json.loads(block)
    assert data["@context"] == "https://schema.org"
    expanded = jsonld.expand(data, {"documentLoader": _offline_loader})
    return data, expanded


@pytest.fixture
def items(researcher_a):
    tiger = Species.objects.get(code="TIGER_AMUR")
    dataset = DatasetFactory(
        uploader=researcher_a,
        title="Tigers of Land of the Leopard",
        abstract="Camera stations.",
        access_level="restricted",
        temporal_start=date(2023, 1, 1),
    )
    dataset.species.set([tiger])
    records = DataFileFactory(dataset=dataset, state="ready")
    Occurrence.objects.create(
        dataset=dataset,
        data_file=records,
        species=tiger,
        scientific_name="Panthera tigris altaica",
        latitude=43.21013,
        longitude=131.38761,
        row=2,
    )
    locations.generalize_file(records)
    publication = Publication.objects.create(
        type="article",
        title="Tiger movements",
        abstract="Collars.",
        year=2024,
        language="en",
        doi="10.1234/tiger",
        visibility="member_states",
        status="published",
        uploader=researcher_a,
        owner_country_id="KR",
        published_at=timezone.now(),
    )
    publication.authors.create(name="Kim Min-jun", affiliation="NIBR", order=0)
    event = Event.objects.create(
        status="published",
        title="Incheon workshop",
        type=Event._meta.get_field("type").choices[0][0],
        start_date=date(2024, 10, 1),
        end_date=date(2024, 10, 2),
        city="Incheon",
        venue="G-Tower",
        created_by=researcher_a,
    )
    return dataset, publication, event, records


@pytest.mark.django_db
def test_dataset_pages_carry_a_dataset_without_exact_places_or_files(client, researcher_a, items):
    dataset, _publication, _event, records = items
    for reader in (None, researcher_a):  # the owner's page too: search engines read none
        if reader:
            client.force_login(reader)
        data, expanded = _jsonld(client, reverse("datasets:detail", args=[dataset.pk]))
        assert data["@type"] == "Dataset"
        assert expanded[0]["@type"] == [SCHEMA + "Dataset"]
        assert expanded[0][SCHEMA + "name"][0]["@value"] == dataset.title
        text = json.dumps(data)
        assert "43.21013" not in text and "131.38761" not in text
        assert data["spatialCoverage"]["geo"]["box"] == "43.15 131.35 43.25 131.45"
        assert records.get_download_url() not in text and "/download/" not in text
        assert data["about"][0]["name"] == "Panthera tigris altaica"


@pytest.mark.django_db
def test_publication_and_event_pages(client, items):
    _dataset, publication, event, _records = items
    data, expanded = _jsonld(client, reverse("publications:detail", args=[publication.pk]))
    assert data["@type"] == "ScholarlyArticle"
    assert data["author"][0]["name"] == "Kim Min-jun"
    assert data["sameAs"] == "https://doi.org/10.1234/tiger"
    assert expanded[0][SCHEMA + "datePublished"][0]["@value"] == "2024"
    publication.type = "report"
    publication.save()
    assert (
        _jsonld(client, reverse("publications:detail", args=[publication.pk]))[0]["@type"]
        == "Report"
    )
    data, expanded = _jsonld(client, reverse("publications:event_detail", args=[event.pk]))
    assert data["@type"] == "Event"
    assert (data["startDate"], data["endDate"]) == ("2024-10-01", "2024-10-02")
    assert data["location"] == {"@type": "Place", "name": "G-Tower", "address": "Incheon"}


@pytest.mark.django_db
def test_the_sitemap_lists_published_public_pages_only(
    client, researcher_a, items, django_assert_num_queries
):
    dataset, publication, event, records = items
    draft = DatasetFactory(uploader=researcher_a, status="draft")
    withdrawn = DatasetFactory(uploader=researcher_a, status="withdrawn")
    waiting = Publication.objects.create(
        type="report",
        title="Waiting",
        year=2024,
        language="en",
        visibility="public",
        status="submitted",
        uploader=researcher_a,
        owner_country_id="KR",
    )
    # Expect 10 queries: the paginator's count and the page of each sitemap of objects
    # (datasets, publications, events, species, sites); the index pages need none.
    with django_assert_num_queries(10):
        response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urls = etree.fromstring(response.content).xpath("//s:loc/text()", namespaces=SITEMAP)
    paths = {re.sub(r"^https?://[^/]+", "", url) for url in urls}
    assert {
        dataset.get_absolute_url(),
        publication.get_absolute_url(),
        event.get_absolute_url(),
        reverse("species:species_detail", args=["TIGER_AMUR"]),
        reverse("datasets:list"),
    } <= paths
    assert (
        not {
            draft.get_absolute_url(),
            withdrawn.get_absolute_url(),
            waiting.get_absolute_url(),
        }
        & paths
    )
    assert not [path for path in paths if "/files/" in path or "download" in path]
    assert any(path.startswith("/sites/") for path in paths)
