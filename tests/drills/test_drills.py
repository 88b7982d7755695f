"""Drills: parts of the hub fail for real while files are processed, and every file recovers.

Each drill runs a private redis-server, a real ``celery worker`` (prefork pool) and a real
``celery beat`` on pytest's test database, breaks one thing (a pool child or the whole worker
killed with SIGKILL mid-file, the worker's database connection terminated mid-COPY, Redis
stopped during uploads, fifty clients uploading through gunicorn while a child is killed), and
asserts that every file ends ``ready``, with no duplicate point and no blob without a row (or
row without a blob), within the bound the settings promise:

- a killed worker or child: its file is claimed again within FILE_LEASE_SECONDS plus
  FILE_SWEEP_SECONDS (plus DRILL_SLACK for a loaded machine);
- Redis back after an outage: every file uploaded meanwhile is final within 60 s.

The run prints a table of the outcomes (see ``conftest.py`` for the scale variables).
"""

import random
import threading
import time

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from rest_framework.test import APIClient

from accounts.tokens import api_token_create
from datasets.models import DataFile
from tests.drills import harness
from tests.drills.conftest import (
    CLIENTS,
    FILES,
    LEASE,
    ROWS,
    SECONDS,
    SLACK,
    SWEEP,
    record,
)
from tests.factories import DatasetFactory

pytestmark = [pytest.mark.drill, pytest.mark.django_db(transaction=True)]

#: A file waiting for a worker to start may take this long on a loaded machine.
START = 90 + SLACK
#: Every file uploaded while Redis was down is final this long after it returns.
REDIS_BOUND = 60.0


def _conclude(drill, name: str, ids: list[int], recovery: float, bound: float, errors: int = 0):
    outcome = record(
        harness.account(
            harness.Outcome(name, len(ids), recovery=recovery, bound=bound, errors=errors),
            ids,
            drill.media,
        )
    )
    assert outcome.states == {"ready": len(ids)}, outcome
    assert (outcome.duplicates, outcome.orphans) == (0, 0), harness.orphans(drill.media)
    assert recovery <= bound, outcome
    return outcome


def _processing_time_allowed(drill, ids) -> float:
    """Time to wait for the files once the failure is over: generous, failures say why."""
    return START + 10 * len(ids) + ROWS / 5000


def test_a_worker_child_killed_mid_file(drill, researcher_a, big_table):
    drill.start_worker()
    drill.start_beat()
    ids = drill.upload(researcher_a, big_table)
    drill.wait_claimed(ids[0], 1, START)
    killed = time.monotonic()
    drill.kill_pool_child()
    # The worker requeues the message at once; it waits for the dead child's lease to lapse.
    bound = LEASE + SWEEP + SLACK
    recovery = drill.wait_claimed(ids[0], 2, bound + START) - killed
    drill.wait_final(ids, _processing_time_allowed(drill, ids))
    _conclude(drill, "worker child SIGKILL", ids, recovery, bound)


def test_a_whole_worker_killed_mid_file(drill, researcher_a, big_table):
    drill.start_worker("doomed")
    drill.start_beat()
    ids = drill.upload(researcher_a, big_table)
    drill.wait_claimed(ids[0], 1, START)
    killed = time.monotonic()
    drill.worker.kill()  # the main process and its pool child, with SIGKILL
    drill.start_worker("heir")
    # The message stays unacked in Redis for an hour; the sweeper takes the file back.
    bound = LEASE + SWEEP + SLACK
    recovery = drill.wait_claimed(ids[0], 2, bound + START) - killed
    drill.wait_final(ids, _processing_time_allowed(drill, ids))
    _conclude(drill, "whole worker SIGKILL", ids, recovery, bound)


