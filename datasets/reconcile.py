"""Stored files and their rows kept in step: the safety net behind the upload service.

An upload writes its blob, then its ``DataFile`` row, in one transaction that removes the
blob when it rolls back. A crash between the two (kill -9, a full disk, a lost database)
can still leave a blob without a row, or a row whose blob was lost. ``files_reconcile``
finds both, through Django's storage API only (``listdir``, ``exists``, ``delete``,
``get_modified_time``) so that it works the same on object storage:

- a blob under ``UPLOAD_ROOT`` that no row names (as its file or its thumbnail) and that is
  older than the grace period is removed: younger ones may belong to an upload still in
  flight, whose row is not committed yet;
- a row whose file is missing is marked failed with the message processing gives for the
  same case (the row is data and is never deleted), and a missing thumbnail is forgotten.

``manage.py reconcile_files`` runs it by hand, and a periodic task
(``RECONCILE_FILES_EVERY_MINUTES``) does so in production.
"""

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.storage import Storage, default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from access.services import audit_record
from datasets.models import DataFile, FileState

logger = logging.getLogger(__name__)

#: The folder of storage that holds uploads and thumbnails (``datasets.models._upload_path``).
UPLOAD_ROOT = "files"
#: Names asked of the database at once.
_BATCH = 500


@dataclass
class Reconciliation:
    """What one run found: blob names removed (or to remove), file ids marked failed."""

    orphan_blobs: list[str] = field(default_factory=list)
    young_blobs_kept: int = 0
    missing_files: list[int] = field(default_factory=list)
    missing_thumbnails: list[int] = field(default_factory=list)
    blobs_seen: int = 0


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    """Yield the name of every blob under ``folder``, depth first.

    A bucket has no folders to test for (``exists`` of a prefix is false): a folder that is
    not there lists nothing there, and raises FileNotFoundError on a disk.
    """
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}"
    for sub in sorted(folders):
        yield from _walk(storage, f"{folder}/{sub}")


def _batches(names: Iterator[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    for name in names:
        batch.append(name)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _named_blobs(names: list[str]) -> set[str]:
    """Return those of ``names`` that some row stores as its file or thumbnail."""
    rows = DataFile.objects.filter(Q(file__in=names) | Q(thumbnail__in=names))
    known: set[str] = set()
    for file_name, thumbnail_name in rows.values_list("file", "thumbnail"):
        known.update((file_name, thumbnail_name))
    return known


def _remove_orphans(
    found: Reconciliation, *, storage: Storage, grace: timedelta, dry_run: bool
) -> None:
    cutoff = timezone.now() - grace
    for names in _batches(_walk(storage, UPLOAD_ROOT)):
        found.blobs_seen += len(names)
        known = _named_blobs(names)
        for name in names:
            if name in known:
                continue
            if storage.get_modified_time(name) > cutoff:
                found.young_blobs_kept += 1
                continue
            found.orphan_blobs.append(name)
            if not dry_run:
                storage.delete(name)
                logger.warning("Removed stored file %s: no row names it.", name)


def _mark_missing(
    found: Reconciliation, *, storage: Storage, grace: timedelta, dry_run: bool
) -> None:
    # Rows younger than the grace period may still be writing their blob.
    settled = DataFile.objects.filter(uploaded_at__lte=timezone.now() - grace)
    fields = ("pk", "file", "thumbnail", "state", "original_name")
    for data_file in settled.only(*fields).iterator():
        if data_file.state != FileState.FAILED and not storage.exists(data_file.file.name):
            found.missing_files.append(data_file.pk)
            if not dry_run:
                _file_fail_missing(data_file=data_file)
        thumbnail = data_file.thumbnail.name
        if thumbnail and not storage.exists(thumbnail):
            found.missing_thumbnails.append(data_file.pk)
            if not dry_run:
                DataFile.objects.filter(pk=data_file.pk, thumbnail=thumbnail).update(thumbnail="")


@transaction.atomic
def _file_fail_missing(*, data_file: DataFile) -> None:
    failed = (
        DataFile.objects.filter(pk=data_file.pk)
        .exclude(state=FileState.FAILED)
        .update(
            state=FileState.FAILED,
            error=_(
                "The stored copy of this file is missing. Upload it again, or ask the operators."
            ),
            processed_at=timezone.now(),
        )
    )
    if failed:
        name = data_file.file.name
        audit_record(actor=None, action="file.missing", obj=data_file, detail={"name": name})
        logger.error("File %s is missing from storage (%s); marked failed.", data_file.pk, name)


def files_reconcile(*, grace: timedelta, dry_run: bool = False) -> Reconciliation:
    """Remove blobs no row names and fail rows whose blob is gone; return what was found.

    ``grace``: blobs and rows younger than this are left alone (uploads in flight).
    ``dry_run``: only report, change nothing.
    """
    found = Reconciliation()
    storage = default_storage
    _remove_orphans(found, storage=storage, grace=grace, dry_run=dry_run)
    _mark_missing(found, storage=storage, grace=grace, dry_run=dry_run)
    return found
