"""Periodic work that must run once at a time, however many beats and workers there are.

Compose runs a single ``beat`` service, but a second beat started by mistake (an operator's
``celery beat`` on another host, a worker started with ``-B``) would send every periodic task
twice, and a slow run may still be going when the next tick comes. ``run_once(name)`` takes
a PostgreSQL session advisory lock named after the task; a second run finds it taken and
skips. The database holds the lock, so it is shared by every node, and it is released when
the holder's connection ends: a worker killed mid-run leaves no stale lock behind (a Redis
lock with an expiry would have to guess how long the work takes).
"""

import logging
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

from django.db import connection

logger = logging.getLogger(__name__)

#: The first key of the two-key advisory lock: the hub's own namespace, so that its locks
#: never collide with another application's on the same database.
LOCK_NAMESPACE = 0x4E45  # "NE"

P = ParamSpec("P")
R = TypeVar("R")


def _lock_key(name: str) -> int:
    # crc32 fits PostgreSQL's int4 once shifted into the signed range.
    return zlib.crc32(name.encode()) - 2**31


@contextmanager
def run_once(name: str) -> Iterator[bool]:
    """Hold the lock ``name`` for the block; yield whether this run holds it.

    A run that yields False must do nothing: another one is under way.
    """
    key = _lock_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, key])
        acquired = bool(cursor.fetchone()[0])
    if not acquired:
        logger.info("Skipped %s: another run holds its lock.", name)
        yield False
        return
    try:
        yield True
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, key])


def single_run(name: str, *, skipped: R) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a periodic task body so that it runs under ``run_once(name)``.

    ``skipped`` is what the task returns when another run holds the lock.
    """

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            with run_once(name) as acquired:
                if not acquired:
                    return skipped
                return function(*args, **kwargs)

        return wrapper

    return decorate
