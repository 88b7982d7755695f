"""``manage.py register_dois``: give a DOI to every published dataset version without one."""

from django.core.management.base import BaseCommand, CommandError

from datasets.doi import datacite_configured, doi_request_missing, retry_doi_registrations


class Command(BaseCommand):
    help = (
        "Register with DataCite the DOIs of published dataset versions that have none (for "
        "example, published before DATACITE_* was configured), and retry the pending ones. "
        "--dry-run only lists the versions without a DOI."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list, change nothing")

    def handle(self, *args, dry_run: bool, **options) -> None:
        if not datacite_configured() and not dry_run:
            raise CommandError(
                "No DataCite account: set DATACITE_PREFIX, DATACITE_USER, DATACITE_PASSWORD "
                "and DATACITE_URL first."
            )
        missing = doi_request_missing(dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"{len(missing)} published version(s) without a DOI: {missing}")
            return
        registered = retry_doi_registrations()
        self.stdout.write(
            f"{len(missing)} version(s) newly asked for; {registered} DOI(s) registered now; "
            "the rest stay pending for the retry task."
        )
