"""The drills' machinery: a private Redis, real Celery worker and beat processes, a gunicorn.

Every process is started in a session of its own, so that killing it (``SIGKILL`` of the
whole worker) takes its pool children along, and is stopped by the fixture that started it,
also when the drill fails. Nothing here touches the shared Redis or another database.
"""

import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from datasets.models import DataFile, Occurrence

#: Run a console command with only the code under test importable: the virtualenv's editable
#: install (a finder on ``sys.meta_path``) may point at another checkout, whose modules would
#: stand in for any module this one lacks (Celery's autodiscovery imports such a module).
LAUNCH = (
    "import sys\n"
    "sys.meta_path[:] = [finder for finder in sys.meta_path\n"
    "                    if not getattr(finder, '__module__', '').startswith('__editable__')]\n"
    "from {module} import {function} as main\n"
    "sys.argv[0] = {name!r}\n"
    "sys.exit(main())\n"
)


def command(name: str, *arguments: str) -> list[str]:
    """Return the command line of ``celery`` or ``gunicorn`` run on this checkout's code."""
    module, function = {
        "celery": ("celery.__main__", "main"),
        "gunicorn": ("gunicorn.app.wsgiapp", "run"),
    }[name]
    return [
        sys.executable,
        "-c",
        LAUNCH.format(module=module, function=function, name=name),
        *arguments,
    ]


#: A small table, processed in well under a second.
SMALL_CSV = (
    b"scientificName,eventDate,decimalLatitude,decimalLongitude\n"
    b"Grus vipio,2023-02-11,43.1234,131.5678\n"
    b"Platalea minor,2023-02-12,37.5,126.6\n"
)


def small_csv(seed: int) -> bytes:
    """Return a small table whose content differs with ``seed`` (no two are duplicates)."""
    latitude = 40 + seed % 10**6 / 10**6
    longitude = 120 + seed // 10**6 % 1000 / 100
    return SMALL_CSV + f"Grus vipio,2022-03-01,{latitude:.6f},{longitude:.2f}\n".encode()


