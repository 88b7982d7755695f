"""What web and worker processes record as they go, and the worker's metrics server."""

import logging
import os
import shutil
import time
from pathlib import Path
from typing import Any

from celery.signals import (
    task_failure,
    task_postrun,
    task_prerun,
    task_retry,
    worker_init,
    worker_process_shutdown,
    worker_ready,
)
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    multiprocess,
    start_http_server,
)

logger = logging.getLogger(__name__)

#: Buckets of a page or an API answer: most take milliseconds, an upload minutes.
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)
#: Buckets of a task: an e-mail takes milliseconds, a large file up to 11 minutes.
TASK_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 660)

REQUEST_LATENCY = Histogram(
    "hub_http_request_duration_seconds",
    "Time from the request reaching Django to its answer, by URL name, method and status.",
    ["view", "method", "status"],
    buckets=REQUEST_BUCKETS,
)
TASK_DURATION = Histogram(
    "hub_celery_task_duration_seconds",
    "Time a Celery task ran, by task name and final state.",
    ["task", "state"],
    buckets=TASK_BUCKETS,
)
TASK_FAILURES = Counter(
    "hub_celery_task_failures", "Celery task runs that raised, by task name.", ["task"]
)
TASK_RETRIES = Counter(
    "hub_celery_task_retries", "Celery task runs that asked for a retry, by task name.", ["task"]
)

_started: dict[str, float] = {}


def multiprocess_dir() -> str | None:
    """Return ``PROMETHEUS_MULTIPROC_DIR`` when processes add up their metrics, else None."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def recorded_registry() -> CollectorRegistry:
    """Return the registry of what this container's processes recorded."""
    if multiprocess_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


@task_prerun.connect
def _task_started(task_id: str = "", **_kwargs: Any) -> None:
    _started[task_id] = time.perf_counter()


@task_postrun.connect
def _task_ended(task_id: str = "", task: Any = None, state: str | None = None, **_kw: Any) -> None:
    started = _started.pop(task_id, None)
    if started is not None:
        name = getattr(task, "name", "?")
        TASK_DURATION.labels(task=name, state=state or "?").observe(time.perf_counter() - started)


@task_failure.connect
def _task_failed(sender: Any = None, **_kwargs: Any) -> None:
    TASK_FAILURES.labels(task=getattr(sender, "name", "?")).inc()


@task_retry.connect
def _task_retried(sender: Any = None, **_kwargs: Any) -> None:
    TASK_RETRIES.labels(task=getattr(sender, "name", "?")).inc()


@worker_init.connect
def _empty_metrics_dir(**_kwargs: Any) -> None:
    # Before the pool starts: files of a previous run of this container would add up.
    directory = multiprocess_dir()
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        Path(directory).mkdir(parents=True, exist_ok=True)


@worker_ready.connect
def _serve_worker_metrics(**_kwargs: Any) -> None:
    """Serve the pool's metrics on ``WORKER_METRICS_PORT`` (inside the stack's network only)."""
    port = int(os.environ.get("WORKER_METRICS_PORT") or 0)
    if port:
        start_http_server(port, registry=recorded_registry())
        logger.info("Worker metrics on port %d.", port)


@worker_process_shutdown.connect
def _forget_pool_process(pid: int | None = None, **_kwargs: Any) -> None:
    if multiprocess_dir():
        multiprocess.mark_process_dead(pid or os.getpid())
