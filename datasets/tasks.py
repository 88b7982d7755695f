"""Celery tasks of datasets: thin, idempotent, taking ids and calling services.

The processing tasks live in ``datasets.processing.queue`` (services queue files through it)
and the DOI registration's in ``datasets.doi``; they are named here so that Celery's
autodiscovery registers them.
"""

import logging
from datetime import timedelta
from typing import cast

from celery import shared_task
from django.conf import settings

from datasets import access_services, services
from datasets.doi import register_doi, retry_doi_registrations
from datasets.processing.queue import process_data_file, requeue_stuck_files
from datasets.reconcile import files_reconcile
from neaspec_portal.singleton import single_run

__all__ = [
    "expire_grants",
    "notify_expiring_grants",
    "process_data_file",
    "reconcile_files",
    "register_doi",
    "requeue_stuck_files",
    "retry_doi_registrations",
]

logger = logging.getLogger(__name__)


@shared_task(name="datasets.expire_grants")
@single_run("datasets.expire_grants", skipped=0)
def expire_grants() -> int:
    """Clean up grants that expired (access already stops at expiry, on every request)."""
    return services.grants_expire()


@shared_task(name="datasets.notify_expiring_grants")
def notify_expiring_grants() -> int:
    """Tell holders of grants ending within 14 days, once per grant; return how many."""
    return sum(
        access_services.grant_expiry_notify(grant_id=grant_id)
        for grant_id in access_services.grants_expiring_soon()
    )


@shared_task(name="datasets.reconcile_files")
@single_run("datasets.reconcile_files", skipped=cast(dict[str, int], {}))
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
