"""A task that a test's own Celery worker runs (``--include``): what its connection is like."""

from pathlib import Path

from celery import shared_task
from django.db import connection


@shared_task(name="tests.write_statement_timeout")
def write_statement_timeout(path: str) -> None:
    """Write the worker connection's statement timeout to ``path``."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        Path(path).write_text(cursor.fetchone()[0])
