"""Files that cannot be processed end failed with a reason, never stuck in processing."""

from datetime import timedelta

from django.utils import timezone

from datasets.models import DataFile
from datasets.processing import lease, pipeline
from datasets.tasks import requeue_stuck_files
from tests.factories import DataFileFactory


def test_a_file_missing_from_storage_fails_with_a_reason(db):
    data_file = DataFileFactory(state="pending")
    data_file.file.storage.delete(data_file.file.name)
    assert pipeline.process(data_file.pk) == "failed"
    data_file.refresh_from_db()
    assert data_file.error.startswith("The stored copy of this file is missing.")


def test_a_file_that_keeps_failing_to_finish_is_given_up_by_the_sweeper(db):
    long_ago = timezone.now() - timedelta(minutes=5)
    exhausted = DataFileFactory(
        state="processing",
        attempts=lease.MAX_ATTEMPTS,
        processing_started_at=long_ago,
        lease_expires_at=long_ago,
    )
    working = DataFileFactory(
        state="processing",
        attempts=lease.MAX_ATTEMPTS,
        processing_started_at=timezone.now(),
        lease_expires_at=timezone.now() + timedelta(minutes=1),
    )
    requeue_stuck_files()
    exhausted.refresh_from_db()
    assert (exhausted.state, exhausted.error) == (
        "failed",
        "Processing was tried 5 times without finishing. Upload the file again, or ask the "
        "operators.",
    )
    assert DataFile.objects.get(pk=working.pk).state == "processing"
