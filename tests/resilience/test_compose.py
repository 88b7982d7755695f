"""The production compose file, read offline: Redis persists its queue, requests are bounded."""

import re
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.conf import settings

from datasets.tasks import process_data_file
from neaspec_portal.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_redis_keeps_its_queue_on_disk(compose):
    redis = compose["services"]["redis"]
    command = " ".join(redis["command"])
    assert "--appendonly yes" in command
    volume, _, target = redis["volumes"][0].partition(":")
    assert target == "/data", "redis writes its append-only file under /data"
    assert volume in compose["volumes"]


def test_every_named_volume_and_dependency_exists(compose):
    services = compose["services"]
    for name, service in services.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in services, f"{name} depends on unknown {dependency}"
        for mount in service.get("volumes", []):
            source = mount.split(":")[0]
            if not source.startswith((".", "/")):
                assert source in compose["volumes"], f"{name} mounts undeclared {source}"


def test_gunicorn_has_its_time_limits(compose):
    command = compose["services"]["web"]["command"][-1]
    assert re.search(r"--timeout \d+", command)
    assert re.search(r"--graceful-timeout \d+", command)
    # Migrations run once per release through manage.py, which lifts the web's statement
    # timeout (tests/resilience/test_compose_nodes.py).
    assert "python manage.py migrate" in compose["services"]["release"]["command"][-1]


def test_the_visibility_timeout_outlasts_the_longest_task_and_its_countdown():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    longest = process_data_file.time_limit + process_data_file.retry_backoff_max
    assert visibility > longest, (
        f"A task still running after {visibility} s would be handed out again; raise "
        f"CELERY_VISIBILITY_TIMEOUT above {longest} s."
    )


def test_the_image_holds_every_app_of_the_project():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for config in apps.get_app_configs():
        if Path(config.path).parent == ROOT:
            assert f"COPY {config.name}/ {config.name}/" in dockerfile, config.name


def test_every_periodic_task_is_registered():
    celery_app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in celery_app.tasks, f"beat entry {name} names no task"
