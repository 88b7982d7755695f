"""Periodic tasks started twice (two beats, a slow run and the next tick) do their work once."""

import os
import threading

import pytest
import redis
from django.conf import settings
from django.db import connection

from datasets.models import DataFile
from datasets.tasks import expire_grants, reconcile_files, requeue_stuck_files
from neaspec_portal.celery import app as celery_app
from neaspec_portal.singleton import run_once
from neaspec_portal.tasks import forget_idempotency_keys
from tests.factories import DataFileFactory

pytestmark = pytest.mark.django_db(transaction=True)

#: Messages of this test run only, counted in the broker's Redis; no worker reads them.
QUEUE = f"single-run-tests-{os.getpid()}"


@pytest.fixture
def private_queue(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_default_queue", QUEUE)
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete(QUEUE)
    yield client
    client.delete(QUEUE)
    client.close()


def _pending_files(count: int) -> list[int]:
    """Files whose enqueue failed at upload: the sweeper's work."""
    ids = [DataFileFactory(state="pending").pk for _ in range(count)]
    DataFile.objects.filter(pk__in=ids).update(queued_at=None)
    return ids


def _in_thread(function, *args):
    """Run ``function`` on a thread of its own (its own database connection); return its result."""
    results: list = []

    def run():
        try:
            results.append(function(*args))
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    return results[0]


def test_a_sweep_while_another_holds_the_lock_does_nothing(private_queue):
    ids = _pending_files(3)
    with run_once("datasets.requeue_stuck_files") as acquired:
        assert acquired
        assert _in_thread(requeue_stuck_files) == 0
        assert private_queue.llen(QUEUE) == 0
        assert DataFile.objects.filter(pk__in=ids, queued_at__isnull=True).count() == 3
    # Released: the next sweep does the work.
    assert requeue_stuck_files() == 3
    assert private_queue.llen(QUEUE) == 3


def test_two_sweeps_at_once_queue_each_file_once(private_queue):
    ids = _pending_files(40)
    start = threading.Barrier(2)
    counts: list[int] = []

    def sweep():
        start.wait()
        try:
            counts.append(requeue_stuck_files())
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(counts) == len(ids), f"sweeps queued {counts}"
    assert private_queue.llen(QUEUE) == len(ids), "a file was queued twice"


@pytest.mark.parametrize(
    ("name", "task", "skipped"),
    [
        ("datasets.expire_grants", expire_grants, 0),
        ("datasets.reconcile_files", reconcile_files, {}),
        ("access.forget_idempotency_keys", forget_idempotency_keys, 0),
    ],
)
def test_every_other_housekeeping_task_skips_while_one_runs(name, task, skipped):
    with run_once(name):
        assert _in_thread(task) == skipped


def _acquires(name: str) -> bool:
    with run_once(name) as acquired:
        return acquired


def test_the_lock_is_released_when_its_holder_fails():
    with pytest.raises(RuntimeError), run_once("datasets.expire_grants"):
        assert not _in_thread(_acquires, "datasets.expire_grants")
        raise RuntimeError("the task failed")
    assert _in_thread(_acquires, "datasets.expire_grants")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
            "WHERE l.locktype = 'advisory' AND d.datname = current_database()"
        )
        assert cursor.fetchone()[0] == 0
