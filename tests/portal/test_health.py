from unittest import mock

from django.db import OperationalError


def test_it_reports_the_database_redis_and_workers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == {"ok": True}
    assert body["redis"]["ok"] is True
    assert set(body["workers"]) >= {"ok", "count"}


def test_a_stopped_database_answers_503(client):
    failing_cursor = mock.Mock(side_effect=OperationalError("connection refused"))
    with mock.patch("neaspec_portal.health.connection.cursor", failing_cursor):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"]["ok"] is False
    assert response.json()["status"] == "down"


def test_an_unreachable_redis_is_reported_without_failing(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["redis"]["ok"] is False
    assert response.json()["status"] == "degraded"
