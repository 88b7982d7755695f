"""``manage.py move_files --to s3|local``: move the stored files between the disk and the bucket."""

from django.core.management.base import BaseCommand, CommandError

from datasets.file_moves import STORES, files_move


class Command(BaseCommand):
    help = (
        "Copy every stored file and thumbnail to the bucket (--to s3) or to MEDIA_ROOT "
        "(--to local) from the other store, verifying SHA-256 checksums; files already there "
        "are skipped, so it may be run again. --delete-source removes each verified original. "
        "Then set FILE_STORAGE to the new store and restart the web and worker processes."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--to", required=True, choices=STORES, help="the store to fill")
        parser.add_argument(
            "--delete-source",
            action="store_true",
            help="remove each file from the other store once its copy is verified",
        )

    def handle(self, *args, to: str, delete_source: bool, **options) -> None:
        moves = files_move(to=to, delete_source=delete_source)
        for name in moves.missing:
            self.stderr.write(f"missing from both stores: {name}")
        for name in moves.mismatched:
            self.stderr.write(f"checksum differs, not moved: {name}")
        self.stdout.write(
            f"{len(moves.copied)} copied to {to}, {len(moves.in_place)} already there, "
            f"{moves.sources_removed} source(s) removed, {len(moves.missing)} missing, "
            f"{len(moves.mismatched)} refused."
        )
        if moves.missing or moves.mismatched:
            raise CommandError("Some files were not moved; see above.")