def _terminate_copy() -> int:
    """Terminate a backend running a COPY into the points table; return how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND state = 'active' AND query LIKE 'COPY %%'"
        )
        return cursor.fetchone()[0]


def test_the_workers_connection_dropped_mid_copy(drill, researcher_a, big_table):
    drill.start_worker()
    drill.start_beat()
    ids = drill.upload(researcher_a, big_table)
    drill.wait_claimed(ids[0], 1, START)
    harness.wait_for(_terminate_copy, "a COPY to terminate", START, drill.logs, every=0.01)
    dropped = time.monotonic()
    # The file is given back and the task retries with backoff (5 s at most the first time);
    # the sweeper queues it too should that retry fail.
    bound = SWEEP + 5 + SLACK
    recovery = drill.wait_claimed(ids[0], 2, bound + START) - dropped
    drill.wait_final(ids, _processing_time_allowed(drill, ids))
    _conclude(drill, "DB connection dropped mid-COPY", ids, recovery, bound)


def test_uploads_while_redis_is_down_are_processed_once_it_returns(drill, researcher_a):
    drill.start_worker()
    drill.start_beat()
    dataset = DatasetFactory(uploader=researcher_a, status="draft")
    client = APIClient()
    client.force_authenticate(researcher_a)
    drill.redis.stop()
    ids = []
    for index in range(max(FILES, 2)):
        response = client.post(
            f"/api/v1/datasets/{dataset.pk}/files/",
            {"file": SimpleUploadedFile(f"late-{index}.csv", harness.small_csv(index))},
            format="multipart",
        )
        assert response.status_code == 201, response.content
        [created] = response.json()
        assert created["state"] == "pending"
        ids.append(created["id"])
    assert not DataFile.objects.filter(pk__in=ids, queued_at__isnull=False).exists()
    drill.redis.start()  # on the same port, empty: it keeps nothing
    returned = time.monotonic()
    recovery = drill.wait_final(ids, REDIS_BOUND + SLACK) - returned
    _conclude(drill, "Redis stopped during uploads", ids, recovery, REDIS_BOUND)


def _upload_for(seconds: float, base: str, token: str, dataset_ids: list[int], seed: int):
    """Upload small tables one after another for ``seconds``; return (ids, failures)."""
    ids, failures = [], 0
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    randomness = random.Random(seed)
    deadline = time.monotonic() + seconds
    index = 0
    while time.monotonic() < deadline:
        index += 1
        dataset_id = randomness.choice(dataset_ids)
        data = harness.small_csv(seed * 1_000_000 + index)
        try:
            response = session.post(
                f"{base}/api/v1/datasets/{dataset_id}/files/",
                files={"file": (f"load-{seed}-{index}.csv", data, "text/csv")},
                timeout=120,
            )
        except requests.RequestException:
            failures += 1
            continue
        if response.status_code == 201:
            ids.extend(item["id"] for item in response.json())
        else:
            failures += 1
    return ids, failures


def test_concurrent_uploads_through_gunicorn_while_a_child_is_killed(
    drill, researcher_a, big_table
):
    port = harness.free_port()
    server = drill.start(harness.gunicorn(port, drill.run / "gunicorn.log", drill.env, 2))
    drill.start_worker()
    drill.start_beat()
    base = f"http://127.0.0.1:{port}"
    harness.wait_for(lambda: _answers(base), "gunicorn to answer", START, drill.logs, 0.5)
    assert server.alive()
    # Made here: the test's fast password hasher is not one gunicorn's settings know.
    _token, key = api_token_create(user=researcher_a, second_factor=False)
    datasets = [DatasetFactory(uploader=researcher_a, status="draft").pk for _ in range(5)]

    session = requests.Session()
    session.headers["Authorization"] = f"Token {key}"
    response = session.post(
        f"{base}/api/v1/datasets/{datasets[0]}/files/",
        files={"file": ("big.csv", big_table, "text/csv")},
        timeout=300,
    )
    assert response.status_code == 201, response.content
    [big] = [item["id"] for item in response.json()]

    results: list[tuple[list[int], int]] = []
    clients = [
        threading.Thread(
            target=lambda seed=seed: results.append(_upload_for(SECONDS, base, key, datasets, seed))
        )
        for seed in range(1, CLIENTS + 1)
    ]
    for client in clients:
        client.start()
    # While the clients upload, kill the child processing the big table.
    drill.wait_claimed(big, 1, START)
    killed = time.monotonic()
    drill.kill_pool_child()
    bound = LEASE + SWEEP + SLACK
    recovery = drill.wait_claimed(big, 2, bound + START) - killed
    for client in clients:
        client.join()
    ids = sorted([big, *(file_id for uploaded, _failures in results for file_id in uploaded)])
    failures = sum(failures for _uploaded, failures in results)
    drill.wait_final(ids, START + len(ids) + ROWS / 5000)
    _conclude(drill, f"{CLIENTS} clients for {SECONDS:.0f} s", ids, recovery, bound, failures)
    assert ids and failures == 0


def _answers(base: str) -> bool:
    try:
        return requests.get(f"{base}/healthz", timeout=5).status_code in {200, 503}
    except requests.RequestException:
        return False
