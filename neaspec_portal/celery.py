"""Celery application: ``celery -A neaspec_portal worker`` and ``... beat``."""

import os

from celery import Celery
from celery.signals import worker_init
from django.conf import settings
from django.db.backends.signals import connection_created

# Its task and worker signal receivers: task durations, failures, the worker's server.
from neaspec_portal.metrics import instruments  # noqa: F401

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neaspec_portal.settings")

app = Celery("neaspec_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def worker_statement_timeout(sender, connection, **kwargs) -> None:
    """Give a worker's new database connection ``WORKER_STATEMENT_TIMEOUT_MS``, not the web's."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {int(settings.WORKER_STATEMENT_TIMEOUT_MS)}")


@worker_init.connect
def install_worker_statement_timeout(**_kwargs) -> None:
    # In the main process, before the pool starts: forked children inherit the receiver,
    # and every connection they open (Celery closes the parent's on fork) gets the timeout.
    connection_created.connect(worker_statement_timeout, dispatch_uid="worker-statement-timeout")
