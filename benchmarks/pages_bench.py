"""List pages, the dataset list of a user with 5,000 grants, and protected downloads.

    .venv/bin/python benchmarks/pages_bench.py [--datasets 2000] [--grants 5000] [--seconds 10]

Prints, against the targets of docs/performance.md:

- p50/p95 of the dataset list, page and API, for a researcher holding ``--grants`` explicit
  grants, with the number of queries (Django's test client, in process, DEBUG off);
- p50/p95 of the Django time of a protected download answered with ``X-Accel-Redirect``;
- requests per second under gunicorn (2 sync workers, ``wrk -t2 -c32``) of a hello-world WSGI
  app and of the library, events and data lists, anonymous and signed in, each as a share of
  hello world.

Every figure is given twice, in the same run: "before", with ``FAST_PAGES`` off (the
pages of accounts drawn on every request, sessions read from the database, visitors'
pages answered by the view), and "after",
with it on (docs/decisions/signed-in-speed.md). The dataset list's "after" is given both
as rendered (the account's page drawn again, the shared cards kept) and as kept.

Uses its own database (``--database``, default ``neaspec_pages_bench``), kept between runs.
Needs ``wrk`` (Debian package ``wrk``) for the throughput part; skipped without it.
"""

import argparse
import logging
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neaspec_portal.settings")
# Generating the data runs statements far longer than a web request may.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", "0")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
os.environ["PROTECTED_DOWNLOADS"] = "accel"
# Seeding the demo accounts sends mail; the benchmark has no mail server.
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

HELLO_APP = """
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello"]
"""


def _database_url(name: str) -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/neaspec")
    return base.rsplit("/", 1)[0] + "/" + name


def _ensure_database(url: str) -> bool:
    """Create the database if missing; return True when it was created."""
    import psycopg2

    server, name = url.rsplit("/", 1)
    connection = psycopg2.connect(server + "/postgres")
    connection.autocommit = True  # CREATE DATABASE cannot run in a transaction
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return False
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()
    return True


def _fill(datasets: int, grants: int) -> None:
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from access import policy
    from accounts.management.commands.seed_demo import seed_accounts
    from accounts.models import User
    from datasets.models import DataFile, Dataset
    from publications.demo import seed_library
    from species.services import reference_data_load

    call_command("migrate", verbosity=0)
    reference_data_load()
    seed_accounts()
    seed_library(secretariat=User.objects.get(username="secretariat"))
    uploaders = {
        user.country_id: user for user in User.objects.filter(username__startswith="researcher-")
    }
    levels = ["public", "registered", "member_states", "country", "restricted"]
    now = timezone.now()
    rows = [
        Dataset(
            title=f"Monitoring survey {number}",
            method="camera_traps",
            licence="CC-BY-4.0",
            access_level=levels[number % len(levels)],
            status="published",
            owner_country_id=country,
            uploader=uploaders[country],
            published_at=now - timedelta(minutes=number),
        )
        for number in range(datasets)
        for country in [sorted(uploaders)[number % len(uploaders)]]
    ]
    # The grant holder's datasets: restricted ones of other countries, spread over the list.
    rows += [
        Dataset(
            title=f"Restricted survey {number}",
            method="telemetry",
            licence="CC-BY-4.0",
            access_level="restricted",
            status="published",
            owner_country_id="MN",
            uploader=uploaders["MN"],
            published_at=now - timedelta(minutes=number, seconds=30),
        )
        for number in range(grants)
    ]
    created = Dataset.objects.bulk_create(rows, batch_size=2000)
    holder = User.objects.get(username="researcher-kr")
    focal_point = User.objects.get(username="fp-mn")
    restricted = [dataset for dataset in created if dataset.title.startswith("Restricted")]
    for dataset in restricted:
        policy.grant(
            dataset=dataset, user=holder, until=now + timedelta(days=365), granted_by=focal_point
        )
    public = next(dataset for dataset in created if dataset.access_level == "public")
    DataFile.objects.create(
        dataset=public,
        original_name="stations.csv",
        file=ContentFile(b"station,lat,lon\nA,43.1,131.2\n", name="stations.csv"),
        size=29,
        uploaded_by=public.uploader,
        state="ready",
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  {len(created):,} datasets, {len(restricted):,} grants to {holder}")


def _timed(client, url: str, repeats: int, before_each=None) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    for _ in range(repeats):
        if before_each:
            before_each()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], queries


