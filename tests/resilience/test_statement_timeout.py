"""PostgreSQL bounds every statement of a web request; Celery workers set their own bound."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection, connections
from django.db.backends.signals import connection_created

from neaspec_portal.celery import install_worker_statement_timeout, worker_statement_timeout

ROOT = Path(__file__).resolve().parents[2]


def _statement_timeout(conn) -> str:
    with conn.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


def test_a_web_connection_stops_statements_after_30_seconds(db):
    assert _statement_timeout(connection) == "30s"


@pytest.fixture
def worker_process():
    """The process as ``celery worker`` leaves it once it has started (its worker_init)."""
    install_worker_statement_timeout()
    yield
    connection_created.disconnect(dispatch_uid="worker-statement-timeout")


@pytest.mark.parametrize("limit, shown", [(0, "0"), (600_000, "10min")])
def test_a_worker_connection_takes_the_worker_limit(limit, shown, settings, db, worker_process):
    settings.WORKER_STATEMENT_TIMEOUT_MS = limit
    worker_connection = connections.create_connection("default")
    try:
        assert _statement_timeout(worker_connection) == shown
    finally:
        worker_connection.close()


def test_the_worker_limit_is_an_integer_in_the_statement(settings, db):
    settings.WORKER_STATEMENT_TIMEOUT_MS = 1500
    worker_statement_timeout(sender=None, connection=connection)
    assert _statement_timeout(connection) == "1500ms"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def private_redis():
    """A Redis of this test alone, on a free port, stopped at the end."""
    port = _free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_process_runs_tasks_with_the_worker_limit(private_redis, tmp_path):
    settings_dict = connection.settings_dict
    database_url = "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**settings_dict)
    env = {
        **os.environ,
        "DEBUG": "1",
        "REDIS_URL": private_redis,
        "DATABASE_URL": database_url,
        "WORKER_STATEMENT_TIMEOUT_MS": "600000",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "neaspec_portal",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            "1",
            "--include",
            "tests.resilience.worker_probe",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    answer = tmp_path / "statement_timeout"
    sender = Celery(broker=private_redis)
    try:
        sender.send_task("tests.write_statement_timeout", args=[str(answer)])
        deadline = time.monotonic() + 90
        while not answer.exists() and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.2)
    finally:
        worker.terminate()
        _out, errors = worker.communicate(timeout=30)
        sender.close()
    assert answer.exists(), errors.decode()[-2000:]
    # The web's 30 s would show without the worker's own setting.
    assert answer.read_text() == "10min"
