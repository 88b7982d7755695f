"""The portal's URLs and one API view that does part of its work, then fails."""

from django.urls import path
from rest_framework.decorators import api_view

from access.models import AuditEvent
from neaspec_portal.urls import handler404, handler500
from neaspec_portal.urls import urlpatterns as portal_urlpatterns


@api_view(["POST"])
def half_done(request):
    AuditEvent.objects.create(action="test.half_done", object_type="test", object_id="1")
    raise RuntimeError("deliberate failure after part of the work")


urlpatterns = [path("api/v1/half-done/", half_done), *portal_urlpatterns]

__all__ = ["handler404", "handler500", "urlpatterns"]
