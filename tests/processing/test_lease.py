"""Leases, give-backs and the sweeper's choice, on the real database, one process.

Workers killed for real are in ``test_reliability.py`` and ``tests/drills``.
"""

import time
from datetime import timedelta
from pathlib import Path

import psycopg2
import psycopg2.errors
import pytest
import redis
from django.core.files.base import ContentFile
from django.utils import timezone

from datasets.models import DataFile, Occurrence
from datasets.processing import lease, pipeline
from tests.factories import DataFileFactory
from tests.processing import files

TABLE = (
    b"scientificName,eventDate,decimalLatitude,decimalLongitude\n"
    b"Grus vipio,2023-02-11,43.1234,131.5678\n"
    b"Platalea minor,2023-02-12,37.5,126.6\n"
)


@pytest.fixture
def media(settings, tmp_path):
    """Store this test's blobs under a directory of its own, to count them."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _blobs(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def _table_file(name="sightings.csv", data=TABLE) -> DataFile:
    data_file = DataFileFactory(original_name=name, state="pending")
    data_file.file.save(name, ContentFile(data))
    return data_file


def test_a_claimed_file_is_not_claimed_again_until_its_lease_lapses(db):
    data_file = DataFileFactory(state="pending")
    assert lease.claim(data_file.pk) == 1
    assert lease.claim(data_file.pk) is None
    DataFile.objects.filter(pk=data_file.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert lease.claim(data_file.pk) == 2
    # The first attempt lost the file: it may neither renew nor give it back.
    assert not lease.renew(data_file.pk, 1)
    lease.give_back(data_file.pk, 1)
    assert DataFile.objects.get(pk=data_file.pk).state == "processing"
    assert lease.renew(data_file.pk, 2)


def test_an_attempt_whose_lease_was_taken_over_commits_nothing(db, media):
    data_file = _table_file()
    assert lease.claim(data_file.pk) == 1
    # Another worker took the file over while this attempt was reading it.
    DataFile.objects.filter(pk=data_file.pk).update(attempts=2)
    with pytest.raises(pipeline.LeaseLost):
        pipeline._read_and_store(DataFile.objects.get(pk=data_file.pk), 1)
    assert not Occurrence.objects.filter(data_file=data_file).exists()
    assert DataFile.objects.get(pk=data_file.pk).state == "processing"


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_renews_the_lease_from_its_own_connection(settings):
    settings.FILE_LEASE_SECONDS = 3
    data_file = DataFileFactory(state="pending")
    attempt = lease.claim(data_file.pk)
    first = DataFile.objects.get(pk=data_file.pk).lease_expires_at
    with lease.Heartbeat(data_file.pk, attempt):
        time.sleep(2.5)  # two beats, a second apart
    renewed = DataFile.objects.get(pk=data_file.pk).lease_expires_at
    assert renewed - first >= timedelta(seconds=1.5)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "error",
    [
        psycopg2.OperationalError("server closed the connection unexpectedly"),
        psycopg2.InterfaceError("connection already closed"),
        psycopg2.errors.DeadlockDetected("deadlock detected"),
    ],
    ids=["dropped", "closed", "deadlock"],
)
def test_a_database_error_gives_the_file_back_instead_of_failing_it(media, monkeypatch, error):
    data_file = _table_file()

    def interrupted(writer):
        raise error

    monkeypatch.setattr(pipeline.OccurrenceWriter, "flush", interrupted)
    with pytest.raises(type(error)):
        pipeline.process(data_file.pk)
    data_file.refresh_from_db()
    assert (data_file.state, data_file.attempts, data_file.error) == ("pending", 1, "")
    assert (data_file.lease_expires_at, data_file.queued_at) == (None, None)
    assert not Occurrence.objects.filter(data_file=data_file).exists()

    monkeypatch.undo()
    assert pipeline.process(data_file.pk) == "ready"
    assert Occurrence.objects.filter(data_file=data_file).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_thumbnail_stored_before_a_deadlock_is_removed(media, monkeypatch):
    data_file = DataFileFactory(original_name="camera.png", state="pending")
    data_file.file.save("camera.png", ContentFile(files.png()))
    before = _blobs(media)

    def deadlocked(self, *args, **kwargs):
        raise psycopg2.errors.DeadlockDetected("deadlock detected")

    monkeypatch.setattr(DataFile, "save", deadlocked)
    with pytest.raises(psycopg2.errors.DeadlockDetected):
        pipeline.process(data_file.pk)
    assert _blobs(media) == before  # the thumbnail written before the error is gone
    monkeypatch.undo()

    assert pipeline.process(data_file.pk) == "ready"
    data_file.refresh_from_db()
    assert _blobs(media) == before | {data_file.thumbnail.name}


def test_a_bug_still_fails_the_file_with_the_hubs_message(db, media, monkeypatch):
    data_file = _table_file()

    def broken(writer):
        raise KeyError("a bug")

    monkeypatch.setattr(pipeline.OccurrenceWriter, "flush", broken)
    assert pipeline.process(data_file.pk) == "failed"
    data_file.refresh_from_db()
    assert data_file.error.startswith("The hub could not read this file because of an error")
    assert data_file.lease_expires_at is None


@pytest.fixture
def broker_kept_its_data(settings):
    """The broker's Redis has been seen by a sweep before (its marker is there)."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.set(lease.BROKER_EPOCH_KEY, "1")
    yield client
    client.close()


