"""Celery tasks of datasets: thin, idempotent, taking ids and calling services.

The processing tasks live in ``datasets.processing.queue`` (services queue files through it);
they are named here so that Celery's autodiscovery registers them.
"""

from celery import shared_task

from datasets import services
from datasets.processing.queue import process_data_file, requeue_stuck_files

__all__ = ["expire_grants", "process_data_file", "requeue_stuck_files"]


@shared_task(name="datasets.expire_grants")
def expire_grants() -> int:
    """Clean up grants that expired (access already stops at expiry, on every request)."""
    return services.grants_expire()
