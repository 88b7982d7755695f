"""A real worker process killed with SIGKILL in the middle of a file, and how the file recovers.

The recovery path: the killed worker's message stays unacknowledged in Redis, which hands it
out again only after the broker's visibility timeout (an hour by default). Until the file has
been processing for longer than ``pipeline.STUCK_AFTER``, a redelivered message finds the file
claimed and changes nothing; after that, the sweeper (``requeue_stuck_files``, run by beat
every five minutes) queues the file again and the next worker claims and processes it, once.
"""

import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from datasets import services, tasks
from datasets.models import DataFile, Occurrence
from datasets.processing import pipeline
from tests.factories import DatasetFactory

pytestmark = pytest.mark.django_db(transaction=True)

#: A queue of this test run only: workers of other runs on the same Redis never see it.
QUEUE = f"reliability-{os.getpid()}"
#: Enough rows for the file to be processing for a few seconds.
ROWS = 150_000
CELERY = Path(sys.executable).with_name("celery")


def _big_table() -> bytes:
    randomness = random.Random(7)
    names = ["Panthera tigris altaica", "Grus vipio", "Platalea minor", "Felis catus"]
    lines = ["scientificName,eventDate,decimalLatitude,decimalLongitude,individualCount"]
    lines.extend(
        f"{randomness.choice(names)},20{randomness.randint(10, 24)}-0{randomness.randint(1, 9)}-1"
        f"{randomness.randint(0, 9)},{randomness.uniform(40, 52):.5f},"
        f"{randomness.uniform(100, 135):.5f},{randomness.randint(1, 9)}"
        for _ in range(ROWS)
    )
    return ("\n".join(lines) + "\n").encode()


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return (
        f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def _start_worker(name: str, log: Path) -> subprocess.Popen:
    """Start ``celery worker`` on the test database and this run's queue."""
    environment = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.CELERY_BROKER_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DEBUG": "1",
    }
    with log.open("ab") as output:
        return subprocess.Popen(
            [
                str(CELERY),
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
            ],
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


def test_the_stuck_timeout_outlasts_the_task_time_limit():
    # Otherwise the sweeper would hand a file that a live worker is still processing to a
    # second worker.
    assert pipeline.STUCK_AFTER.total_seconds() > tasks.process_data_file.time_limit


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
            upload=SimpleUploadedFile("occurrences.csv", _big_table()),
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
        # timeout): the file is claimed by a worker that might still be alive, so it is left.
        with app.connection_for_write() as broker_connection:
            broker_connection.default_channel.qos.restore_by_tag(tag)
        _wait(lambda: _queue_drained(broker), "the redelivered message to be taken", log=log)
        data_file.refresh_from_db()
        assert (data_file.state, data_file.attempts) == ("processing", 1)

        # Past STUCK_AFTER, the sweeper queues the file again and the new worker takes it.
        DataFile.objects.filter(pk=data_file.pk).update(
            processing_started_at=timezone.now() - pipeline.STUCK_AFTER - timedelta(minutes=1)
        )
        assert tasks.requeue_stuck_files() == 1
        _wait(
            lambda: DataFile.objects.filter(pk=data_file.pk, state="ready").exists(),
            "the second worker to finish the file",
            timeout=60,
            log=log,
        )
        _wait(lambda: _queue_drained(broker), "the sweeper's message to be acked", log=log)
        assert tasks.requeue_stuck_files() == 0
    finally:
        _stop(second)

    data_file.refresh_from_db()
    assert (data_file.state, data_file.attempts, data_file.row_count) == ("ready", 2, ROWS)
    occurrences = Occurrence.objects.filter(data_file=data_file)
    assert occurrences.count() == ROWS
    assert occurrences.values("row").distinct().count() == ROWS
