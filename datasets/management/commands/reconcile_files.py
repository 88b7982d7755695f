"""``manage.py reconcile_files``: remove stored files no row names, fail rows whose file is gone."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from datasets.reconcile import files_reconcile


class Command(BaseCommand):
    help = (
        "Remove stored files that no data file row names (older than the grace period) and "
        "mark failed the rows whose stored file is missing. --dry-run only lists them."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list, change nothing")
        parser.add_argument(
            "--grace-minutes",
            type=int,
            default=settings.RECONCILE_FILES_GRACE_MINUTES,
            help="leave files and rows younger than this alone (uploads in flight)",
        )

    def handle(self, *args, dry_run: bool, grace_minutes: int, **options) -> None:
        if grace_minutes < 0:
            raise CommandError("--grace-minutes must be 0 or more.")
        found = files_reconcile(grace=timedelta(minutes=grace_minutes), dry_run=dry_run)
        verb = "would remove" if dry_run else "removed"
        for name in found.orphan_blobs:
            self.stdout.write(f"{verb} {name} (no row)")
        for pk in found.missing_files:
            self.stdout.write(f"file {pk}: stored copy missing" + ("" if dry_run else ", failed"))
        self.stdout.write(
            f"{found.blobs_seen} stored file(s) seen; {len(found.orphan_blobs)} orphan(s) "
            f"{'to remove' if dry_run else 'removed'}, {found.young_blobs_kept} younger than "
            f"{grace_minutes} min kept; "
            f"{len(found.missing_files)} row(s) without their file"
            + ("" if dry_run else " marked failed")
            + f", {len(found.missing_thumbnails)} missing thumbnail(s)"
            + ("" if dry_run else " forgotten")
            + "."
        )
