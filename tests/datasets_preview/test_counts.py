"""Views and downloads of datasets and publications, by country of the reader, not by person."""

from django.core.cache import cache
from django.core.files.base import ContentFile

from datasets.models import DailyCount
from neaspec_portal.page_cache import _GENERATION_KEY
from publications.models import Publication
from tests.factories import DataFileFactory, DatasetFactory


def test_views_and_downloads_are_counted_by_country(client, db, researcher_a, researcher_b):
    dataset = DatasetFactory(uploader=researcher_a, access_level="public")
    data_file = DataFileFactory(dataset=dataset, state="ready")
    data_file.file.save("stations.csv", ContentFile(b"station,lat,lon\nA,43.1,131.2\n"))
    url = f"/data/{dataset.pk}/"
    client.get(url)
    client.get(f"/data/files/{data_file.pk}/download/")
    client.force_login(researcher_b)
    client.get(url)
    client.get(f"/data/files/{data_file.pk}/download/")
    client.get(f"/api/v1/files/{data_file.pk}/download/")
    page = client.get(url).content.decode()
    assert "3 views" in page  # counted before the page is drawn: this one too
    assert "3 downloads" in page
    # Downloads by country are the owner side's (tests/usage): not researcher B's.
    assert "(MN 2, unknown 1)" not in page
    client.force_login(researcher_a)
    assert "(MN 2, unknown 1)" in client.get(url).content.decode()
    rows = set(DailyCount.objects.values_list("kind", "country", "count"))
    assert rows == {
        ("view", "", 1),
        ("view", "MN", 2),
        ("view", "KR", 1),
        ("download", "", 1),
        ("download", "MN", 2),
    }
    # Nothing names a person: the table has no column for one.
    columns = {field.name for field in DailyCount._meta.get_fields()}
    assert columns == {"id", "subject", "object_id", "day", "country", "kind", "count"}


def test_a_forbidden_dataset_is_not_counted(client, db, researcher_a):
    dataset = DatasetFactory(uploader=researcher_a, status="draft")
    assert client.get(f"/data/{dataset.pk}/").status_code == 404
    assert not DailyCount.objects.exists()


def test_counting_a_view_keeps_the_visitors_page_cache(client, db, researcher_a):
    dataset = DatasetFactory(uploader=researcher_a)
    client.get("/data/")
    generation = cache.get(_GENERATION_KEY)
    client.get(f"/data/{dataset.pk}/")
    assert cache.get(_GENERATION_KEY) == generation


def test_a_publication_shows_its_counts(client, db, researcher_a):
    publication = Publication.objects.create(
        type="report",
        title="Crane census",
        year=2024,
        language="en",
        visibility="public",
        status="published",
        uploader=researcher_a,
        owner_country_id="KR",
    )
    url = publication.get_absolute_url()
    client.get(url)
    page = client.get(url).content.decode()
    assert "2 views" in page and "0 downloads" in page
