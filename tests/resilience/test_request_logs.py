"""Request ids: answered back, on every log line of the request, and on the worker's lines
about the tasks the request queued (a real Celery worker on the real Redis)."""

import io
import json
import logging
import os
import subprocess
import sys
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from datasets.models import DataFile
from neaspec_portal.logs import JsonFormatter, RequestIdFilter, current_request_id, logging_config
from neaspec_portal.tasks import forget_idempotency_keys
from tests.factories import DatasetFactory

SETTINGS = "neaspec_portal.settings"
QUEUE = f"request-log-tests-{os.getpid()}"


@pytest.fixture
def json_lines():
    """Collect what the root logger writes, formatted as in production; return a reader."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(previous)


def _request_lines(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["logger"] == "neaspec_portal.request"]


@pytest.mark.django_db
def test_a_sane_incoming_id_is_kept_answered_and_logged(client, json_lines):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="proxy-1234abcd")
    assert response["X-Request-ID"] == "proxy-1234abcd"
    (line,) = _request_lines(json_lines())
    assert line["request_id"] == "proxy-1234abcd"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert line["level"] == "INFO"
    assert isinstance(line["duration_ms"], float)
    assert line["ts"].endswith("+00:00")
    assert "user_id" not in line  # a visitor


@pytest.mark.django_db
@pytest.mark.parametrize(
    "incoming",
    ["", "short", "x" * 129, "has space in it", "new\nline-injected", '{"json":1}ab', "-leading1"],
)
def test_an_insane_incoming_id_is_replaced(client, json_lines, incoming):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)
    request_id = response["X-Request-ID"]
    assert request_id != incoming
    assert len(request_id) == 32 and int(request_id, 16) >= 0
    assert _request_lines(json_lines())[0]["request_id"] == request_id


@pytest.mark.django_db
def test_each_request_gets_its_own_id_and_leaves_none_behind(client, json_lines):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first != second
    assert current_request_id.get() == ""
    logging.getLogger("tests").info("outside any request")
    assert json_lines()[-1]["request_id"] is None


@pytest.mark.django_db
def test_the_line_names_the_signed_in_account_by_id_only(client, researcher_a, json_lines):
    client.force_login(researcher_a)
    client.get("/data/", HTTP_X_REQUEST_ID="page-request-1")
    (line,) = [line for line in _request_lines(json_lines()) if line["path"] == "/data/"]
    assert line["user_id"] == researcher_a.pk
    assert researcher_a.username not in json.dumps(line)
    assert researcher_a.email not in json.dumps(line)


@pytest.mark.django_db
def test_a_missing_page_and_an_error_are_logged_with_their_status(client, json_lines):
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="missing-page-1")
    (line,) = _request_lines(json_lines())
    assert (line["status"], line["request_id"]) == (404, "missing-page-1")


def test_text_lines_carry_the_id_in_brackets():
    config = logging_config("text", "INFO")
    assert "[%(request_id)s]" in config["formatters"]["line"]["format"]
    assert config["handlers"]["console"]["filters"] == ["request_id"]


def test_the_setting_refuses_an_unknown_format():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            **os.environ,
            "LOG_FORMAT": "xml",
            "DJANGO_SETTINGS_MODULE": "neaspec_portal.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "LOG_FORMAT must be 'json' or 'text'" in result.stderr


# The worker --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def worker():
    from celery.contrib.testing.worker import start_worker

    from neaspec_portal.celery import app

    app.conf["task_default_queue"] = QUEUE
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, loglevel="WARNING", queues=[QUEUE]
        ) as running:
            yield running
    finally:
        app.conf["task_default_queue"] = "celery"


def _task_line(json_lines, task: str, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in json_lines():
            if line["logger"] == "neaspec_portal.task" and line.get("task") == task:
                return line
        time.sleep(0.2)
    raise AssertionError(f"no log line of {task} within {timeout} s")


def _wait_idle(file_id: int) -> None:
    from celery.worker import state as worker_state

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        state = DataFile.objects.get(pk=file_id).state
        if state in ("ready", "failed") and not worker_state.active_requests:
            return
        time.sleep(0.2)


@pytest.mark.django_db(transaction=True)
def test_the_worker_logs_a_queued_task_under_the_id_of_the_request(
    worker, client, researcher_a, json_lines
):
    dataset = DatasetFactory(uploader=researcher_a, status="draft")
    client.force_login(researcher_a)
    upload = SimpleUploadedFile("stations.csv", b"station,lat,lon\nA,43.1,131.2\n")
    response = client.post(
        f"/api/v1/datasets/{dataset.pk}/files/",
        {"file": [upload]},
        HTTP_X_REQUEST_ID="upload-request-42",
    )
    assert response.status_code == 201, response.content
    line = _task_line(json_lines, "datasets.process_data_file")
    _wait_idle(response.json()[0]["id"])
    assert line["request_id"] == "upload-request-42"
    assert line["state"] == "SUCCESS"
    assert line["duration_ms"] >= 0
    request_lines = [x for x in _request_lines(json_lines()) if x["path"].endswith("/files/")]
    assert request_lines[0]["request_id"] == "upload-request-42"


@pytest.mark.django_db
def test_a_task_run_in_process_keeps_the_requests_id_and_gives_it_back(json_lines):
    # Development runs tasks in the request's own thread (CELERY_TASK_ALWAYS_EAGER).
    token = current_request_id.set("in-process-request-7")
    try:
        forget_idempotency_keys.apply()
        assert current_request_id.get() == "in-process-request-7"
    finally:
        current_request_id.reset(token)
    (line,) = [x for x in json_lines() if x.get("task") == "access.forget_idempotency_keys"]
    assert line["request_id"] == "in-process-request-7"
    assert current_request_id.get() == ""
