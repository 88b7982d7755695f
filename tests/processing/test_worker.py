"""The pipeline end to end with a real Celery worker on the real Redis."""

import logging
import os
import socket
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from datasets import services, tasks
from datasets.models import DataFile
from datasets.processing import pipeline
from tests.factories import DatasetFactory
from tests.processing import files

pytestmark = pytest.mark.django_db(transaction=True)


#: A queue of this test run only: workers of other runs on the same Redis never see it.
QUEUE = f"worker-tests-{os.getpid()}"


@pytest.fixture(scope="module")
def worker():
    from celery.contrib.testing.worker import start_worker

    from neaspec_portal.celery import app

    app.conf["task_default_queue"] = QUEUE
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, loglevel="WARNING", queues=[QUEUE]
        ) as running:
            yield running
    finally:
        app.conf["task_default_queue"] = "celery"


def _wait_for(file_id: int, timeout: float = 30) -> DataFile:
    """Return the file once processed and the worker idle again.

    The task goes on after the file's state is final (it reindexes the dataset): a test
    that ended then would empty the database under the worker's feet (a deadlock).
    """
    from celery.worker import state as worker_state

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        data_file = DataFile.objects.get(pk=file_id)
        if data_file.state in ("ready", "failed") and not worker_state.active_requests:
            return data_file
        time.sleep(0.2)
    raise AssertionError(f"file {file_id} still {data_file.state} after {timeout} s")


def _upload(researcher, name, data):
    dataset = DatasetFactory(uploader=researcher, status="draft")
    return services.data_file_add(
        actor=researcher, dataset=dataset, upload=SimpleUploadedFile(name, data)
    )


def test_an_upload_is_processed_by_the_worker(worker, researcher_a):
    pdf = _wait_for(_upload(researcher_a, "report.pdf", files.pdf()).pk)
    assert pdf.state == "ready"
    assert "Amur tiger corridors" in pdf.extracted_text
    assert pdf.thumbnail.name.endswith(".png")

    table = _wait_for(_upload(researcher_a, "occurrences.csv", files.DWC_CSV).pk)
    assert (table.state, table.row_count, table.species_counts["WN_CRANE"]) == ("ready", 3, 12)


def test_a_hostile_file_fails_and_the_worker_goes_on(worker, researcher_a):
    bomb = _wait_for(_upload(researcher_a, "bomb.zip", files.zip_bomb()).pk)
    assert bomb.state == "failed"
    assert "zip bomb" in bomb.error
    after = _wait_for(_upload(researcher_a, "camera.png", files.png()).pk)
    assert after.state == "ready"


def test_running_twice_changes_nothing(worker, researcher_a):
    data_file = _wait_for(_upload(researcher_a, "report.pdf", files.pdf()).pk)
    processed_at = data_file.processed_at
    assert pipeline.process(data_file.pk) == "ready"
    data_file.refresh_from_db()
    assert data_file.processed_at == processed_at
    assert data_file.attempts == 1


def _closed_port() -> int:
    """Return a local port nothing listens on (the kernel just handed it out and took it back)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_file_uploaded_while_redis_is_down_is_picked_up_by_the_sweeper(
    worker, researcher_a, monkeypatch, caplog
):
    from neaspec_portal.celery import app

    # Redis is unreachable at upload time: tasks are sent to a real closed port.
    monkeypatch.setitem(app.conf, "broker_write_url", f"redis://127.0.0.1:{_closed_port()}/15")
    monkeypatch.setattr(app, "_pool", None)  # connections are pooled: start new ones
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    with caplog.at_level(logging.WARNING, logger="datasets.processing.pipeline"):
        data_file = _upload(researcher_a, "report.pdf", files.pdf())  # the upload succeeds
    assert "the sweeper will retry" in caplog.text
    assert "Connection refused" in caplog.text
    assert DataFile.objects.get(pk=data_file.pk).state == "pending"

    # Redis is back: the first sweep queues the file no message carries, and only that once.
    monkeypatch.undo()
    assert tasks.requeue_stuck_files() == 1
    assert tasks.requeue_stuck_files() == 0
    data_file = _wait_for(data_file.pk)
    assert (data_file.state, data_file.attempts) == ("ready", 1)
