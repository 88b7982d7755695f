"""Prometheus metrics: who may read /metrics, what it reports, and gunicorn's processes added
up in multiprocess mode (a real gunicorn with two workers)."""

import gc
import os
import socket
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from ipaddress import ip_network
from pathlib import Path

import pytest
import redis
from celery import shared_task
from django.conf import settings
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from neaspec_portal.celery import app as celery_app
from neaspec_portal.gunicorn import settle_heap
from neaspec_portal.tasks import forget_idempotency_keys
from tests.drills.harness import Process, command, database_url, wait_for, worker
from tests.factories import DataFileFactory

QUEUE = f"metrics-tests-{os.getpid()}"


@shared_task(name="tests.metrics_probe")
def metrics_probe(fail: bool) -> str:
    if fail:
        raise ValueError("asked to fail")
    return "ok"


def _samples(text: str) -> dict[tuple[str, tuple], float]:
    """Return every sample of an exposition as (name, sorted labels): value."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


# Who may read them -------------------------------------------------------------------------


@pytest.mark.django_db
def test_this_machine_reads_the_metrics(client):
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert b"hub_data_files" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("remote_addr", "headers"),
    [
        ("203.0.113.5", {}),  # the internet
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": "203.0.113.5"}),  # relayed by a proxy
        ("203.0.113.5", {"HTTP_AUTHORIZATION": "Bearer guessed"}),
        ("not-an-address", {}),
    ],
)
def test_anyone_else_gets_the_portals_404(client, remote_addr, headers):
    refused = client.get("/metrics", REMOTE_ADDR=remote_addr, **headers)
    missing = client.get("/no-such-page", REMOTE_ADDR=remote_addr, **headers)
    assert refused.status_code == missing.status_code == 404
    assert b"hub_" not in refused.content
    assert refused["Content-Type"] == missing["Content-Type"]


@pytest.mark.django_db
def test_the_allowed_networks_come_from_the_setting(client, settings):
    settings.METRICS_ALLOWED_IPS = [ip_network("10.0.0.0/8")]
    assert client.get("/metrics", REMOTE_ADDR="10.2.3.4").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404


@pytest.mark.django_db
def test_the_token_opens_the_metrics_from_anywhere(client, settings):
    settings.METRICS_TOKEN = "a-long-scrape-token"
    outside = {"REMOTE_ADDR": "203.0.113.5", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    good = client.get("/metrics", HTTP_AUTHORIZATION="Bearer a-long-scrape-token", **outside)
    assert good.status_code == 200
    bad = client.get("/metrics", HTTP_AUTHORIZATION="Bearer a-long-scrape-tokeX", **outside)
    assert bad.status_code == 404


def test_the_setting_defaults_to_this_machine_only():
    assert [str(network) for network in settings.METRICS_ALLOWED_IPS] == [
        "127.0.0.1/32",
        "::1/128",
    ]


# What they report --------------------------------------------------------------------------


@pytest.mark.django_db
def test_files_by_state_cost_one_query_per_scrape(client, django_assert_num_queries):
    for state in ("pending", "ready", "ready", "failed"):
        DataFileFactory(state=state)
    # Expect 1 query: one GROUP BY state over the files; nothing else before the answer.
    with django_assert_num_queries(1):
        response = client.get("/metrics")
    samples = _samples(response.content.decode())
    assert samples[("hub_data_files", (("state", "pending"),))] == 1
    assert samples[("hub_data_files", (("state", "ready"),))] == 2
    assert samples[("hub_data_files", (("state", "failed"),))] == 1
    assert samples[("hub_data_files", (("state", "processing"),))] == 0


@pytest.mark.django_db
def test_queue_length_is_read_from_the_broker(client, settings):
    settings.METRICS_QUEUES = [QUEUE, f"{QUEUE}-empty"]
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete(QUEUE)
    broker.rpush(QUEUE, "a", "b", "c")
    try:
        samples = _samples(client.get("/metrics").content.decode())
    finally:
        broker.delete(QUEUE)
        broker.close()
    assert samples[("hub_celery_queue_length", (("queue", QUEUE),))] == 3
    assert samples[("hub_celery_queue_length", (("queue", f"{QUEUE}-empty"),))] == 0
    assert samples[("hub_celery_broker_up", ())] == 1


@pytest.mark.django_db
def test_a_broker_that_does_not_answer_is_reported_not_raised(client, redis_down):
    samples = _samples(client.get("/metrics").content.decode())
    assert samples[("hub_celery_broker_up", ())] == 0


@pytest.mark.django_db
def test_requests_are_timed_by_url_name_method_and_status(client):
    labels = {"view": "healthz", "method": "GET", "status": "200"}
    before = REGISTRY.get_sample_value("hub_http_request_duration_seconds_count", labels) or 0
    client.get("/healthz")
    client.get("/healthz")
    samples = _samples(client.get("/metrics").content.decode())
    key = ("hub_http_request_duration_seconds_count", tuple(sorted(labels.items())))
    assert samples[key] == before + 2
    # A missing page is one label, not one per path.
    client.get("/no-such-page-1")
    client.get("/no-such-page-2")
    unmatched = {"view": "unmatched", "method": "GET", "status": "404"}
    assert REGISTRY.get_sample_value("hub_http_request_duration_seconds_count", unmatched) >= 2


def test_task_durations_and_failures_are_counted():
    name = "tests.metrics_probe"

    def value(metric: str, **labels: str) -> float:
        return REGISTRY.get_sample_value(metric, {"task": name, **labels}) or 0

    runs = value("hub_celery_task_duration_seconds_count", state="SUCCESS")
    failed_runs = value("hub_celery_task_duration_seconds_count", state="FAILURE")
    failures = value("hub_celery_task_failures_total")
    metrics_probe.apply(args=[False])
    metrics_probe.apply(args=[True])
    assert value("hub_celery_task_duration_seconds_count", state="SUCCESS") == runs + 1
    assert value("hub_celery_task_duration_seconds_count", state="FAILURE") == failed_runs + 1
    assert value("hub_celery_task_failures_total") == failures + 1


# gunicorn's processes added up --------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - local server
        return response.read()


@pytest.fixture
def gunicorn_two_workers(tmp_path, transactional_db):
    port = _free_port()
    metrics_dir = tmp_path / "prometheus"
    env = {
        **os.environ,
        "PYTHONPATH": str(settings.BASE_DIR),
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "DEBUG": "1",
        "CELERY_TASK_ALWAYS_EAGER": "1",  # /healthz then does not ping workers
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }
    # A file of an earlier run: gunicorn must start from an empty directory.
    metrics_dir.mkdir()
    (metrics_dir / "histogram_4242.db").write_bytes(b"stale")
    log = tmp_path / "gunicorn.log"
    server = Process(
        command(
            "gunicorn",
            "neaspec_portal.wsgi",
            "--config",
            "python:neaspec_portal.gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ),
        log,
        env,
    ).start()
    base = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        try:
            # /metrics itself is not timed: the requests counted below are the test's only.
            return bool(_get(f"{base}/metrics"))
        except OSError:
            return False

    try:
        wait_for(answers, "gunicorn to answer", 60, [log])
        yield base, metrics_dir
    finally:
        server.stop()
    # The settings' hooks ran in both workers without a complaint (settle_heap among them).
    assert "hook" not in log.read_text(), log.read_text()[-2000:]


def test_a_settled_heap_is_left_out_of_the_collectors_passes():
    kept = object.__new__(type("Kept", (), {}))
    try:
        settle_heap()
        assert gc.get_freeze_count() > 0
        assert not any(found is kept for found in gc.get_objects())  # frozen: not walked
    finally:
        gc.unfreeze()
    assert any(found is kept for found in gc.get_objects())


def test_a_scrape_adds_up_every_gunicorn_worker(gunicorn_two_workers):
    base, metrics_dir = gunicorn_two_workers
    assert not (metrics_dir / "histogram_4242.db").exists()
    # Six at a time, so that both workers take some.
    with ThreadPoolExecutor(6) as pool:
        list(pool.map(lambda _: _get(f"{base}/healthz"), range(30)))
    samples = _samples(_get(f"{base}/metrics").decode())
    key = (
        "hub_http_request_duration_seconds_count",
        (("method", "GET"), ("status", "200"), ("view", "healthz")),
    )
    assert samples[key] == 30
    files = {path.name.split("_")[-1] for path in Path(metrics_dir).glob("histogram_*.db")}
    assert len(files) == 2, f"both workers should have recorded requests: {files}"
    assert ("hub_data_files", (("state", "ready"),)) in samples


# A Celery worker's pool added up ------------------------------------------------------------


def test_the_worker_serves_the_metrics_of_all_its_pool_processes(tmp_path, transactional_db):
    port = _free_port()
    queue = f"{QUEUE}-worker"
    env = {
        **os.environ,
        "PYTHONPATH": str(settings.BASE_DIR),
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "DEBUG": "1",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
        "WORKER_METRICS_PORT": str(port),
    }
    log = tmp_path / "worker.log"
    process = worker("metrics", log, env, 2, "--queues", queue).start()
    url = f"http://127.0.0.1:{port}/"

    def counted() -> float:
        try:
            samples = _samples(_get(url).decode())
        except OSError:
            return 0
        key = (
            "hub_celery_task_duration_seconds_count",
            (("state", "SUCCESS"), ("task", "access.forget_idempotency_keys")),
        )
        return samples.get(key, 0)

    try:
        wait_for(lambda: _answers(url), "the worker's metrics server", 60, [log])
        for _ in range(8):
            forget_idempotency_keys.apply_async(queue=queue)
        wait_for(lambda: counted() == 8, "8 task runs in the worker's metrics", 60, [log])
    finally:
        process.stop()
        broker = redis.Redis.from_url(celery_app.conf.broker_url)
        broker.delete(queue)
        broker.close()
    # The pool's children recorded the runs; the main process served them.
    pids = {path.stem.split("_")[-1] for path in (tmp_path / "prometheus").glob("histogram_*")}
    assert pids and str(process.pid) not in pids, pids


def _answers(url: str) -> bool:
    try:
        _get(url)
    except OSError:
        return False
    return True
