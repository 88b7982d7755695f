"""gunicorn's settings for production: ``gunicorn --config python:neaspec_portal.gunicorn``.

Flags on the command line and ``GUNICORN_CMD_ARGS`` (the Dockerfile's) still apply; this
module adds what flags cannot say: the Prometheus multiprocess directory is emptied when
gunicorn starts and a dead worker's live gauges are dropped, so that ``/metrics`` adds up
the worker processes of this container only (``neaspec_portal.metrics``).
"""

import os
import shutil
from pathlib import Path

from prometheus_client import multiprocess

# Access lines come from the portal's own request log (neaspec_portal.logs), one JSON
# object per request with its id; gunicorn's would say the same without it.
accesslog = None


def on_starting(server) -> None:
    """Start with an empty metrics directory: files of a previous run would add up."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        Path(directory).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker) -> None:
    """Forget the gauges of a worker process that ended (counters and histograms stay)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
