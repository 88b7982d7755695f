"""URLs with a view that fails, to see the 500 page."""

from django.urls import path

from neaspec_portal.urls import handler404, handler500
from neaspec_portal.urls import urlpatterns as portal_urlpatterns


def crash(request):
    raise RuntimeError("deliberate failure")


urlpatterns = [path("crash/", crash), *portal_urlpatterns]

__all__ = ["handler404", "handler500", "urlpatterns"]
