"""Downloads carry the dataset's and version's name; a version's files come as one zip."""

import io
import zipfile

import pytest
from django.urls import reverse

from access.models import AuditEvent
from datasets.counts import counts_for
from datasets.downloads import archive_member_names, dataset_file_name
from datasets.models import DataFile
from datasets.models.counts import CountSubject
from tests.factories import DataFileFactory, DatasetFactory


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def tiger_v3(researcher_a):
    return DatasetFactory(
        uploader=researcher_a,
        title="Камеры-ловушки",
        title_en="Amur tiger camera traps, Land of the Leopard",
        version=3,
        access_level="public",
    )


def test_it_names_a_file_after_its_dataset_and_version(client, tiger_v3):
    data_file = DataFileFactory(dataset=tiger_v3, original_name="occurrences.csv")
    response = client.get(reverse("datasets:download", args=[data_file.pk]))
    expected = "amur-tiger-camera-traps-land-of-the-leopard_v3_occurrences.csv"
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"{expected}\"; filename*=UTF-8''{expected}"
    )
    api = client.get(reverse("api:file-download", args=[data_file.pk]))
    assert api["Content-Disposition"] == response["Content-Disposition"]


def test_it_names_by_the_original_title_when_there_is_no_english_one(researcher_a):
    dataset = DatasetFactory(uploader=researcher_a, title="Камеры-ловушки 2024", version=1)
    assert dataset_file_name(dataset, "a.csv") == "камеры-ловушки-2024_v1_a.csv"
    untitled = DatasetFactory(uploader=researcher_a, title="!!!", version=2)
    assert dataset_file_name(untitled, "a.csv") == f"dataset-{untitled.pk}_v2_a.csv"


def test_it_names_presigned_downloads_too(client, tiger_v3, settings, monkeypatch):
    settings.PROTECTED_DOWNLOADS = "presigned"
    settings.AWS_QUERYSTRING_EXPIRE = 60
    data_file = DataFileFactory(dataset=tiger_v3, original_name="occurrences.csv")
    seen = {}

    def url(name, parameters=None, expire=None):
        seen.update(parameters)
        return "https://bucket.example/signed"

    monkeypatch.setattr(data_file.file.storage, "url", url)
    response = client.get(reverse("datasets:download", args=[data_file.pk]))
    assert response.status_code == 302
    assert "_v3_occurrences.csv" in seen["ResponseContentDisposition"]


def test_it_names_the_darwin_core_export(client, tiger_v3):
    response = client.get(reverse("api:dataset-export-dwca", args=[tiger_v3.pk]))
    assert (
        "amur-tiger-camera-traps-land-of-the-leopard_v3_dwca.zip"
        in (response["Content-Disposition"])
    )


def test_it_zips_every_file_of_the_version(client, tiger_v3, researcher_b):
    first = DataFileFactory(dataset=tiger_v3, original_name="stations.csv")
    DataFileFactory(dataset=tiger_v3, original_name="stations.csv")
    DataFileFactory(dataset=tiger_v3, original_name="..\\photos.csv")
    client.force_login(researcher_b)
    response = client.get(reverse("datasets:archive", args=[tiger_v3.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert (
        "amur-tiger-camera-traps-land-of-the-leopard_v3_files.zip"
        in (response["Content-Disposition"])
    )
    with zipfile.ZipFile(io.BytesIO(_body(response))) as archive:
        assert archive.namelist() == ["stations.csv", "stations (2).csv", "photos.csv"]
        assert archive.read("stations.csv") == first.file.open("rb").read()
    audited = AuditEvent.objects.filter(action="file.download", actor=researcher_b)
    assert audited.count() == 3
    assert counts_for(subject=CountSubject.DATASET, object_id=tiger_v3.pk).downloads == 3


def test_the_api_zips_the_version_too(client, tiger_v3):
    DataFileFactory(dataset=tiger_v3)
    response = client.get(reverse("api:dataset-archive", args=[tiger_v3.pk]))
    assert response.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(_body(response))).namelist() == ["stations.csv"]


@pytest.mark.parametrize("url_name", ["datasets:archive", "api:dataset-archive"])
def test_it_refuses_an_outsider_the_archive_as_missing(
    client, researcher_a, researcher_b, url_name
):
    restricted = DatasetFactory(uploader=researcher_a, access_level="restricted")
    DataFileFactory(dataset=restricted)
    client.force_login(researcher_b)
    assert client.get(reverse(url_name, args=[restricted.pk])).status_code == 404
    draft = DatasetFactory(uploader=researcher_a, status="draft", access_level="public")
    DataFileFactory(dataset=draft)
    assert client.get(reverse(url_name, args=[draft.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="file.download").exists()


def test_it_leaves_out_a_failed_file_for_a_reader(client, tiger_v3, researcher_a, researcher_b):
    DataFileFactory(dataset=tiger_v3, original_name="good.csv")
    DataFileFactory(dataset=tiger_v3, original_name="broken.csv", state="failed")
    client.force_login(researcher_b)
    names = zipfile.ZipFile(
        io.BytesIO(_body(client.get(reverse("datasets:archive", args=[tiger_v3.pk]))))
    ).namelist()
    assert names == ["good.csv"]
    client.force_login(researcher_a)
    names = zipfile.ZipFile(
        io.BytesIO(_body(client.get(reverse("datasets:archive", args=[tiger_v3.pk]))))
    ).namelist()
    assert names == ["good.csv", "broken.csv"]


def test_an_empty_version_has_no_archive(client, tiger_v3):
    assert client.get(reverse("datasets:archive", args=[tiger_v3.pk])).status_code == 404


def test_member_names_stay_distinct_and_flat():
    files = [DataFile(original_name=name) for name in ["a.CSV", "A.csv", "x/../b", "b", ""]]
    assert archive_member_names(files) == ["a.CSV", "A (2).csv", "b", "b (2)", "file"]


def test_the_page_offers_the_archive_when_there_are_several_files(client, tiger_v3):
    DataFileFactory(dataset=tiger_v3)
    page = client.get(reverse("datasets:detail", args=[tiger_v3.pk])).content.decode()
    assert reverse("datasets:archive", args=[tiger_v3.pk]) not in page
    DataFileFactory(dataset=tiger_v3)
    page = client.get(reverse("datasets:detail", args=[tiger_v3.pk])).content.decode()
    assert reverse("datasets:archive", args=[tiger_v3.pk]) in page
