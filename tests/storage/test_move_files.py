"""``manage.py move_files``: from the disk to the bucket and back, verified and repeatable."""

import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from access.models import AuditEvent
from datasets.file_moves import checksum, store_named
from tests.factories import DataFileFactory, DatasetFactory


@pytest.fixture
def two_stores(settings, tmp_path, s3_server):
    """Local storage in use, and a bucket named by the standard AWS_* settings."""
    settings.MEDIA_ROOT = tmp_path
    bucket = s3_server.new_bucket()
    for name, value in s3_server.env(bucket).items():
        if name.startswith("AWS_"):
            setattr(settings, name, value)
    return bucket


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def stored(two_stores, researcher_a):
    dataset = DatasetFactory(uploader=researcher_a)
    data = b"station,lat,lon\nA,43.1,131.2\n"
    plain = DataFileFactory(dataset=dataset, sha256=_sha(data))
    with_thumbnail = DataFileFactory(dataset=dataset, sha256=_sha(data))
    with_thumbnail.thumbnail = default_storage.save("files/thumb.png", ContentFile(b"\x89PNG"))
    with_thumbnail.save()
    return [plain.file.name, with_thumbnail.file.name, with_thumbnail.thumbnail.name]


def _run(*arguments: str) -> str:
    out = io.StringIO()
    call_command("move_files", *arguments, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_files_move_to_the_bucket_and_back(stored, two_stores, s3_server, tmp_path):
    local = store_named("local")
    sums = {name: checksum(local, name) for name in stored}

    assert "3 copied to s3, 0 already there" in _run("--to", "s3")
    assert s3_server.keys(two_stores) == set(stored)
    assert {name: checksum(store_named("s3"), name) for name in stored} == sums
    assert AuditEvent.objects.filter(action="file.move").count() == 2

    # Again: nothing to copy, nothing audited; then the originals go.
    assert "0 copied to s3, 3 already there, 3 source(s) removed" in _run(
        "--to", "s3", "--delete-source"
    )
    assert AuditEvent.objects.filter(action="file.move").count() == 2
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]

    assert "3 copied to local" in _run("--to", "local", "--delete-source")
    assert s3_server.keys(two_stores) == set()
    assert {name: checksum(local, name) for name in stored} == sums


def test_a_file_that_does_not_match_its_checksum_stays(stored, two_stores, s3_server):
    local = store_named("local")
    local.delete(stored[0])
    local.save(stored[0], ContentFile(b"tampered"))
    with pytest.raises(CommandError):
        _run("--to", "s3", "--delete-source")
    assert stored[0] not in s3_server.keys(two_stores)
    assert local.exists(stored[0])
    assert {stored[1], stored[2]} <= s3_server.keys(two_stores)
