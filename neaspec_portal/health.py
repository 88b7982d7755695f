"""``/healthz``: the state of the database, Redis and the Celery workers, as JSON."""

import logging

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from neaspec_portal.celery import app as celery_app

logger = logging.getLogger(__name__)


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.error("healthz: database unreachable: %s", error)
        return {"ok": False, "error": "database unreachable"}
    return {"ok": True}


def _redis() -> dict:
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=0.5)
        client.ping()
    except redis.RedisError as error:
        return {"ok": False, "error": f"redis unreachable: {error.__class__.__name__}"}
    return {"ok": True}


def _workers(redis_ok: bool) -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "count": 0, "mode": "in-process (no worker)"}
    if not redis_ok:
        return {"ok": False, "count": 0, "error": "broker unreachable"}
    try:
        replies = celery_app.control.ping(timeout=0.5) or []
    except (OSError, redis.RedisError) as error:
        return {"ok": False, "count": 0, "error": error.__class__.__name__}
    return {"ok": bool(replies), "count": len(replies)}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Report each dependency; answer 200 while the database answers, 503 otherwise."""
    database = _database()
    redis_state = _redis()
    workers = _workers(redis_state["ok"])
    status = "ok" if database["ok"] and redis_state["ok"] and workers["ok"] else "degraded"
    if not database["ok"]:
        status = "down"
    return JsonResponse(
        {"status": status, "database": database, "redis": redis_state, "workers": workers},
        status=200 if database["ok"] else 503,
    )
