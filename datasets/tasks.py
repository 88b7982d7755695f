"""Celery tasks of datasets: thin, idempotent, taking ids and calling services."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from datasets import services
from datasets.processing import pipeline
from datasets.reconcile import files_reconcile

logger = logging.getLogger(__name__)


@shared_task(name="datasets.expire_grants")
def expire_grants() -> int:
    """Clean up grants that expired (access already stops at expiry, on every request)."""
    return services.grants_expire()


@shared_task(
    name="datasets.process_data_file",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=5,
    soft_time_limit=pipeline.SOFT_TIME_LIMIT,
    time_limit=pipeline.SOFT_TIME_LIMIT + 60,
)
def process_data_file(file_id: int) -> str:
    """Examine one uploaded file (type, checksum, thumbnail, text, table profile)."""
    return pipeline.process(file_id)


@shared_task(name="datasets.requeue_stuck_files")
def requeue_stuck_files() -> int:
    """Queue again the files left pending or processing (e.g. uploaded while Redis was down)."""
    given_up = pipeline.give_up_on_exhausted_files()
    if given_up:
        logger.warning("Marked %d file(s) failed after too many attempts.", given_up)
    ids = pipeline.stuck_files()
    for file_id in ids:
        pipeline.enqueue(file_id)
    if ids:
        logger.info("Re-queued %d stuck file(s).", len(ids))
    return len(ids)


@shared_task(name="datasets.reconcile_files")
def reconcile_files() -> dict[str, int]:
    """Remove stored files no row names and fail rows whose file is gone (datasets.reconcile)."""
    found = files_reconcile(grace=timedelta(minutes=settings.RECONCILE_FILES_GRACE_MINUTES))
    counts = {
        "orphans_removed": len(found.orphan_blobs),
        "rows_failed": len(found.missing_files),
        "thumbnails_forgotten": len(found.missing_thumbnails),
    }
    if any(counts.values()):
        logger.warning("Reconciled stored files: %s", counts)
    return counts
