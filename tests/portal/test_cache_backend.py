"""The Redis cache backend shares one client per connection pool (real Redis)."""

import uuid

from django.conf import settings
from django.core.cache import caches
from django.test import override_settings

REDIS_CACHE = {
    "redis": {
        "BACKEND": "neaspec_portal.cache.SharedClientRedisCache",
        "LOCATION": settings.REDIS_URL,
        "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
    }
}


@override_settings(CACHES={**settings.CACHES, **REDIS_CACHE})
def test_it_reuses_one_client_and_still_reads_and_writes():
    cache = caches["redis"]
    assert cache._cache.get_client() is cache._cache.get_client()
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=True)
    cache.set_many({"a": 1, "b": ("page", "<html>")})
    assert cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": ("page", "<html>")}
    assert cache.add("a", 2) is False
    cache.delete_many(["a", "b"])
    assert cache.get("a") is None
