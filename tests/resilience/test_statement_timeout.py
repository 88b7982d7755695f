"""PostgreSQL bounds every statement of a web request; Celery workers set their own bound."""

import pytest
from django.db import connection, connections
from django.db.backends.signals import connection_created

from neaspec_portal.celery import install_worker_statement_timeout, worker_statement_timeout


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
