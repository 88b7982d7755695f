"""A real worker process killed with SIGKILL in the middle of a file, and how the file recovers.

The killed worker's message stays unacknowledged in Redis, which hands it out again after the
broker's visibility timeout (restored at once here). The redelivered message finds the file
under the dead worker's lease, which nobody renews any more: it comes back when the lease
ends, claims the file and processes it, once, without waiting for the sweeper.
(``tests/drills`` kill workers and children with beat's sweeper running.)
"""

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from datasets import services
from datasets.models import DataFile, Occurrence
from datasets.processing import lease
from tests.drills import harness
from tests.factories import DatasetFactory

pytestmark = pytest.mark.django_db(transaction=True)

#: A queue of this test run only: workers of other runs on the same Redis never see it.
QUEUE = f"reliability-{os.getpid()}"
#: Enough rows for the file to be processing for a few seconds.
ROWS = 150_000
#: The workers' lease: short, so that the test waits seconds for a dead worker's to lapse.
LEASE_SECONDS = 6


def _start_worker(name: str, log: Path) -> subprocess.Popen:
    """Start ``celery worker`` on the test database and this run's queue."""
    environment = {
        **os.environ,
        # The code under test: the virtualenv's editable install may point at another checkout.
        "PYTHONPATH": str(settings.BASE_DIR),
        "DATABASE_URL": harness.database_url(),
        "REDIS_URL": settings.CELERY_BROKER_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DEBUG": "1",
        "FILE_LEASE_SECONDS": str(LEASE_SECONDS),
    }
    with log.open("ab") as output:
        return subprocess.Popen(
            harness.command(
                "celery",
                "-A",
                "neaspec_portal",
                "worker",
                "--pool",
                "solo",
                "-Q",
                QUEUE,
                "-n",
                f"{name}-{os.getpid()}@%h",
                "--without-mingle",
                "--without-gossip",
                "--loglevel",
                "INFO",
            ),
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _wait(condition, what: str, timeout: float = 30, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    tail = log.read_text()[-3000:] if log and log.exists() else ""
    raise AssertionError(f"waited {timeout} s for {what}\n{tail}")


def _our_unacked(client: redis.Redis) -> list[bytes]:
    """Return the delivery tags of this run's messages taken by a worker and not yet acked."""
    tags = []
    for tag, raw in client.hgetall("unacked").items():
        _message, _exchange, routing_key = json.loads(raw)
        if routing_key == QUEUE:
            tags.append(tag)
    return tags


def _queue_drained(client: redis.Redis) -> bool:
    return client.llen(QUEUE) == 0 and not _our_unacked(client)


@pytest.fixture
def broker(monkeypatch):
    """Send this test's tasks to its own queue; empty that queue before and after."""
    from neaspec_portal.celery import app

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    monkeypatch.setitem(app.conf, "task_default_queue", QUEUE)
    client.delete(QUEUE)
    yield client
    for tag in _our_unacked(client):
        client.hdel("unacked", tag)
        client.zrem("unacked_index", tag)
    client.delete(QUEUE)


def test_a_live_worker_renews_its_lease_well_before_it_lapses(settings):
    settings.FILE_LEASE_SECONDS = 60
    heartbeat = lease.Heartbeat(1, 1)
    assert heartbeat.interval == 20


def test_a_file_whose_worker_is_killed_is_processed_once_by_the_next(
    broker, researcher_a, tmp_path
):
    from neaspec_portal.celery import app

    log = tmp_path / "workers.log"
    dataset = DatasetFactory(uploader=researcher_a, status="draft")
    first = _start_worker("doomed", log)
    try:
        data_file = services.data_file_add(
            actor=researcher_a,
            dataset=dataset,
            upload=SimpleUploadedFile("occurrences.csv", harness.big_csv(ROWS)),
        )
        _wait(
            lambda: DataFile.objects.filter(pk=data_file.pk, state="processing").exists(),
            "the first worker to claim the file",
            log=log,
        )
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        _stop(first)

    data_file.refresh_from_db()
    assert (data_file.state, data_file.attempts) == ("processing", 1), (
        "the file was finished before the worker was killed: make ROWS bigger"
    )
    assert not Occurrence.objects.filter(data_file=data_file).exists()  # rolled back
    [tag] = _our_unacked(broker)  # the killed worker's message, waiting for redelivery

    second = _start_worker("heir", log)
    try:
        # Redis redelivers the message (here at once rather than after the visibility
        # timeout). The dead worker's lease still runs: the task waits for it to lapse, then
        # claims the file, with no sweeper involved.
        with app.connection_for_write() as broker_connection:
            broker_connection.default_channel.qos.restore_by_tag(tag)
        _wait(
            lambda: DataFile.objects.filter(pk=data_file.pk, state="ready").exists(),
            "the second worker to finish the file",
            timeout=LEASE_SECONDS + 60,
            log=log,
        )
        _wait(lambda: _queue_drained(broker), "the message to be acked", log=log)
    finally:
        _stop(second)

    data_file.refresh_from_db()
    assert (data_file.state, data_file.attempts, data_file.row_count) == ("ready", 2, ROWS)
    occurrences = Occurrence.objects.filter(data_file=data_file)
    assert occurrences.count() == ROWS
    assert occurrences.values("row").distinct().count() == ROWS
