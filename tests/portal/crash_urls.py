"""URLs with a view that fails, to see the 500 page."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from neaspec_portal.urls import handler403, handler404, handler500
from neaspec_portal.urls import urlpatterns as portal_urlpatterns


def crash(request):
    raise RuntimeError("deliberate failure")


def refuse(request):
    raise PermissionDenied


urlpatterns = [
    path("crash/", crash),
    path("api/v1/crash/", crash),
    path("refuse/", refuse),
    path("api/v1/refuse/", refuse),
    *portal_urlpatterns,
]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