def free_port() -> int:
    """Return a local port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """Return the URL of the database the tests run on (pytest-django's test database)."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return (
        f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def big_csv(rows: int, seed: int = 7) -> bytes:
    """Return an occurrence table of ``rows`` rows (about 47 bytes a row)."""
    randomness = random.Random(seed)
    names = ["Panthera tigris altaica", "Grus vipio", "Platalea minor", "Felis catus"]
    lines = ["scientificName,eventDate,decimalLatitude,decimalLongitude,individualCount"]
    lines.extend(
        f"{randomness.choice(names)},20{randomness.randint(10, 24)}-0{randomness.randint(1, 9)}-1"
        f"{randomness.randint(0, 9)},{randomness.uniform(40, 52):.5f},"
        f"{randomness.uniform(100, 135):.5f},{randomness.randint(1, 9)}"
        for _ in range(rows)
    )
    return ("\n".join(lines) + "\n").encode()


def wait_for(condition, what: str, timeout: float, logs: list[Path] = (), every: float = 0.05):
    """Return ``condition()`` once truthy; fail with the processes' logs after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    tails = "\n".join(f"--- {log}\n{log.read_text()[-4000:]}" for log in logs if log.exists())
    raise AssertionError(f"waited {timeout:.0f} s for {what}\n{tails}")


class Process:
    """A subprocess in its own session, its output in a log file."""

    def __init__(self, command: list[str], log: Path, env: dict[str, str]) -> None:
        self.command = command
        self.log = log
        self.env = env
        self.popen: subprocess.Popen | None = None

    def start(self) -> "Process":
        with self.log.open("ab") as output:
            self.popen = subprocess.Popen(
                self.command,
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def kill(self) -> None:
        """SIGKILL the process and everything in its session, at once."""
        if self.alive():
            os.killpg(self.pid, signal.SIGKILL)
            assert self.popen is not None
            self.popen.wait(30)

    def stop(self, grace: float = 15) -> None:
        """Stop gently, then kill what is left of the session."""
        if self.popen is None:
            return
        if self.alive():
            os.killpg(self.pid, signal.SIGTERM)
            try:
                self.popen.wait(grace)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.pid, signal.SIGKILL)  # pool children left behind
        except ProcessLookupError:
            pass
        if self.popen.poll() is None:
            self.popen.wait(30)

    def children(self) -> list[int]:
        """Return the ids of the direct children of the process."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.pid:
                found.append(int(stat.parent.name))
        return found


class RedisServer(Process):
    """A private redis-server without persistence: a restart loses every message."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        super().__init__(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(directory),
            ],
            directory / "redis.log",
            dict(os.environ),
        )

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        super().start()
        wait_for(self._answers, "redis-server to answer", 20, [self.log])
        return self

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def service_env(redis_url: str, media: Path, lease: int, sweep: int) -> dict[str, str]:
    """The environment of the drill's worker, beat and gunicorn."""
    return {
        **os.environ,
        # The code under test: the virtualenv's editable install may point at another checkout.
        "PYTHONPATH": str(settings.BASE_DIR),
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(media),
        "DEBUG": "1",
        "FILE_LEASE_SECONDS": str(lease),
        "FILE_SWEEP_SECONDS": str(sweep),
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }


def worker(name: str, log: Path, env: dict[str, str], concurrency: int = 1, *extra: str) -> Process:
    """A ``celery worker`` with a prefork pool, so that its child can be killed alone;
    ``extra`` arguments are passed on (e.g. ``--include`` a module of test tasks)."""
    return Process(
        command(
            "celery",
            "-A",
            "neaspec_portal",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            str(concurrency),
            "-n",
            f"{name}-{os.getpid()}@%h",
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "INFO",
            *extra,
        ),
        log,
        env,
    )


def beat(directory: Path, env: dict[str, str]) -> Process:
    return Process(
        command(
            "celery",
            "-A",
            "neaspec_portal",
            "beat",
            "--schedule",
            str(directory / "celerybeat-schedule"),
            "--loglevel",
            "INFO",
        ),
        directory / "beat.log",
        env,
    )


def gunicorn(port: int, log: Path, env: dict[str, str], workers: int) -> Process:
    return Process(
        command(
            "gunicorn",
            "neaspec_portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            "8",
            "--timeout",
            "300",
        ),
        log,
        env,
    )


@dataclass
class Outcome:
    """What a drill left behind, as the table prints it."""

    drill: str
    files: int
    states: Counter = field(default_factory=Counter)
    duplicates: int = 0
    orphans: int = 0
    recovery: float = 0.0
    bound: float = 0.0
    errors: int = 0

    def row(self) -> list[str]:
        states = ", ".join(f"{count} {state}" for state, count in sorted(self.states.items()))
        return [
            self.drill,
            str(self.files),
            states,
            str(self.duplicates),
            str(self.orphans),
            f"{self.recovery:.1f} s (bound {self.bound:.0f} s)",
            str(self.errors),
        ]


def final(file_ids: list[int]) -> bool:
    return not DataFile.objects.filter(
        pk__in=file_ids, state__in=["pending", "processing"]
    ).exists()


def account(outcome: Outcome, file_ids: list[int], media: Path) -> Outcome:
    """Fill in the outcome's final states, duplicate points and orphan blobs."""
    files = DataFile.objects.filter(pk__in=file_ids)
    outcome.states = Counter(files.values_list("state", flat=True))
    expected = sum(files.filter(state="ready").values_list("row_count", flat=True), 0)
    occurrences = Occurrence.objects.filter(data_file_id__in=file_ids)
    stored = occurrences.count()
    distinct = occurrences.values("data_file_id", "row").distinct().count()
    outcome.duplicates = (stored - distinct) + abs(distinct - expected)
    outcome.orphans = len(orphans(media))
    return outcome


def orphans(media: Path) -> set[str]:
    """Return the blobs without a row and the rows' names without a blob (none is right)."""
    blobs = {str(path.relative_to(media)) for path in media.rglob("*") if path.is_file()}
    named = set()
    for name, thumbnail in DataFile.objects.values_list("file", "thumbnail"):
        named.add(name)
        if thumbnail:
            named.add(thumbnail)
    return blobs ^ named
