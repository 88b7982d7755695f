"""PostgreSQL bounds every statement of a web request; Celery workers set their own bound."""

from pathlib import Path

import pytest
from celery import Celery
from django.db import connection, connections
from django.db.backends.signals import connection_created

from manage import lift_statement_timeout
from neaspec_portal.celery import install_worker_statement_timeout, worker_statement_timeout
from tests.drills import harness

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


@pytest.mark.parametrize(
    "argv, preset, limit",
    [
        (["manage.py", "migrate"], None, "0"),
        (["manage.py", "generalize_occurrences"], None, "0"),
        (["manage.py", "migrate"], "5000", "5000"),
        (["manage.py", "runserver"], None, None),
    ],
)
def test_operator_commands_run_without_the_web_bound(argv, preset, limit):
    environ = {} if preset is None else {"DATABASE_STATEMENT_TIMEOUT_MS": preset}
    lift_statement_timeout(argv, environ)
    assert environ.get("DATABASE_STATEMENT_TIMEOUT_MS") == limit


def test_the_worker_limit_is_an_integer_in_the_statement(settings, db):
    settings.WORKER_STATEMENT_TIMEOUT_MS = 1500
    worker_statement_timeout(sender=None, connection=connection)
    assert _statement_timeout(connection) == "1500ms"


@pytest.fixture
def private_redis(tmp_path):
    """A Redis of this test alone, on a free port, stopped at the end."""
    server = harness.RedisServer(tmp_path).start()
    yield server.url
    server.stop()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_process_runs_tasks_with_the_worker_limit(private_redis, tmp_path):
    env = {
        **harness.service_env(private_redis, tmp_path / "media", lease=60, sweep=30),
        "WORKER_STATEMENT_TIMEOUT_MS": "600000",
    }
    log = tmp_path / "worker.log"
    worker = harness.worker("timeout", log, env, 1, "--include", "tests.resilience.worker_probe")
    answer = tmp_path / "statement_timeout"
    # Not the current app: the portal's shared tasks would follow it to this private Redis.
    sender = Celery(broker=private_redis, set_as_current=False)
    try:
        worker.start()
        sender.send_task("tests.write_statement_timeout", args=[str(answer)])
        harness.wait_for(answer.exists, "the worker's answer", 90, [log])
    finally:
        worker.stop()
        sender.close()
    # The web's 30 s would show without the worker's own setting.
    assert answer.read_text() == "10min"
