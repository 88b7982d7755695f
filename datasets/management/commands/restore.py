"""``manage.py restore <archive>``: bring a backup back into an empty database and store."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from datasets.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup archive of manage.py backup into the configured database and file "
        "store, verifying every checksum. Both must be empty unless --force, which replaces "
        "what the database holds."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="restore over a database or store in use"
        )

    def handle(self, *args, archive: Path, force: bool, **options) -> None:
        if not archive.is_file():
            raise CommandError(f"{archive} is not a file.")
        try:
            restored = backup_restore(path=archive, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored the database and {len(restored.files)} file(s); "
            f"{len(restored.verified_in_place)} verified in place in the bucket."
        )
