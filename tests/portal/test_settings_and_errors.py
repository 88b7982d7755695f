import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def _django_check(env: dict) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_missing_secret_key_with_debug_off_stops_the_start():
    result = _django_check({"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_bad_boolean_is_a_clear_error():
    result = _django_check({"DEBUG": "maybe", "SECRET_KEY": "x"})
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_production_settings_start_with_a_secret_key():
    result = _django_check({"DEBUG": "0", "SECRET_KEY": "a" * 50, "ALLOWED_HOSTS": "hub.example"})
    assert result.returncode == 0, result.stderr


@pytest.mark.urls("tests.portal.crash_urls")
def test_a_crash_gives_the_styled_500_and_a_log_line(db, caplog):
    client = Client(raise_request_exception=False)
    response = client.get("/crash/")
    assert response.status_code == 500
    content = response.content.decode()
    assert "Something went wrong on our side" in content
    assert "Traceback" not in content
    assert "deliberate failure" not in content
    assert any("deliberate failure" in str(record.exc_info) for record in caplog.records)
