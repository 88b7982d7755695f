"""``manage.py backup``: the database and the stored files in one consistent archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from datasets.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Write a backup archive (tar): a pg_dump of the database and a manifest of every "
        "stored file with its SHA-256, from one snapshot. Local files are copied into the "
        "archive; files in an S3 bucket are referenced, or copied with --with-files."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="the archive to write (default: neaspec-backup-<UTC time>.tar here)",
        )
        parser.add_argument(
            "--with-files",
            action="store_true",
            help="copy the files of an S3 bucket into the archive too",
        )

    def handle(self, *args, output: Path | None, with_files: bool, **options) -> None:
        path = output or Path(f"neaspec-backup-{timezone.now():%Y%m%dT%H%M%SZ}.tar")
        if path.exists():
            raise CommandError(f"{path} exists already; choose another --output.")
        try:
            manifest = backup_write(path=path, with_files=with_files)
        except BackupError as error:
            path.unlink(missing_ok=True)
            raise CommandError(str(error)) from None
        included = sum(entry["included"] for entry in manifest["files"])
        self.stdout.write(
            f"{path}: database and {len(manifest['files'])} file(s), {included} in the "
            f"archive, {len(manifest['files']) - included} referenced in the bucket."
        )
