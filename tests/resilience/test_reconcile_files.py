"""No orphans: stored files and DataFile rows end every reconciliation one-to-one."""

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError
from django.utils import timezone

from access.models import AuditEvent
from datasets import file_store, services
from datasets.models import DataFile, FileState
from datasets.tasks import reconcile_files
from tests.factories import DataFileFactory, DatasetFactory

TWO_HOURS = 2 * 3600


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    settings.RECONCILE_FILES_GRACE_MINUTES = 60
    return tmp_path


def _blob(name: str, *, age_seconds: int) -> str:
    stored = default_storage.save(name, ContentFile(b"timestamp,lon,lat\n"))
    then = time.time() - age_seconds
    os.utime(default_storage.path(stored), (then, then))
    return stored


def _blobs(media: Path) -> set[str]:
    return {str(path.relative_to(media)) for path in media.rglob("*") if path.is_file()}


def _named_by_rows() -> set[str]:
    names = set()
    for file_name, thumbnail in DataFile.objects.values_list("file", "thumbnail"):
        names.update({file_name, thumbnail} - {""})
    return names


@pytest.fixture
def orphans_both_ways(media, researcher_a):
    """Two sound files (one with a thumbnail), and every kind of orphan, all settled."""
    dataset = DatasetFactory(uploader=researcher_a, status="draft")
    sound = DataFileFactory(dataset=dataset)
    with_thumbnail = DataFileFactory(dataset=dataset)
    with_thumbnail.thumbnail = _blob("files/2026/12/thumb-kept.png", age_seconds=TWO_HOURS)
    with_thumbnail.save()
    lost = DataFileFactory(dataset=dataset)
    default_storage.delete(lost.file.name)
    lost_thumbnail = DataFileFactory(dataset=dataset, thumbnail="files/2026/12/thumb-gone.png")
    DataFile.objects.update(uploaded_at=timezone.now() - timedelta(hours=2))
    for data_file in (sound, with_thumbnail, lost_thumbnail):
        then = time.time() - TWO_HOURS
        os.utime(default_storage.path(data_file.file.name), (then, then))
    return {
        "sound": sound,
        "lost": lost,
        "lost_thumbnail": lost_thumbnail,
        "orphan": _blob("files/2026/11/no-row.csv", age_seconds=TWO_HOURS),
        "orphan_thumbnail": _blob("files/2026/11/no-row-thumb.png", age_seconds=TWO_HOURS),
        "in_flight": _blob("files/2026/12/uploading.csv", age_seconds=60),
    }


def test_it_leaves_blobs_and_rows_one_to_one(media, orphans_both_ways):
    made = orphans_both_ways
    before = _blobs(media)
    assert {
        made["orphan"],
        made["orphan_thumbnail"],
        made["in_flight"],
    } <= before - _named_by_rows()
    assert made["lost"].file.name in _named_by_rows() - before

    counts = reconcile_files()

    assert counts == {"orphans_removed": 2, "rows_failed": 1, "thumbnails_forgotten": 1}
    after = _blobs(media)
    # Every stored file belongs to a row, except the upload still in flight.
    assert after - _named_by_rows() == {made["in_flight"]}
    # Every row's file is stored, except the lost one, which now says so.
    assert _named_by_rows() - after == {made["lost"].file.name}
    assert len(after) == len(before) - 2
    assert DataFile.objects.count() == 4, "a data row is never deleted"
    lost = DataFile.objects.get(pk=made["lost"].pk)
    assert lost.state == FileState.FAILED
    assert "stored copy of this file is missing" in lost.error
    assert DataFile.objects.get(pk=made["lost_thumbnail"].pk).thumbnail.name == ""
    assert AuditEvent.objects.filter(action="file.missing", object_id=str(lost.pk)).count() == 1

    # A second run finds nothing more to do.
    assert reconcile_files() == {"orphans_removed": 0, "rows_failed": 0, "thumbnails_forgotten": 0}


def test_a_dry_run_lists_and_changes_nothing(media, orphans_both_ways, capsys):
    before = _blobs(media)
    call_command("reconcile_files", "--dry-run")
    out = capsys.readouterr().out
    assert f"would remove {orphans_both_ways['orphan']} (no row)" in out
    assert "2 orphan(s) to remove, 1 younger than 60 min kept" in out
    assert "1 row(s) without their file" in out
    assert _blobs(media) == before
    assert not DataFile.objects.filter(state=FileState.FAILED).exists()


def test_a_young_row_whose_blob_is_not_written_yet_is_left_alone(media, researcher_a):
    young = DataFileFactory(dataset=DatasetFactory(uploader=researcher_a, status="draft"))
    default_storage.delete(young.file.name)
    call_command("reconcile_files")
    assert DataFile.objects.get(pk=young.pk).state == FileState.PENDING


def test_a_negative_grace_is_refused(media):
    with pytest.raises(CommandError, match="0 or more"):
        call_command("reconcile_files", "--grace-minutes", "-1")


def test_after_an_upload_fails_midway_blobs_and_rows_match_again(media, researcher_a, monkeypatch):
    # The row is written, then the audit row fails: the transaction rolls the row back,
    # the upload service removes its blobs, and the reconciliation finds nothing left over.
    dataset = DatasetFactory(uploader=researcher_a, status="draft")

    def audit_fails(**_kwargs):
        raise DatabaseError("injected: the database went away")

    monkeypatch.setattr(file_store, "audit_record", audit_fails)
    for name in ("a.csv", "b.csv", "c.csv"):
        with pytest.raises(DatabaseError):
            services.data_file_add(
                actor=researcher_a, dataset=dataset, upload=SimpleUploadedFile(name, b"x,y\n1,2\n")
            )
    assert not DataFile.objects.filter(dataset=dataset).exists()
    print(f"after the failed uploads: {len(_blobs(media))} stored file(s), 0 rows")

    call_command("reconcile_files", "--grace-minutes", "0")

    assert _blobs(media) == _named_by_rows() == set()
