"""Periodic housekeeping tasks that belong to no single request: thin, taking no input."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings

from datasets.reconcile import files_reconcile

logger = logging.getLogger(__name__)


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
