"""Leases on files being processed: who holds a file, until when, and what the sweeper takes back.

A worker that claims a file holds it for ``FILE_LEASE_SECONDS`` and renews the lease from a
heartbeat thread every third of that while it works, so a live worker keeps its file however
long the file takes, and a dead worker's file is free again within ``FILE_LEASE_SECONDS``.
Each claim adds one to the file's ``attempts``; that number fences the claim: the heartbeat
renews, and the pipeline commits, only while the file is still held by the same attempt.

Times are the database's (``Now()``), so workers on machines with skewed clocks agree.
"""

import logging
import threading
import time
from datetime import timedelta

import redis
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils.translation import gettext as _

from datasets.models import DataFile, FileState

logger = logging.getLogger(__name__)

#: Claims of a file before the sweeper gives up on it (a claim is an attempt).
MAX_ATTEMPTS = 5
#: Kept in the broker's Redis: when it is missing, Redis has lost its data (a restart without
#: persistence, a flush) and with it the queued messages of pending files.
BROKER_EPOCH_KEY = "datasets:broker-epoch"
#: Most files re-queued by one sweep.
SWEEP_BATCH = 500


def lease_length() -> timedelta:
    return timedelta(seconds=settings.FILE_LEASE_SECONDS)


def _free() -> Q:
    """Files nobody holds: pending, or processing under a lease that has lapsed."""
    lapsed = Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=Now())
    return Q(state=FileState.PENDING) | (Q(state=FileState.PROCESSING) & lapsed)


def claim(file_id: int) -> int | None:
    """Take the file if nobody holds it; return the attempt that holds it, or None.

    The row is locked while it is read, so of two workers claiming at once the second sees
    the first's claim and gets nothing.
    """
    with transaction.atomic():
        attempts = (
            DataFile.objects.select_for_update()
            .filter(_free(), pk=file_id, attempts__lt=MAX_ATTEMPTS)
            .values_list("attempts", flat=True)
            .first()
        )
        if attempts is None:
            return None
        DataFile.objects.filter(pk=file_id).update(
            state=FileState.PROCESSING,
            processing_started_at=Now(),
            lease_expires_at=Now() + lease_length(),
            attempts=attempts + 1,
        )
    return attempts + 1


def held(file_id: int, attempt: int):
    """Return the queryset of the file while ``attempt`` still holds it."""
    return DataFile.objects.filter(pk=file_id, state=FileState.PROCESSING, attempts=attempt)


def renew(file_id: int, attempt: int) -> bool:
    """Extend the lease of ``attempt``; return False when the file is no longer its own."""
    return bool(held(file_id, attempt).update(lease_expires_at=Now() + lease_length()))


def give_back(file_id: int, attempt: int) -> None:
    """Return the file to pending after a failure that was not the file's own.

    The task that gave it back retries it with backoff; ``queued_at`` is cleared all the
    same, so that the sweeper queues the file if that retry cannot be sent (the broker down
    too) or gives up (its retries used up). A retry and a sweep both sent cost one message
    that finds the file taken.
    """
    held(file_id, attempt).update(state=FileState.PENDING, lease_expires_at=None, queued_at=None)


def await_lapse(file_id: int) -> bool:
    """Wait while the file's lease runs and nobody renews it; return whether to claim again.

    A message redelivered after a worker child died meets the dead child's lease. Waiting
    here (``FILE_LEASE_SECONDS`` at most) takes the file over as soon as the lease ends,
    where a retry with a countdown would queue behind every upload waiting its turn. A lease
    renewed meanwhile has a live holder (it renews every third of the lease): then the
    message is not needed, and False says so; should that holder die later, the sweeper
    queues the file once its lease lapses.
    """
    first = None
    deadline = time.monotonic() + settings.FILE_LEASE_SECONDS + 1
    while time.monotonic() < deadline:
        row = (
            DataFile.objects.filter(pk=file_id)
            .annotate(database_now=Now())
            .values_list("state", "lease_expires_at", "database_now")
            .first()
        )
        if row is None:
            return False
        state, expires, now = row
        left = (expires - now).total_seconds() if expires else 0.0
        if state != FileState.PROCESSING or left <= 0:
            return True
        if first is None:
            first = expires
        elif expires != first:
            return False
        time.sleep(min(left, 1.0))
    return True


class Heartbeat:
    """Renew a file's lease from a thread while the file is processed.

    The thread has its own database connection (Django's are per thread), opened at the
    first renewal and closed when the heartbeat stops, so a long COPY on the worker's
    connection never delays a renewal. Use as a context manager: it stops in ``__exit__``.
    """

    def __init__(self, file_id: int, attempt: int) -> None:
        self.file_id = file_id
        self.attempt = attempt
        self.interval = settings.FILE_LEASE_SECONDS / 3
        self.stopped = threading.Event()
        self.thread = threading.Thread(
            target=self._run, name=f"lease-{file_id}-{attempt}", daemon=True
        )

    def __enter__(self) -> "Heartbeat":
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopped.set()
        self.thread.join()

    def _run(self) -> None:
        try:
            while not self.stopped.wait(self.interval):
                try:
                    if not renew(self.file_id, self.attempt):
                        logger.warning(
                            "File %s is no longer held by attempt %s; the lease is not renewed.",
                            self.file_id,
                            self.attempt,
                        )
                        return
                except DatabaseError as error:
                    # The next beat tries again on a new connection; the lease may lapse.
                    logger.warning(
                        "Could not renew the lease of file %s (%s).", self.file_id, error
                    )
                    connection.close()
        finally:
            connection.close()


def broker_lost_its_data() -> bool:
    """Return whether the broker's Redis came back empty since the last sweep.

    The sweep leaves a key in the broker; a missing key means queued messages may be gone.
    The first sweep after a deployment also finds it missing and re-queues once.
    """
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=5)
    try:
        return bool(client.set(BROKER_EPOCH_KEY, "1", nx=True))
    finally:
        client.close()


def files_to_queue(*, broker_lost: bool) -> list[int]:
    """Return the ids of files no live worker holds and no message is known to carry.

    Those are the pending files whose enqueue failed (``queued_at`` null), the files whose
    lease lapsed and that were not queued again since, and, when the broker lost its data,
    every pending file. A file queued normally and waiting its turn is left alone.
    """
    waiting = DataFile.objects.filter(_free(), attempts__lt=MAX_ATTEMPTS)
    if not broker_lost:
        waiting = waiting.filter(
            Q(queued_at__isnull=True)
            | Q(state=FileState.PROCESSING, queued_at__lt=F("lease_expires_at"))
        )
    return list(waiting.order_by("pk").values_list("pk", flat=True)[:SWEEP_BATCH])


def give_up_on_exhausted_files() -> int:
    """Mark failed the free files already claimed ``MAX_ATTEMPTS`` times; return how many."""
    return DataFile.objects.filter(_free(), attempts__gte=MAX_ATTEMPTS).update(
        state=FileState.FAILED,
        lease_expires_at=None,
        error=_(
            "Processing was tried %(times)d times without finishing. Upload the file "
            "again, or ask the operators."
        )
        % {"times": MAX_ATTEMPTS},
        processed_at=Now(),
    )
