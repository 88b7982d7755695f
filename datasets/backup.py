"""Backups that restore (``manage.py backup`` and ``manage.py restore``).

An archive is one tar file:

- ``database.dump``: ``pg_dump --format=custom`` of the configured database;
- ``blobs/<name>``: the stored files and thumbnails, when they are copied (always with local
  storage; with S3 only with ``--with-files``, otherwise they are referenced in the bucket);
- ``manifest.json``, last: the format, the time, the store, and every blob the dumped rows
  name with its size and SHA-256, and whether the archive holds it.

Consistency: the dump and the manifest come from one snapshot. The backup opens a
REPEATABLE READ transaction, exports its snapshot (``pg_export_snapshot``), runs
``pg_dump --snapshot`` on it and lists the files from the same transaction, so every row in
the dump has its blob in the manifest and no other. Blobs are never overwritten (names are
generated), so a blob read after the snapshot holds the bytes its row was dumped with; one
deleted in the meantime is reported and the backup fails rather than write a gap.

A restore needs an empty database and an empty store (``--force`` overrides, and
``pg_restore --clean`` then replaces what the database holds). It checks the dump's checksum,
restores it in one transaction, then brings every blob into the configured store from the
archive or from the referenced bucket, and reads each back to verify its SHA-256.
"""

import hashlib
import io
import json
import logging
import os
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connection, transaction
from django.utils import timezone
from storages.backends.s3 import S3Storage

from datasets.file_moves import checksum, copy_blob
from datasets.models import DataFile
from datasets.reconcile import UPLOAD_ROOT
from datasets.stored_files import StoredSource, is_remote