def _session_cookie(user) -> str:
    """Return the cookies of a browser signed in as ``user``: its session and CSRF secret."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.middleware.csrf import _get_new_csrf_string

    # The cached_db store also writes the row that the "before" servers read.
    store = import_module("django.contrib.sessions.backends.cached_db").SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return (
        f"{settings.SESSION_COOKIE_NAME}={store.session_key}; "
        f"{settings.CSRF_COOKIE_NAME}={_get_new_csrf_string()}"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _dataset_list(holder, repeats: int) -> None:
    from django.test import Client
    from django.test.utils import override_settings

    from neaspec_portal import page_cache
    from neaspec_portal.gunicorn import settle_heap

    client = Client()
    client.force_login(holder)
    # This process serves as a gunicorn worker does: its heap settled after a first request.
    client.get("/data/")
    settle_heap()
    print(f"\nDataset list for {holder} (target p95 <= 25 ms, queries constant):")
    for url in ("/data/", "/api/v1/datasets/"):
        with override_settings(FAST_PAGES=False):
            before = _timed(client, url, repeats)
        # A new people's generation: the account's page is drawn again, the cards and
        # filters that other readers had drawn are kept (as after someone's role changed).
        rendered = _timed(client, url, repeats, before_each=page_cache.bump_people)
        kept = _timed(client, url, repeats)
        for label, (p50, p95, queries) in (
            ("before", before),
            ("rendered", rendered),
            ("kept", kept),
        ):
            print(f"  {url:<18} {label:<9} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  {queries} queries")


def _gunicorn(app: str, port: int, env: dict, cwd: Path, config: tuple = ()) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        *config,
        app,
    ]
    # Each request is logged, as in production, to a file rather than this terminal.
    log = open(f"/tmp/neaspec-pages-bench-{port}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        command, cwd=cwd, env=env, start_new_session=True, stdout=log, stderr=log
    )
    time.sleep(3)
    return process


def _wrk(url: str, seconds: int, cookie: str = "") -> float:
    command = ["wrk", "-t2", "-c32", f"-d{seconds}s", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        print(f"    ({non_2xx.group(1)} answers were not 2xx/3xx)")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="neaspec_pages_bench")
    parser.add_argument("--datasets", type=int, default=2000)
    parser.add_argument("--grants", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=60)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = _database_url(args.database)
    created = _ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.test import Client

    from accounts.models import User
    from datasets.models import DataFile

    if not created:
        # A database kept from an earlier run is brought up to the code's migrations.
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    if created:
        print(f"Filling {args.database} …")
        started = time.perf_counter()
        _fill(args.datasets, args.grants)
        print(f"  done in {time.perf_counter() - started:.0f} s")
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: the manifest
    print(f"load average at start: {os.getloadavg()[0]:.2f}")

    # Requests measured in this process are logged as in production, but not to the terminal.
    for logger in (logging.getLogger(), logging.getLogger("neaspec_portal.request")):
        for handler in logger.handlers:
            if isinstance(handler, logging.StreamHandler):
                handler.setStream(open(os.devnull, "w"))  # noqa: SIM115
    holder = User.objects.get(username="researcher-kr")
    _dataset_list(holder, args.repeats)

    data_file = DataFile.objects.filter(dataset__access_level="public").first()
    url = f"/data/files/{data_file.pk}/download/"
    p50, p95, queries = _timed(Client(), url, args.repeats)
    print("\nProtected download, Django time before nginx takes over (target p95 <= 10 ms):")
    print(f"  {url:<22} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  {queries} queries")

    if not shutil.which("wrk"):
        print("\nwrk is not installed (apt-get install wrk): throughput skipped.")
        return
    _throughput(holder, args.seconds)
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


def _throughput(holder, seconds: int) -> None:
    hello_dir = Path("/tmp/neaspec-hello")
    hello_dir.mkdir(exist_ok=True)
    (hello_dir / "hello.py").write_text(HELLO_APP)
    ports = {"hello": _free_port(), "before": _free_port(), "after": _free_port()}
    portal = "neaspec_portal.wsgi:application"
    # The portal's servers run with production's settings (neaspec_portal/gunicorn.py).
    config = ("--config", "python:neaspec_portal.gunicorn")
    servers = [
        _gunicorn("hello:app", ports["hello"], {**os.environ}, hello_dir),
        _gunicorn(portal, ports["before"], {**os.environ, "FAST_PAGES": "0"}, ROOT, config),
        _gunicorn(portal, ports["after"], {**os.environ, "FAST_PAGES": "1"}, ROOT, config),
    ]
    try:
        hello_url = f"http://127.0.0.1:{ports['hello']}/"
        hello = _wrk(hello_url, seconds)
        print(f"\nThroughput (gunicorn, 2 sync workers, wrk -t2 -c32, {seconds} s each):")
        print(f"  hello world {hello:8.0f} req/s (measured again before each row)")
        print(f"  {'':<27} {'before':>22}   {'after':>22}")
        cookie = _session_cookie(holder)
        # Warm each server's workers on every page first (imports, templates, connections,
        # the pages they learn to keep), so that the first row is not measured cold.
        for column in ("before", "after"):
            for cookie_value in ("", cookie):
                for path in ("/library/", "/library/events/", "/data/"):
                    _wrk(f"http://127.0.0.1:{ports[column]}{path}", 2, cookie_value)
        for who, cookie_value, target in (("anonymous", "", 0.30), ("signed in", cookie, 0.06)):
            for path in ("/library/", "/library/events/", "/data/"):
                # The machine is shared: each row is compared with a hello world of its own.
                hello = _wrk(hello_url, seconds)
                shown = []
                for column in ("before", "after"):
                    url = f"http://127.0.0.1:{ports[column]}{path}"
                    rate = _wrk(url, seconds, cookie_value)
                    shown.append(f"{rate:7.0f} req/s = {rate / hello:5.1%}")
                verdict = "meets" if rate / hello >= target else "below"
                print(
                    f"  {who:<10} {path:<16} {shown[0]}   {shown[1]}  "
                    f"({verdict} the {target:.0%} target; hello {hello:.0f})"
                )
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)


if __name__ == "__main__":
    main()
