"""Production settings come from the environment, and the documented one passes Django's
deployment checks without a warning; X-Forwarded-For is believed from trusted proxies only."""

import os
import secrets
import subprocess
import sys
from ipaddress import ip_network
from pathlib import Path

import pytest
from axes.helpers import get_client_ip_address
from django.test import RequestFactory

from access.services import client_ip
from neaspec_portal.env import env_networks

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = ROOT / "deploy" / "production.env"


def production_environment() -> dict[str, str]:
    """Return deploy/production.env as a dict, its <placeholders> filled in."""
    values = {}
    for line in PRODUCTION_ENV.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    values["SECRET_KEY"] = secrets.token_urlsafe(50)
    values["POSTGRES_PASSWORD"] = secrets.token_urlsafe(20)
    return values


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    inherited = {
        name: value
        for name, value in os.environ.items()
        if name in {"PATH", "HOME", "DATABASE_URL", "REDIS_URL", "LANG", "PYTHONPATH"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**inherited, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_finds_nothing_with_the_documented_production_environment():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=production_environment())
    output = result.stdout + result.stderr
    print(output)
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output, output


def test_without_the_https_settings_check_deploy_names_what_is_missing():
    env = production_environment()
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_PRELOAD"):
        del env[name]
    output = _manage("check", "--deploy", env=env).stderr
    for warning in ("security.W004", "security.W008"):
        assert warning in output, output


def test_the_documented_environment_is_what_docker_compose_sets():
    compose = (ROOT / "docker-compose.yml").read_text()
    for name, value in production_environment().items():
        if name.startswith(("SECURE_", "BEHIND_", "TRUSTED_")):
            assert f"{name}: ${{{name}:-{value}}}" in compose, name


def test_a_bad_proxy_address_stops_the_start():
    result = _manage("check", env={"DEBUG": "1", "TRUSTED_PROXIES": "10.0.0.0/8,proxy.local"})
    assert result.returncode != 0
    assert "TRUSTED_PROXIES holds 'proxy.local'" in result.stderr


def test_networks_and_addresses_are_read(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8, 172.30.113.10 ,::1")
    assert [str(network) for network in env_networks("TRUSTED_PROXIES")] == [
        "10.0.0.0/8",
        "172.30.113.10/32",
        "::1/128",
    ]


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        # Straight from the internet: the header is whatever the caller claims; ignored.
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),
        ("203.0.113.9", "", "203.0.113.9"),
        # Through the trusted nginx: the address nginx saw.
        ("172.30.113.10", "198.51.100.1", "198.51.100.1"),
        # A client's own header before nginx's entry changes nothing.
        ("172.30.113.10", "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        # Through two trusted proxies.
        ("172.30.113.10", "198.51.100.1, 10.1.2.3", "198.51.100.1"),
        # A hop that is not an address: nothing left of it is believed.
        ("172.30.113.10", "198.51.100.1, <script>", "172.30.113.10"),
        ("172.30.113.10", "", "172.30.113.10"),
        ("not-an-address", "198.51.100.1", None),
    ],
)
def test_x_forwarded_for_is_believed_only_from_trusted_proxies(settings, peer, forwarded, expected):
    settings.TRUSTED_PROXIES = [ip_network("172.30.113.10"), ip_network("10.0.0.0/8")]
    request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_axes_locks_out_by_the_same_address(settings):
    settings.TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert get_client_ip_address(request) == "203.0.113.9"


def test_check_deploy_warns_of_a_cache_inside_each_process():
    env = {**production_environment(), "USE_REDIS_CACHE": "0"}
    result = _manage("check", "--deploy", env=env)
    assert "neaspec.W001" in result.stderr + result.stdout
    assert "USE_REDIS_CACHE=1" in result.stderr + result.stdout
