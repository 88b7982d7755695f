"""Files in an S3 bucket (moto's real S3 server over HTTP): upload, processing, protected
downloads by signed URL, thumbnails, a private bucket, reconciliation."""

import time
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from access.models import AuditEvent
from datasets import services
from datasets.models import DataFile, FileState, Occurrence
from datasets.processing import pipeline
from datasets.reconcile import files_reconcile
from datasets.stored_files import BLOCK_SIZE, RangedObject, StoredSource
from tests.drills.harness import SMALL_CSV
from tests.factories import DataFileFactory, DatasetFactory
from tests.processing import files


def _fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a test URL
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def _upload(user, name: str, data: bytes, **dataset_fields) -> DataFile:
    dataset = DatasetFactory(uploader=user, status="draft", **dataset_fields)
    upload = SimpleUploadedFile(name, data)
    data_file = services.data_file_add(actor=user, dataset=dataset, upload=upload)
    assert pipeline.process(data_file.pk) == FileState.READY
    data_file.refresh_from_db()
    return data_file


def test_upload_process_and_download_through_the_bucket(
    client, bucket, s3_server, researcher_a, researcher_b
):
    data_file = _upload(researcher_a, "cranes.csv", SMALL_CSV, access_level="restricted")
    assert data_file.file.name in s3_server.keys(bucket)
    assert (data_file.row_count, Occurrence.objects.filter(data_file=data_file).count()) == (2, 2)
    download = reverse("datasets:download", args=[data_file.pk])

    client.force_login(researcher_a)
    response = client.get(download)
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    signed = response["Location"]
    query = parse_qs(urlparse(signed).query)
    assert query["X-Amz-Expires"] == ["60"]
    assert "attachment" in query["response-content-disposition"][0]
    assert _fetch(signed) == (200, SMALL_CSV)
    assert AuditEvent.objects.filter(action="file.download", actor=researcher_a).count() == 1

    # The object itself, unsigned, is refused by the server: the bucket is not public.
    assert _fetch(f"{s3_server.endpoint}/{bucket}/{data_file.file.name}")[0] == 403
    client.force_login(researcher_b)
    refused = client.get(download)
    assert refused.status_code == 404
    assert "Location" not in refused
    assert not AuditEvent.objects.filter(action="file.download", actor=researcher_b).exists()


def test_a_signed_url_lives_as_long_as_the_setting_says(client, bucket, researcher_a, settings):
    settings.AWS_QUERYSTRING_EXPIRE = 5
    data_file = DataFileFactory(dataset=DatasetFactory(uploader=researcher_a))
    client.force_login(researcher_a)
    signed = client.get(reverse("datasets:download", args=[data_file.pk]))["Location"]
    query = parse_qs(urlparse(signed).query)
    signed_at = time.mktime(time.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ"))
    assert query["X-Amz-Expires"] == ["5"]
    assert abs(signed_at - time.mktime(time.gmtime())) < 60
    # The signature covers the lifetime: a URL stretched by hand is refused by a real store.
    assert query["X-Amz-SignedHeaders"] == ["host"]


def test_thumbnails_and_documents_are_made_from_the_bucket(client, bucket, s3_server, researcher_a):
    image = _upload(researcher_a, "camera.png", files.png((1200, 900)))
    document = _upload(researcher_a, "report.pdf", files.pdf("Amur tiger corridors"))
    assert "Amur tiger corridors" in document.extracted_text
    keys = s3_server.keys(bucket)
    assert {image.thumbnail.name, document.thumbnail.name} <= keys
    client.force_login(researcher_a)
    response = client.get(reverse("datasets:thumbnail", args=[image.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_an_outsider_gets_no_thumbnail(client, bucket, researcher_a, researcher_b):
    image = _upload(researcher_a, "camera.png", files.png(), access_level="restricted")
    client.force_login(researcher_b)
    assert client.get(reverse("datasets:thumbnail", args=[image.pk])).status_code == 404


def test_reading_a_stored_file_asks_only_for_the_ranges_it_needs(bucket):
    size = 3 * BLOCK_SIZE + 1000
    name = default_storage.save("files/big.bin", ContentFile(bytes(range(256)) * (size // 256)))
    source = StoredSource(default_storage, name)
    raw = RangedObject(default_storage, name, source.size)
    raw.seek(-10, 2)
    assert raw.read(10) == (bytes(range(256)) * (size // 256))[-10:]
    raw.seek(5)
    assert raw.read(3) == bytes([5, 6, 7])
    assert raw.requests == 2  # the last block and the first, never the whole object
    # Read in order, the ranges grow: 1 MiB, 2 MiB, then the rest.
    sequential = RangedObject(default_storage, name, source.size)
    while sequential.read(64 * 1024):
        pass
    assert sequential.requests == 3
    with source.open() as stream:
        assert len(stream.read()) == source.size


def test_a_missing_object_fails_the_file_with_the_usual_message(bucket, researcher_a):
    data_file = DataFileFactory(dataset=DatasetFactory(uploader=researcher_a, status="draft"))
    default_storage.delete(data_file.file.name)
    assert pipeline.process(data_file.pk) == FileState.FAILED
    data_file.refresh_from_db()
    assert "stored copy of this file is missing" in data_file.error


@pytest.mark.parametrize("dry_run", [True, False])
def test_reconciliation_works_on_a_bucket(bucket, s3_server, researcher_a, dry_run):
    dataset = DatasetFactory(uploader=researcher_a, status="draft")
    sound = DataFileFactory(dataset=dataset)
    lost = DataFileFactory(dataset=dataset)
    default_storage.delete(lost.file.name)
    orphan = default_storage.save("files/2026/11/no-row.csv", ContentFile(b"a,b\n"))
    time.sleep(1.1)  # the store dates objects to the second
    found = files_reconcile(grace=timedelta(0), dry_run=dry_run)
    assert found.orphan_blobs == [orphan]
    assert found.missing_files == [lost.pk]
    keys = s3_server.keys(bucket)
    assert sound.file.name in keys
    assert (orphan in keys) is dry_run
    lost.refresh_from_db()
    assert (lost.state == FileState.FAILED) is not dry_run


def test_streamed_by_django_a_bucket_file_is_read_by_ranges(client, bucket, researcher_a, settings):
    settings.PROTECTED_DOWNLOADS = "django"
    data_file = _upload(researcher_a, "cranes.csv", SMALL_CSV)
    client.force_login(researcher_a)
    response = client.get(reverse("datasets:download", args=[data_file.pk]))
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(SMALL_CSV))
    assert b"".join(response.streaming_content) == SMALL_CSV
