"""One upload service, all or nothing: whatever fails while a request's files are stored,
the blobs under MEDIA_ROOT and the DataFile rows stay equal in number.

Failures are injected where they happened or could happen: the database refusing a row
after its blob was written, a refusal late in the service, the page cache (Redis) failing
inside the transaction, and the caller's own transaction rolling back after the files were
stored. The storage, the database and the transaction handling are the real ones.
"""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from redis.exceptions import ConnectionError as RedisConnectionError

from datasets import file_store
from datasets.file_store import atomic_with_blobs, files_store
from datasets.models import DataFile
from neaspec_portal import page_cache
from publications import services as publication_services
from tests.factories import DatasetFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def dataset(researcher_a):
    return DatasetFactory(uploader=researcher_a, status="draft", published_at=None)


def _csv(count: int) -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(f"stations-{n}.csv", b"station,lat,lon\nA,43.1,131.2\n")
        for n in range(count)
    ]


def _blobs(media: Path) -> int:
    return sum(1 for path in media.rglob("*") if path.is_file())


def _fail_on_call(number: int, error: BaseException):
    """Return a wrapper of a function that raises ``error`` on its ``number``-th call."""
    calls = {"count": 0}

    def wrap(function):
        def failing(*args, **kwargs):
            calls["count"] += 1
            if calls["count"] == number:
                raise error
            return function(*args, **kwargs)

        return failing

    return wrap


def test_stored_files_have_their_rows(researcher_a, dataset, media):
    stored = files_store(actor=researcher_a, target=dataset, uploads=_csv(3))
    assert [f.original_name for f in stored] == [
        "stations-0.csv",
        "stations-1.csv",
        "stations-2.csv",
    ]
    assert _blobs(media) == DataFile.objects.count() == 3


def test_a_database_error_after_a_blob_is_written_leaves_nothing(
    researcher_a, dataset, media, monkeypatch
):
    fail = _fail_on_call(2, DatabaseError("could not extend file: No space left on device"))
    monkeypatch.setattr(DataFile, "save", fail(DataFile.save))
    with pytest.raises(DatabaseError):
        files_store(actor=researcher_a, target=dataset, uploads=_csv(3))
    assert _blobs(media) == DataFile.objects.count() == 0


def test_a_late_refusal_in_the_service_leaves_nothing(researcher_a, dataset, media, monkeypatch):
    fail = _fail_on_call(3, ValidationError("The processing queue refused the file."))
    monkeypatch.setattr(file_store, "enqueue_on_commit", fail(file_store.enqueue_on_commit))
    with pytest.raises(ValidationError):
        files_store(actor=researcher_a, target=dataset, uploads=_csv(3))
    assert _blobs(media) == DataFile.objects.count() == 0


def test_a_page_cache_failure_inside_the_transaction_leaves_nothing(
    researcher_a, dataset, media, monkeypatch
):
    """Redis down once left ten uploaded files orphaned on disk."""
    fail = _fail_on_call(4, RedisConnectionError("Connection refused"))
    monkeypatch.setattr(page_cache, "bump", fail(page_cache.bump))
    with pytest.raises(RedisConnectionError):
        files_store(actor=researcher_a, target=dataset, uploads=_csv(10))
    assert _blobs(media) == DataFile.objects.count() == 0


def test_the_callers_rollback_removes_the_files_it_stored(researcher_a, dataset, media):
    with pytest.raises(RuntimeError), atomic_with_blobs():
        files_store(actor=researcher_a, target=dataset, uploads=_csv(2))
        raise RuntimeError("the rest of the request failed")
    assert _blobs(media) == DataFile.objects.count() == 0


def test_one_bad_file_refuses_the_request_with_a_message_per_file(researcher_a, dataset, media):
    uploads = [*_csv(2), SimpleUploadedFile("empty.csv", b""), SimpleUploadedFile("b.csv", b"")]
    with pytest.raises(ValidationError) as refused:
        files_store(actor=researcher_a, target=dataset, uploads=uploads)
    assert refused.value.message_dict["file"] == ["empty.csv is empty.", "b.csv is empty."]
    assert _blobs(media) == DataFile.objects.count() == 0


def test_a_publication_and_its_files_are_created_together_or_not_at_all(researcher_a, media):
    uploads = [SimpleUploadedFile("report.pdf", PDF), SimpleUploadedFile("notes.txt", b"hi")]
    fields = {"type": "report", "title": "Tiger corridors", "year": 2024, "language": "en"}
    with pytest.raises(ValidationError) as refused:
        publication_services.publication_create(actor=researcher_a, uploads=uploads, **fields)
    assert refused.value.message_dict["file"] == [
        "notes.txt: only PDF, DOCX and PPTX files are accepted."
    ]
    assert _blobs(media) == DataFile.objects.count() == 0
    publication = publication_services.publication_create(
        actor=researcher_a, uploads=uploads[:1], **fields
    )
    assert [link.data_file.original_name for link in publication.links.all()] == ["report.pdf"]
    assert _blobs(media) == DataFile.objects.count() == 1


@pytest.mark.parametrize("surface", ["page", "api"])
def test_every_surface_refuses_the_whole_upload(client, researcher_a, dataset, media, surface):
    client.force_login(researcher_a)
    uploads = [*_csv(2), SimpleUploadedFile("empty.csv", b"")]
    if surface == "page":
        response = client.post(
            f"/data/{dataset.pk}/files/", {"files": uploads}, HTTP_ACCEPT="application/json"
        )
        assert response.json() == {"added": [], "errors": ["empty.csv is empty."]}
    else:
        response = client.post(f"/api/v1/datasets/{dataset.pk}/files/", {"file": uploads})
        assert response.json() == {"file": ["empty.csv is empty."]}
    assert response.status_code == 400
    assert _blobs(media) == DataFile.objects.count() == 0


def test_a_refusal_caught_inside_a_larger_transaction_leaves_nothing_either(
    researcher_a, dataset, media, monkeypatch
):
    fail = _fail_on_call(2, ValidationError("The processing queue refused the file."))
    monkeypatch.setattr(file_store, "enqueue_on_commit", fail(file_store.enqueue_on_commit))
    with atomic_with_blobs():
        with pytest.raises(ValidationError):
            files_store(actor=researcher_a, target=dataset, uploads=_csv(2))
        files_store(actor=researcher_a, target=dataset, uploads=_csv(1))
    assert _blobs(media) == DataFile.objects.count() == 1