def test_the_sweeper_queues_only_files_no_message_carries(db, broker_kept_its_data):
    now = timezone.now()
    never_queued = DataFileFactory(state="pending", queued_at=None)
    waiting_its_turn = DataFileFactory(state="pending", queued_at=now - timedelta(hours=1))
    lapsed = DataFileFactory(
        state="processing",
        attempts=1,
        queued_at=now - timedelta(minutes=5),
        lease_expires_at=now - timedelta(seconds=5),
    )
    lapsed_and_queued_again = DataFileFactory(
        state="processing",
        attempts=1,
        queued_at=now - timedelta(seconds=1),
        lease_expires_at=now - timedelta(seconds=5),
    )
    working = DataFileFactory(
        state="processing", attempts=1, lease_expires_at=now + timedelta(seconds=30)
    )
    exhausted = DataFileFactory(state="pending", attempts=lease.MAX_ATTEMPTS)

    assert not lease.broker_lost_its_data()
    assert lease.files_to_queue(broker_lost=False) == [never_queued.pk, lapsed.pk]
    # Redis came back empty: the messages of the files waiting their turn are gone too.
    assert lease.files_to_queue(broker_lost=True) == [
        never_queued.pk,
        waiting_its_turn.pk,
        lapsed.pk,
        lapsed_and_queued_again.pk,
    ]
    assert working.pk not in lease.files_to_queue(broker_lost=True)
    assert lease.give_up_on_exhausted_files() == 1
    assert DataFile.objects.get(pk=exhausted.pk).state == "failed"


def test_the_sweeper_notices_a_broker_that_lost_its_data(db, broker_kept_its_data):
    assert not lease.broker_lost_its_data()
    broker_kept_its_data.delete(lease.BROKER_EPOCH_KEY)  # as a restart without persistence
    assert lease.broker_lost_its_data()
    assert not lease.broker_lost_its_data()


@pytest.mark.django_db(transaction=True)
def test_a_redelivered_message_takes_over_a_dead_holders_file_and_leaves_a_live_ones(settings):
    settings.FILE_LEASE_SECONDS = 3
    dead = DataFileFactory(state="pending")
    lease.claim(dead.pk)  # its holder never renews
    started = time.monotonic()
    assert lease.await_lapse(dead.pk)
    assert 1 < time.monotonic() - started < 5
    assert lease.claim(dead.pk) == 2

    alive = DataFileFactory(state="pending")
    attempt = lease.claim(alive.pk)
    with lease.Heartbeat(alive.pk, attempt):
        assert not lease.await_lapse(alive.pk)  # renewed within a third of the lease
    assert DataFile.objects.get(pk=alive.pk).attempts == 1
