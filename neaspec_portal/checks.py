"""Deployment checks of the hub (``manage.py check --deploy``): state shared by every node."""

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

#: Cache backends that keep their entries inside one process.
PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def cache_shared_by_every_process(**_kwargs) -> list[CheckMessage]:
    """Warn when the cache lives in one process: replicas would disagree about it."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Warning(
            f"The cache ({backend}) lives inside each process, so gunicorn's processes and "
            "the web replicas each keep their own: the visitors' page cache and the "
            "throttles would differ between them.",
            hint="Set USE_REDIS_CACHE=1 (the default when DEBUG is off) and REDIS_URL.",
            id="neaspec.W001",
        )
    ]
