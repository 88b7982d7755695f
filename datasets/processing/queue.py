"""Handing files to the worker: the processing task, enqueueing, and the sweeper.

Kept apart from ``datasets.tasks`` so that services can queue files without importing the
module that imports them (services -> queue -> pipeline, never back).
"""

import logging

from celery import shared_task
from django.db import DatabaseError, transaction
from django.db.models.functions import Now

from datasets.models import DataFile, FileState
from datasets.processing import lease, pipeline
from neaspec_portal.singleton import single_run

logger = logging.getLogger(__name__)


@shared_task(
    name="datasets.process_data_file",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=pipeline.TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=5,
    soft_time_limit=pipeline.SOFT_TIME_LIMIT,
    time_limit=pipeline.SOFT_TIME_LIMIT + 60,
)
def process_data_file(file_id: int) -> str:
    """Examine one uploaded file (type, checksum, thumbnail, text, table profile).

    A message that finds the file under a lease nobody renews (redelivered after a worker
    child died) waits for the lease to lapse and takes the file over, rather than being
    dropped or sent to the back of the queue (``lease.await_lapse``).
    """
    state = pipeline.process(file_id)
    if state == FileState.PROCESSING and lease.await_lapse(file_id):
        state = pipeline.process(file_id)
    return state


def enqueue(file_id: int) -> None:
    """Queue processing; if the broker is down, leave the file pending for the sweeper.

    ``queued_at`` is set only once the broker took the message, so the sweeper knows which
    pending files no message carries.
    """
    try:
        process_data_file.delay(file_id)
    except Exception as error:  # noqa: BLE001 - whatever the broker does, keep the upload
        logger.warning("Could not queue file %s (%s); the sweeper will retry.", file_id, error)
        return
    try:
        DataFile.objects.filter(pk=file_id).update(queued_at=Now())
    except DatabaseError as error:
        # The upload has committed and its message is sent: at worst the sweeper sends one more.
        logger.warning("Could not record that file %s was queued (%s).", file_id, error)


def enqueue_on_commit(file_id: int) -> None:
    """Queue processing of the file once the upload's transaction has committed."""
    transaction.on_commit(lambda: enqueue(file_id))


@shared_task(name="datasets.requeue_stuck_files")
@single_run("datasets.requeue_stuck_files", skipped=0)
def requeue_stuck_files() -> int:
    """Queue again the files no worker holds and no message carries; give up on exhausted ones.

    Run by beat every ``FILE_SWEEP_SECONDS``; a second sweep while one runs does nothing
    (``neaspec_portal.singleton``), so that no file is queued twice by two sweeps.
    """
    given_up = lease.give_up_on_exhausted_files()
    if given_up:
        logger.warning("Marked %d file(s) failed after too many attempts.", given_up)
    broker_lost = lease.broker_lost_its_data()
    ids = lease.files_to_queue(broker_lost=broker_lost)
    for file_id in ids:
        enqueue(file_id)
    if ids:
        logger.info(
            "Re-queued %d file(s)%s.",
            len(ids),
            " (the broker had lost its messages)" if broker_lost else "",
        )
    return len(ids)
