"""Periodic housekeeping tasks that belong to no single request: thin, taking no input."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings

from datasets.reconcile import files_reconcile
from neaspec_portal.idempotency import idempotency_keys_forget

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


@shared_task(name="access.forget_idempotency_keys")
def forget_idempotency_keys() -> int:
    """Delete the kept answers of Idempotency-Key requests once retries are over (24 h)."""
    return idempotency_keys_forget()
