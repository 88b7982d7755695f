"""Fixtures of the drills and the table they print at the end of the run.

Scale comes from the environment (``make drills`` sets it; ``make test`` runs the defaults):

- ``DRILL_ROWS`` rows of the big table, or ``DRILL_CSV_MB`` its size (default 150,000 rows)
- ``DRILL_FILES`` files per drill, the big table and small ones (default 3)
- ``DRILL_CLIENTS`` and ``DRILL_SECONDS``: concurrent clients uploading through gunicorn, and
  for how long (default 4 for 5 s)
- ``DRILL_LEASE_SECONDS`` and ``DRILL_SWEEP_SECONDS``: the processes' ``FILE_LEASE_SECONDS``
  and ``FILE_SWEEP_SECONDS`` (default 6 and 3; ``make drills`` runs the production 60 and 30)
- ``DRILL_SLACK``: seconds added to every bound for a loaded machine (default 20)
"""

import os
import signal
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from datasets import services
from datasets.models import DataFile
from neaspec_portal.celery import app
from tests.drills import harness, table
from tests.factories import DatasetFactory

LEASE = int(os.environ.get("DRILL_LEASE_SECONDS", "6"))
SWEEP = int(os.environ.get("DRILL_SWEEP_SECONDS", "3"))
SLACK = float(os.environ.get("DRILL_SLACK", "20"))
FILES = max(int(os.environ.get("DRILL_FILES", "3")), 1)
CLIENTS = int(os.environ.get("DRILL_CLIENTS", "4"))
SECONDS = float(os.environ.get("DRILL_SECONDS", "5"))
ROWS = (
    int(float(os.environ["DRILL_CSV_MB"]) * 1024**2 / 47)
    if os.environ.get("DRILL_CSV_MB")
    else int(os.environ.get("DRILL_ROWS", "150000"))
)

#: The outcomes of the drill running now, until its report carries them (``table``).
OUTCOMES: list[harness.Outcome] = []
TITLE = f"drills (lease {LEASE} s, sweep {SWEEP} s, big table {ROWS:,} rows)"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if call.when == "call":
        report.user_properties.extend(
            (table.PROPERTY, (TITLE, outcome.row())) for outcome in OUTCOMES
        )
        OUTCOMES.clear()
    return report


@pytest.fixture(scope="session")
def big_table() -> bytes:
    return harness.big_csv(ROWS)


class Drill:
    """One drill's private Redis, worker, beat and gunicorn, on pytest's test database."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.media = root / "media"
        self.run = root / "run"
        self.media.mkdir()
        self.run.mkdir()
        self.redis = harness.RedisServer(self.run)
        self.processes: list[harness.Process] = []
        self.worker: harness.Process | None = None

    @property
    def env(self) -> dict[str, str]:
        return harness.service_env(self.redis.url, self.media, LEASE, SWEEP)

    @property
    def logs(self) -> list[Path]:
        return [process.log for process in [*self.processes, self.redis]]

    def start_worker(self, name: str = "worker") -> harness.Process:
        self.worker = harness.worker(name, self.run / f"{name}.log", self.env).start()
        self.processes.append(self.worker)
        return self.worker

    def start_beat(self) -> harness.Process:
        process = harness.beat(self.run, self.env).start()
        self.processes.append(process)
        return process

    def start(self, process: harness.Process) -> harness.Process:
        self.processes.append(process.start())
        return process

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()
        self.redis.stop()

    def upload(self, user, big_table: bytes, files: int = FILES) -> list[int]:
        """Upload the big table and ``files - 1`` small ones as their owner would."""
        dataset = DatasetFactory(uploader=user, status="draft")
        ids = []
        for index in range(files):
            data = big_table if index == 0 else harness.SMALL_CSV
            upload = SimpleUploadedFile(f"table-{index}.csv", data)
            ids.append(services.data_file_add(actor=user, dataset=dataset, upload=upload).pk)
        return ids

    def wait_claimed(self, file_id: int, attempt: int, timeout: float) -> float:
        """Wait until the file is claimed by attempt ``attempt`` (or later); return when."""
        harness.wait_for(
            lambda: DataFile.objects.filter(pk=file_id, attempts__gte=attempt).exists(),
            f"file {file_id} to be claimed by attempt {attempt}",
            timeout,
            self.logs,
            every=0.02,
        )
        return time.monotonic()

    def pool_child(self) -> int:
        assert self.worker is not None
        return harness.wait_for(
            lambda: self.worker.children(), "the worker's pool child", 30, self.logs
        )[0]

    def kill_pool_child(self) -> None:
        os.kill(self.pool_child(), signal.SIGKILL)

    def wait_final(self, ids: list[int], timeout: float) -> float:
        harness.wait_for(
            lambda: harness.final(ids), f"{len(ids)} files to be final", timeout, self.logs, 0.1
        )
        return time.monotonic()


@pytest.fixture
def drill(tmp_path, settings, monkeypatch, transactional_db):
    """A drill's processes, pointed at a private Redis and media directory; all stopped after."""
    running = Drill(tmp_path)
    running.redis.start()
    settings.MEDIA_ROOT = running.media
    settings.CELERY_BROKER_URL = running.redis.url
    # The uploads' messages go to the private Redis too, on new connections.
    monkeypatch.setitem(app.conf, "broker_url", running.redis.url)
    monkeypatch.setitem(app.conf, "broker_write_url", running.redis.url)
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    try:
        yield running
    finally:
        running.stop()
        # The pools hold connections to the private Redis, which is gone.
        if app._pool is not None:
            app._pool.force_close_all()


def record(outcome: harness.Outcome) -> harness.Outcome:
    """Keep the outcome for the table; show it at once too (seen with ``pytest -s``)."""
    OUTCOMES.append(outcome)
    print("drill outcome:", " | ".join(outcome.row()), flush=True)
    return outcome
