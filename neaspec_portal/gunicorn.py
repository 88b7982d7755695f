"""gunicorn's settings for production: ``gunicorn --config python:neaspec_portal.gunicorn``.

Flags on the command line and ``GUNICORN_CMD_ARGS`` (the Dockerfile's) still apply; this
module adds what flags cannot say:

- the Prometheus multiprocess directory is emptied when gunicorn starts and a dead
  worker's live gauges are dropped, so that ``/metrics`` adds up the worker processes of
  this container only (``neaspec_portal.metrics``);
- each worker leaves what it loaded (the application, then what its first request loads:
  URL patterns, templates, translations) out of the garbage collector's passes
  (``settle_heap``).
"""

import gc
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


def settle_heap() -> None:
    """Collect, then freeze what is alive (``gc.freeze``): the collector's full passes then
    walk only what requests made since, not the 180,000 objects of the loaded portal.

    Measured on the dataset API list (``benchmarks/pages_bench.py``'s database): a full
    pass took 96 ms with the loaded portal in it, 28-38 ms without; p99 193 -> 49 ms.
    Frozen objects are never freed, so this runs only where what is alive is meant to stay:
    once the worker has loaded the portal, and again after its first request.
    """
    gc.collect()
    gc.freeze()


def post_worker_init(worker) -> None:
    """Freeze the loaded application (``settle_heap``)."""
    settle_heap()


#: Whether this worker process has settled its heap after its first request.
_settled_after_first_request = False


def post_request(worker, req, environ, resp) -> None:
    """Freeze again after the first request, which loads URL patterns and templates (once:
    with threads, several requests may have been counted by then)."""
    global _settled_after_first_request
    if not _settled_after_first_request:
        _settled_after_first_request = True
        settle_heap()
