"""Moving the stored files between the local disk and the S3 bucket (``manage.py move_files``).

The two stores are built from the standard settings, whatever ``FILE_STORAGE`` says now:
``MEDIA_ROOT`` for the disk, the ``AWS_*`` settings for the bucket. Every blob a row names
(a file, a thumbnail) is copied under the same name, streamed, and its SHA-256 read back
from the destination before it counts as moved; a file whose source does not match the
checksum recorded at upload is reported and left where it is. Run again, it copies nothing
that is already there with the right bytes: it is safe to repeat after an interruption.
The source copy is removed only with ``delete_source``, once verified. Each moved file gets
one audit event, ``file.move``.
"""

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage
from django.db import transaction
from storages.backends.s3 import S3Storage

from access.services import audit_record
from datasets.models import DataFile
from datasets.stored_files import StoredSource

logger = logging.getLogger(__name__)

STORES = ("local", "s3")
_CHUNK = 1024 * 1024


def store_named(kind: str) -> Storage:
    """Return the disk (``local``) or the bucket (``s3``) as the settings describe them."""
    if kind == "local":
        return FileSystemStorage(location=settings.MEDIA_ROOT)
    if kind == "s3":
        return S3Storage()
    raise ValueError(f"Unknown store {kind!r}; use one of {', '.join(STORES)}.")


@dataclass
class Moves:
    """What one run did: names copied, already in place, missing or refused; files audited."""

    copied: list[str] = field(default_factory=list)
    in_place: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)
    sources_removed: int = 0


def checksum(storage: Storage, name: str) -> str | None:
    """Return the SHA-256 of the stored ``name``, read in chunks; None if it is not there."""
    if not storage.exists(name):
        return None
    digest = hashlib.sha256()
    with StoredSource(storage, name).open() as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def copy_blob(source: Storage, target: Storage, name: str) -> None:
    """Copy ``name`` from ``source`` to ``target`` under the same name, streamed."""
    with StoredSource(source, name).open() as stream:
        saved = target.save(name, File(stream, name=name))
    if saved != name:  # the name was free: it was checked, or deleted, just before
        target.delete(saved)
        raise RuntimeError(f"{name} was stored as {saved}.")


def _move_one(name: str, expected: str, *, source: Storage, target: Storage) -> str:
    """Copy ``name`` unless the target holds it already; return what happened to it."""
    there = checksum(target, name)
    here = checksum(source, name)
    if here is None:
        return "in_place" if there is not None and there == (expected or there) else "missing"
    if expected and here != expected:
        return "mismatched"
    if there == here:
        return "in_place"
    if there is not None:
        target.delete(name)  # a partial or stale copy of an earlier run
    copy_blob(source, target, name)
    if checksum(target, name) != here:
        target.delete(name)
        return "mismatched"
    return "copied"


def _names(data_file: DataFile) -> Iterator[tuple[str, str]]:
    """The blobs of a row with the checksum each must have ('' when none is recorded)."""
    yield data_file.file.name, data_file.sha256
    if data_file.thumbnail.name:
        yield data_file.thumbnail.name, ""


def files_move(*, to: str, delete_source: bool = False, actor=None) -> Moves:
    """Copy every stored file and thumbnail to the ``to`` store (``local`` or ``s3``) from the
    other one, verifying checksums; with ``delete_source``, remove each verified source."""
    target = store_named(to)
    source = store_named(STORES[1 - STORES.index(to)])
    moves = Moves()
    rows = DataFile.objects.only("pk", "file", "thumbnail", "sha256", "original_name")
    for data_file in rows.order_by("pk").iterator():
        outcomes = []
        for name, expected in _names(data_file):
            outcome = _move_one(name, expected, source=source, target=target)
            getattr(moves, outcome).append(name)
            outcomes.append((name, outcome))
            if outcome in {"copied", "in_place"} and delete_source and source.exists(name):
                source.delete(name)
                moves.sources_removed += 1
            log = logger.info if outcome in {"copied", "in_place"} else logger.error
            log("File %s: %s %s (to %s).", data_file.pk, name, outcome, to)
        if any(outcome == "copied" for _name, outcome in outcomes):
            with transaction.atomic():
                audit_record(
                    actor=actor,
                    action="file.move",
                    obj=data_file,
                    detail={"to": to, "names": dict(outcomes), "source_removed": delete_source},
                )
    return moves
