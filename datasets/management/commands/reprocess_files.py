"""``manage.py reprocess_files``: run processing again for a file, a dataset or all failures."""

from django.core.management.base import BaseCommand, CommandError

from datasets.models import DataFile, FileState
from datasets.processing import pipeline, queue


class Command(BaseCommand):
    help = "Process files again: --file ID, --dataset ID or --failed. --now runs here, not queued."

    def add_arguments(self, parser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--file", type=int, help="one file id")
        which.add_argument("--dataset", type=int, help="every file of this dataset")
        which.add_argument("--failed", action="store_true", help="every failed file")
        parser.add_argument("--now", action="store_true", help="process in this process")

    def handle(self, *args, file=None, dataset=None, failed=False, now=False, **options) -> None:
        files = DataFile.objects.all()
        if file:
            files = files.filter(pk=file)
        elif dataset:
            files = files.filter(dataset_id=dataset)
        else:
            files = files.filter(state=FileState.FAILED)
        ids = list(files.values_list("pk", flat=True))
        if not ids:
            raise CommandError("No file matches.")
        DataFile.objects.filter(pk__in=ids).update(state=FileState.PENDING, error="", attempts=0)
        for file_id in ids:
            if now:
                self.stdout.write(f"file {file_id}: {pipeline.process(file_id)}")
            else:
                queue.enqueue(file_id)
        self.stdout.write(self.style.SUCCESS(f"{len(ids)} file(s) sent to processing."))
