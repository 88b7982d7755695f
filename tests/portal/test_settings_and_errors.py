import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from neaspec_portal import errors

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


@pytest.mark.urls("tests.portal.crash_urls")
def test_the_500_page_is_in_the_readers_language_without_the_database(
    db, django_assert_num_queries
):
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = "ru"
    with django_assert_num_queries(0):
        response = client.get("/crash/")
    assert response.status_code == 500
    assert '<html lang="ru">' in response.content.decode()


@pytest.mark.urls("tests.portal.crash_urls")
def test_the_500_page_answers_even_when_its_template_fails(db, monkeypatch):
    def broken(name):
        raise errors.loader.TemplateDoesNotExist(name)

    monkeypatch.setattr(errors.loader, "get_template", broken)
    response = Client(raise_request_exception=False).get("/crash/")
    assert response.status_code == 500
    assert "Server error" in response.content.decode()


def test_the_404_page_is_styled_in_the_readers_language(client):
    client.cookies["django_language"] = "ko"
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert '<html lang="ko"' in content
    assert "css/portal" in content


@pytest.mark.urls("tests.portal.crash_urls")
def test_an_api_crash_answers_json(db):
    response = Client(raise_request_exception=False).get("/api/v1/crash/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "try again" in response.json()["detail"]
