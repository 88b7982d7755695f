"""The profile on the dataset page: the same rows as the API, for the same people."""

import pytest
from django.core.files.base import ContentFile

from datasets.processing import pipeline
from tests.datasets_preview.test_preview import TABLE
from tests.factories import DataFileFactory, DatasetFactory


@pytest.fixture
def table(db, researcher_a):
    dataset = DatasetFactory(uploader=researcher_a, access_level="country")
    data_file = DataFileFactory(dataset=dataset, original_name="records.csv")
    data_file.file.save("records.csv", ContentFile(TABLE.encode()))
    assert pipeline.process(data_file.pk) == "ready"
    return data_file


def test_a_visitor_sees_the_profile_and_the_public_preview(client, table):
    page = client.get(f"/data/{table.dataset_id}/").content.decode()
    assert "What the data holds" in page
    assert "Preview of the first 3 rows" in page
    assert "43.1" in page and "131.6" in page
    assert "43.1234" not in page and "ranger hut" not in page
    assert 'id="profile-map-data"' in page
    assert "Decimal number" in page


def test_the_owner_sees_exact_values(client, table, researcher_a):
    client.force_login(researcher_a)
    page = client.get(f"/data/{table.dataset_id}/").content.decode()
    assert "43.1234" in page and "Near the ranger hut" in page
    assert "Zzunknownia fictiva" in page  # the matching report quotes names to downloaders


def test_the_page_query_budget(client, table, researcher_a, django_assert_num_queries):
    # Expect 20 queries for a visitor: the dataset through the policy; its species, sites, KMGBF
    # targets, themes, co-owners, collaborators, files, decisions and visible protocols; the
    # species' names of the matching report; the files' stored previews; the species of the profile;
    # the datasets whose records the visitor reads exactly (none) and the public rows of the map;
    # counting the view (one upsert) and reading the counts; the uploader's country (citation); the
    # series' versions; the public extent of the JSON-LD description.
    with django_assert_num_queries(20):
        client.get(f"/data/{table.dataset_id}/")
    client.force_login(researcher_a)
    # Expect 27 for the owner: the session, the user and their focal-point countries; the
    # same 20 less the visitor's empty public-row read, plus the exact rows of the map;
    # the owner's own open access request; and the usage table by month and country (the
    # counts grouped, the title).
    with django_assert_num_queries(27):
        client.get(f"/data/{table.dataset_id}/")
