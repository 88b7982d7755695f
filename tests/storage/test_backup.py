"""``manage.py backup`` and ``manage.py restore``: a backup restored into a fresh database and
a fresh store holds every dataset, file checksum, grant and audit event."""

import hashlib
import io
import json
import subprocess
import sys
import tarfile
import uuid
from datetime import timedelta
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from datasets import services
from datasets.models import DataFile
from datasets.processing import pipeline
from tests.drills import harness
from tests.factories import DatasetFactory
from tests.processing import files

#: What must come back, table by table: the columns compared.
TABLES = {
    "datasets_dataset": "id, title, status, access_level",
    "datasets_datafile": "id, file, thumbnail, sha256, state",
    "datasets_accessgrant": "id, dataset_id, user_id, revoked_at",
    "access_auditevent": "id, action, object_type, object_id",
}


def _connect(name: str):
    db = connection.settings_dict
    return psycopg2.connect(
        dbname=name,
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )


def _rows(name: str) -> dict[str, list[tuple]]:
    with _connect(name) as db, db.cursor() as cursor:
        found = {}
        for table, columns in TABLES.items():
            cursor.execute(f"SELECT {columns} FROM {table} ORDER BY id")  # noqa: S608 - constants
            found[table] = cursor.fetchall()
    db.close()
    return found


@pytest.fixture
def fresh_database():
    """An empty database beside the test database, dropped at the end."""
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = _connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def holdings(transactional_db, media, researcher_a, researcher_b, focal_point_a):
    """Two files (a table and an image with its thumbnail), a grant, and their audit trail."""
    dataset = DatasetFactory(uploader=researcher_a, status="draft", access_level="restricted")
    for name, data in (("cranes.csv", harness.SMALL_CSV), ("camera.png", files.png())):
        upload = SimpleUploadedFile(name, data)
        data_file = services.data_file_add(actor=researcher_a, dataset=dataset, upload=upload)
        assert pipeline.process(data_file.pk) == "ready"
    dataset.status = "published"
    dataset.save()
    request = services.access_request_create(
        actor=researcher_b,
        dataset=dataset,
        purpose="Joint estimate",
        intended_use="",
        wanted_until=timezone.localdate() + timedelta(days=30),
    )
    services.access_request_grant(actor=focal_point_a, access_request=request)
    return dataset


def _restore(archive: Path, database: str, extra_env: dict[str, str], *flags: str):
    db = connection.settings_dict
    env = {
        **harness.service_env("redis://127.0.0.1:1/0", Path("/nonexistent"), 60, 30),
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{database}",
        **extra_env,
    }
    return subprocess.run(  # noqa: S603 - the hub's own manage.py
        [sys.executable, "manage.py", "restore", str(archive), *flags],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _backup(archive: Path, *flags: str) -> dict:
    call_command("backup", "--output", str(archive), *flags, stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile("manifest.json"))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_local_backup_restores_into_a_fresh_database_and_media(
    tmp_path, fresh_database, holdings
):
    archive = tmp_path / "backup.tar"
    before = _rows(connection.settings_dict["NAME"])
    manifest = _backup(archive)
    assert len(manifest["files"]) == 3 and all(entry["included"] for entry in manifest["files"])

    media = tmp_path / "restored-media"
    done = _restore(archive, fresh_database, {"MEDIA_ROOT": str(media)})
    assert done.returncode == 0, done.stderr
    after = _rows(fresh_database)
    assert after == before
    assert before["datasets_accessgrant"] and before["access_auditevent"]
    for _pk, name, thumbnail, sha256, _state in after["datasets_datafile"]:
        assert _sha(media / name) == sha256
        assert (media / thumbnail).read_bytes().startswith(b"\x89PNG") if thumbnail else True

    again = _restore(archive, fresh_database, {"MEDIA_ROOT": str(media)})
    assert again.returncode != 0
    assert "not empty" in again.stderr
    forced = _restore(archive, fresh_database, {"MEDIA_ROOT": str(media)}, "--force")
    assert forced.returncode == 0, forced.stderr
    assert _rows(fresh_database) == before


def test_a_backup_of_the_bucket_references_its_files_and_restores_into_a_new_bucket(
    bucket, s3_server, tmp_path, fresh_database, holdings
):
    archive = tmp_path / "backup.tar"
    before = _rows(connection.settings_dict["NAME"])
    manifest = _backup(archive)
    assert manifest["bucket"] == bucket
    assert not any(entry["included"] for entry in manifest["files"])

    new_bucket = s3_server.new_bucket()
    done = _restore(archive, fresh_database, s3_server.env(new_bucket))
    assert done.returncode == 0, done.stderr
    assert "3 file(s)" in done.stdout
    assert _rows(fresh_database) == before
    assert s3_server.keys(new_bucket) == {entry["name"] for entry in manifest["files"]}


def test_with_files_a_bucket_backup_holds_the_bytes(bucket, tmp_path, holdings):
    manifest = _backup(tmp_path / "backup.tar", "--with-files")
    assert all(entry["included"] for entry in manifest["files"])
    with tarfile.open(tmp_path / "backup.tar") as tar:
        for entry in manifest["files"]:
            data = tar.extractfile("blobs/" + entry["name"]).read()
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]


def test_a_backup_with_a_file_missing_fails_and_leaves_no_archive(tmp_path, holdings):
    default_storage.delete(DataFile.objects.order_by("pk").first().file.name)
    with pytest.raises(CommandError, match="missing from the store"):
        call_command("backup", "--output", str(tmp_path / "backup.tar"), stdout=io.StringIO())
    assert not (tmp_path / "backup.tar").exists()