logger = logging.getLogger(__name__)

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
BLOBS = "blobs/"
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup or the restore cannot go on; the message says why."""


def _pg(program: str, *arguments: str) -> None:
    """Run ``pg_dump`` or ``pg_restore`` on the configured database; raise BackupError."""
    db = connection.settings_dict
    command = [program, "--no-owner", "--no-privileges", *arguments]
    command += ["--host", db["HOST"] or "127.0.0.1", "--port", str(db["PORT"] or 5432)]
    command += ["--username", db["USER"] or "postgres", "--dbname", db["NAME"]]
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{program} failed: {done.stderr.strip()[-2000:]}")


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _Hashing(io.RawIOBase):
    """Pass the bytes of ``stream`` on, adding them to ``digest``."""

    def __init__(self, stream: IO[bytes], digest: Any) -> None:
        self.stream, self.digest = stream, digest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.stream.read(len(buffer))
        self.digest.update(data)
        buffer[: len(data)] = data
        return len(data)


def _snapshot_dump(dump: Path) -> list[tuple[str, str]]:
    """Dump the database and list its blobs (name, recorded SHA-256), from one snapshot."""
    with transaction.atomic(durable=True), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _pg("pg_dump", "--format=custom", f"--snapshot={snapshot}", "--file", str(dump))
        blobs = []
        rows = DataFile.objects.order_by("pk").values_list("file", "thumbnail", "sha256")
        for name, thumbnail, sha256 in rows.iterator():
            blobs.append((name, sha256))
            if thumbnail:
                blobs.append((thumbnail, ""))
    return blobs


def _add_blob(archive: tarfile.TarFile, storage: Storage, name: str) -> dict:
    source = StoredSource(storage, name)
    info = tarfile.TarInfo(BLOBS + name)
    info.size, info.mtime = source.size, int(timezone.now().timestamp())
    digest = hashlib.sha256()
    with source.open() as stream:
        archive.addfile(info, io.BufferedReader(_Hashing(stream, digest)))
    return {"name": name, "size": info.size, "sha256": digest.hexdigest(), "included": True}


def _reference_blob(storage: Storage, name: str, recorded: str) -> dict:
    sha256 = recorded or checksum(storage, name)  # thumbnails: small, read to hash
    return {"name": name, "size": storage.size(name), "sha256": sha256, "included": False}


def backup_write(*, path: Path, with_files: bool = False) -> dict:
    """Write a backup archive at ``path``; return its manifest.

    With local storage the files are always copied into the archive; with S3 they are
    referenced in the bucket unless ``with_files``.
    """
    storage = default_storage
    include = with_files or not is_remote(storage)
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DUMP
        blobs = _snapshot_dump(dump)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": {"name": connection.settings_dict["NAME"], "sha256": _sha256_file(dump)},
            "storage": "s3" if is_remote(storage) else "local",
            "bucket": getattr(storage, "bucket_name", None),
            "files": [],
        }
        with tarfile.open(path, "w") as archive:
            archive.add(dump, DUMP)
            for name, recorded in blobs:
                if not storage.exists(name):
                    raise BackupError(f"{name} is named by a row but missing from the store.")
                entry = (
                    _add_blob(archive, storage, name)
                    if include
                    else _reference_blob(storage, name, recorded)
                )
                if recorded and entry["sha256"] != recorded:
                    raise BackupError(f"{name} does not match the checksum taken at upload.")
                manifest["files"].append(entry)
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
    logger.info("Backup %s written: %d file(s).", path, len(manifest["files"]))
    return manifest


@dataclass
class Restored:
    """What a restore brought back."""

    files: list[str] = field(default_factory=list)
    verified_in_place: list[str] = field(default_factory=list)


def _database_empty() -> bool:
    return not connection.introspection.table_names()


def _store_empty(storage: Storage) -> bool:
    try:
        folders, files = storage.listdir(UPLOAD_ROOT)
    except FileNotFoundError:
        return True
    return not folders and not files


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.extractfile(MANIFEST)
    except KeyError:
        raise BackupError("The archive has no manifest: it is not a backup of the hub.") from None
    manifest = json.load(member) if member else {}
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def _restore_database(archive: tarfile.TarFile, manifest: dict, *, force: bool) -> None:
    with tempfile.TemporaryDirectory() as work:
        archive.extract(DUMP, work, filter="data")
        dump = Path(work) / DUMP
        if _sha256_file(dump) != manifest["database"]["sha256"]:
            raise BackupError("The database dump does not match its checksum.")
        clean = ["--clean", "--if-exists"] if force else []
        connection.close()
        _pg("pg_restore", "--single-transaction", "--exit-on-error", *clean, str(dump))


def _referenced_store(manifest: dict) -> Storage:
    return S3Storage(bucket_name=manifest["bucket"])


def _restore_blob(entry: dict, archive: tarfile.TarFile, target: Storage, origin) -> bool:
    """Bring one blob into ``target``; return whether it was copied (not already there)."""
    name = entry["name"]
    if not entry["included"] and origin is None:
        copied = False  # the referenced bucket is the store: check it in place
    elif entry["included"]:
        member = archive.extractfile(BLOBS + name)
        if member is None:
            raise BackupError(f"{name} is missing from the archive.")
        if target.exists(name):
            target.delete(name)
        saved = target.save(name, File(member, name=name))
        if saved != name:
            raise BackupError(f"{name} was stored as {saved}.")
        copied = True
    else:
        copy_blob(origin, target, name)
        copied = True
    if checksum(target, name) != entry["sha256"]:
        raise BackupError(f"{name} does not match its checksum after the restore.")
    return copied


def backup_restore(*, path: Path, force: bool = False) -> Restored:
    """Restore the archive at ``path`` into the configured database and store."""
    target = default_storage
    if not force and not _database_empty():
        raise BackupError("The database is not empty; restore into an empty one, or --force.")
    if not force and not _store_empty(target):
        raise BackupError("The file store is not empty; restore into an empty one, or --force.")
    restored = Restored()
    with tarfile.open(path, "r") as archive:
        manifest = _read_manifest(archive)
        _restore_database(archive, manifest, force=force)
        referenced = any(not entry["included"] for entry in manifest["files"])
        same_bucket = getattr(target, "bucket_name", None) == manifest.get("bucket")
        origin = _referenced_store(manifest) if referenced and not same_bucket else None
        for entry in manifest["files"]:
            copied = _restore_blob(entry, archive, target, origin)
            (restored.files if copied else restored.verified_in_place).append(entry["name"])
    logger.info("Restored %s: %d file(s).", path, len(manifest["files"]))
    return restored
