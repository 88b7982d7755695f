"""Request ids and structured logs, through web and worker alike.

Every request gets an id: a sane ``X-Request-ID`` sent by the proxy or client, else a new
one. It is answered back in ``X-Request-ID``, stamped on every log line written while the
request runs, and carried in the headers of each Celery task queued meanwhile, so the
worker's lines about that task carry it too. One line per request sums it up: path,
status, duration, and the account's id (never a name or an address: the audit trail keeps
those, under its own rules).

``LOG_FORMAT=json`` (production) writes one JSON object per line; ``text`` (the default in
development) a readable line with the id in brackets.
"""

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from typing import Any

from celery.signals import before_task_publish, task_postrun, task_prerun
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

#: The id of the request or task this thread is working for ("" outside both).
current_request_id: ContextVar[str] = ContextVar("request_id", default="")

#: What an incoming id may look like: letters, digits and ``-_.:``, 8 to 128 of them.
#: Anything else (too long, spaces, control characters) is replaced, never echoed.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
HEADER = "X-Request-ID"
#: The Celery message header that carries the id to the worker.
TASK_HEADER = "request_id"

#: Attributes a log call may add with ``extra=`` that the JSON line keeps.
FIELDS = ("user_id", "method", "path", "status", "duration_ms", "task", "task_id", "state")

request_logger = logging.getLogger("neaspec_portal.request")
task_logger = logging.getLogger("neaspec_portal.task")


def new_request_id() -> str:
    """Return a fresh id: 32 hexadecimal digits."""
    return uuid.uuid4().hex


def accepted_request_id(value: str | None) -> str:
    """Return ``value`` if it is a sane id, else a fresh one."""
    if value and SANE_REQUEST_ID.fullmatch(value):
        return value
    return new_request_id()


def _user_id(request: HttpRequest) -> int | None:
    # Only if something already looked the user up: asking here would cost a query on
    # pages that never needed to know (a visitor's cached list).
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


class RequestIdMiddleware:
    """Give the request its id, answer it back, and log one line when the answer is ready."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = accepted_request_id(request.headers.get(HEADER))
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "user_id": _user_id(request),
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            current_request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Stamp each record with the current request's id ("-" outside any)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id.get() or "-"
        return True


def _record_request_id(record: logging.LogRecord) -> str | None:
    stamped = getattr(record, "request_id", None)
    if stamped and stamped != "-":
        return stamped
    return current_request_id.get() or None


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            "request_id": _record_request_id(record),
        }
        for field in FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                line[field] = value
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


# Celery -------------------------------------------------------------------------------------


@before_task_publish.connect
def _send_request_id(headers: dict | None = None, **_kwargs: Any) -> None:
    """Put the current request's id into the headers of a task it queues."""
    request_id = current_request_id.get()
    if headers is not None and request_id and TASK_HEADER not in headers:
        headers[TASK_HEADER] = request_id


#: Per running task (by id): the token to restore the previous id with, and when it began.
#: A task run in-process (eager, in development) restores the request's id when it ends.
_running: dict[str, tuple[Token[str], float]] = {}


@task_prerun.connect
def _take_request_id(task_id: str = "", task: Any = None, **_kwargs: Any) -> None:
    """Work under the id the task was queued with, else the current one, else a fresh one."""
    sent = getattr(task.request, TASK_HEADER, None) if task is not None else None
    request_id = accepted_request_id(sent) if sent else current_request_id.get()
    token = current_request_id.set(request_id or new_request_id())
    _running[task_id] = (token, time.perf_counter())


@task_postrun.connect
def _log_task(task_id: str = "", task: Any = None, state: str | None = None, **_kw: Any) -> None:
    """Log one line per task run, then go back to the id from before it."""
    token, started = _running.pop(task_id, (None, time.perf_counter()))
    name = getattr(task, "name", "?")
    task_logger.info(
        "task %s %s",
        name,
        state,
        extra={
            "task": name,
            "task_id": task_id,
            "state": state,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )
    if token is not None:
        current_request_id.reset(token)


def logging_config(log_format: str, level: str) -> dict:
    """Return Django's ``LOGGING`` for ``json`` or ``text`` lines."""
    formatter = (
        {"()": JsonFormatter}
        if log_format == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"line": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "line",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
            # runserver prints its own line per request; the portal's says the same.
            "django.server": {"level": "WARNING"},
        },
    }
