"""Fixtures of the failure tests: a Redis address nobody listens on."""

import socket

import pytest

from neaspec_portal import cache as redis_cache
from neaspec_portal.celery import app as celery_app


def _closed_port_url() -> str:
    # Bind to get a free port from the system, then close it: nothing listens there.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


def _reset_broker_pools() -> None:
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def redis_down(settings):
    """Point the cache and the Celery broker at a closed port, as when Redis is down."""
    url = _closed_port_url()
    settings.CACHES = {
        "default": {
            "BACKEND": "neaspec_portal.cache.SharedClientRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    previous_broker = celery_app.conf.broker_url
    celery_app.conf.broker_url = url
    _reset_broker_pools()
    _forget_outage()
    yield url
    celery_app.conf.broker_url = previous_broker
    _reset_broker_pools()
    # The "down" cache must not make later tests skip the real Redis.
    _forget_outage()


def _forget_outage() -> None:
    outage = redis_cache.outage
    outage.down, outage.retry_at, outage.warned_at, outage.failures = False, 0.0, float("-inf"), 0
