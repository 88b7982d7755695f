"""Django's Redis cache: one client per connection pool, and no request fails with Redis.

Django's ``RedisCacheClient`` builds a new ``redis.Redis`` for every cache operation, and
redis-py fills some 170 response callbacks in each: 0.3 ms of a 1.1 ms cached page. A
client is safe to share between threads; its pool hands out the connections.

The cache only ever saves work, so Redis being down, full or slow must cost speed, not
answers: a failed operation reads as a miss (``get`` returns the default, ``add`` and
``touch`` return False, writes are dropped) and is logged as a warning at most once per
``WARNING_INTERVAL`` seconds per process. After a failure the process leaves Redis alone
for ``RETRY_AFTER`` seconds (every request would otherwise wait for a refused or timed-out
connection, several times), then tries again. Writes dropped meanwhile (the page cache's
generation, ``neaspec_portal.page_cache``) may leave stale entries behind once Redis is
back, so the first success after an outage runs the ``on_recovery`` callbacks.
"""

import functools
import logging
import threading
import time
from collections.abc import Callable

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

#: Seconds without trying Redis after it failed.
RETRY_AFTER = 5.0
#: Seconds between two warnings of one process about a failing Redis.
WARNING_INTERVAL = 60.0

_MISSING = object()


class _Outage:
    """The state of Redis as one process has seen it: down since when, warned when."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.retry_at = 0.0
        self.warned_at = float("-inf")
        self.failures = 0
        self.down = False
        self.on_recovery: list[Callable[[], None]] = []

    def skipping(self) -> bool:
        return self.down and time.monotonic() < self.retry_at

    def failed(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        with self.lock:
            self.down = True
            self.retry_at = now + RETRY_AFTER
            self.failures += 1
            if now - self.warned_at < WARNING_INTERVAL:
                return
            self.warned_at, failures, self.failures = now, self.failures, 0
        logger.warning(
            "Redis cache unavailable (%s failed: %s; %d failure(s) since the last warning); "
            "serving without the cache.",
            operation,
            error,
            failures,
        )

    def succeeded(self) -> None:
        if not self.down:
            return
        with self.lock:
            if not self.down:
                return
            self.down = False
        logger.warning("Redis cache available again.")
        for callback in self.on_recovery:
            callback()


outage = _Outage()


def on_recovery(callback: Callable[[], None]) -> None:
    """Call ``callback`` when Redis answers again after this process saw it fail."""
    if callback not in outage.on_recovery:
        outage.on_recovery.append(callback)


def _degrading(fallback: object = None):
    """Run the operation against Redis; on any Redis error return ``fallback`` instead.

    ``fallback`` may be an exception class: ``incr`` of a key Redis cannot read raises
    ``ValueError``, as for a missing key.
    """

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            result = _MISSING
            if not outage.skipping():
                try:
                    result = method(self, *args, **kwargs)
                except RedisError as error:
                    outage.failed(method.__name__, error)
                else:
                    outage.succeeded()
                    return result
            if isinstance(fallback, type) and issubclass(fallback, Exception):
                raise fallback("The cache is unavailable.")
            if method.__name__ == "get":
                return args[1] if len(args) > 1 else kwargs.get("default")
            return fallback() if callable(fallback) else fallback

        return wrapper

    return decorate


class _SharedClients(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client

    add = _degrading(False)(RedisCacheClient.add)
    get = _degrading()(RedisCacheClient.get)
    set = _degrading()(RedisCacheClient.set)
    touch = _degrading(False)(RedisCacheClient.touch)
    delete = _degrading(False)(RedisCacheClient.delete)
    get_many = _degrading(dict)(RedisCacheClient.get_many)
    has_key = _degrading(False)(RedisCacheClient.has_key)
    incr = _degrading(ValueError)(RedisCacheClient.incr)
    set_many = _degrading()(RedisCacheClient.set_many)
    delete_many = _degrading()(RedisCacheClient.delete_many)
    clear = _degrading(False)(RedisCacheClient.clear)


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _SharedClients
