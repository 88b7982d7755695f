"""What each pytest-xdist worker keeps to itself: a Redis database and a media directory.

``pytest -n 2`` (``make test``) runs the suite in two processes, gw0 and gw1. pytest-django
gives each its own test database (``test_<name>_gw0``); Redis and files are separated here:

- Redis: gw0 uses the database of ``REDIS_URL``, gw1 the one below it, and so on (``make
  test``: 15 and 14), so that a test emptying its cache or reading its queue never meets the
  other worker's keys. Settings are read before any conftest is imported, so the URL is
  changed in the settings, the Celery app and the environment that subprocesses inherit.
- Files: ``MEDIA_ROOT`` is a directory of the session's own temporary directory, serial runs
  too, never the development server's ``.data/media``.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.test import override_settings

from neaspec_portal.celery import app as celery_app

#: Redis has databases 0 to 15 unless configured otherwise.
REDIS_DATABASES = 16


def worker_index() -> int | None:
    """Return the number of this xdist worker (0 for gw0), or None outside xdist."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(name.removeprefix("gw")) if name.startswith("gw") else None


def worker_redis_url(url: str, index: int) -> str:
    """Return ``url`` with its database moved ``index`` down (wrapping below 0)."""
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0)
    own = (database - index) % REDIS_DATABASES
    return urlunsplit(parts._replace(path=f"/{own}"))


def use_worker_redis() -> None:
    """Point the cache, the Celery broker and subprocesses at this worker's Redis database."""
    index = worker_index()
    if index is None or index == 0:
        return  # serial runs and gw0 keep REDIS_URL's database
    url = worker_redis_url(settings.REDIS_URL, index)
    os.environ["REDIS_URL"] = url
    settings.REDIS_URL = url
    settings.CELERY_BROKER_URL = url
    default = settings.CACHES["default"]
    if "LOCATION" in default:
        settings.CACHES = {**settings.CACHES, "default": {**default, "LOCATION": url}}
    celery_app.conf.broker_url = url


@contextmanager
def private_media(root: Path) -> Iterator[Path]:
    """Make ``root`` MEDIA_ROOT, of the settings and of the subprocesses' environment."""
    root.mkdir(parents=True, exist_ok=True)
    before = os.environ.get("MEDIA_ROOT")
    os.environ["MEDIA_ROOT"] = str(root)
    try:
        with override_settings(MEDIA_ROOT=root):
            yield root
    finally:
        if before is None:
            del os.environ["MEDIA_ROOT"]
        else:
            os.environ["MEDIA_ROOT"] = before
