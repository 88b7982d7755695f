"""Views that write with and without an audit event, for the tests of the check itself."""

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path

from access.services import audit_record
from species.models import Theme


def unaudited(request: HttpRequest) -> HttpResponse:
    Theme.objects.create(code="created-unaudited", name_en="Unaudited")
    return HttpResponse("written")


def renamed_in_bulk(request: HttpRequest) -> HttpResponse:
    Theme.objects.filter(code="unaudited").update(name_en="Renamed")
    return HttpResponse("written")


def audited(request: HttpRequest) -> HttpResponse:
    theme = Theme.objects.create(code="audited", name_en="Audited")
    audit_record(actor=None, action="test.add", obj=theme)
    return HttpResponse("written")


def rolled_back(request: HttpRequest) -> HttpResponse:
    try:
        with transaction.atomic():
            Theme.objects.create(code="rolled-back", name_en="Rolled back")
            raise ValueError("refused")
    except ValueError:
        return HttpResponse("nothing written", status=400)


urlpatterns = [
    path("unaudited/", unaudited),
    path("renamed/", renamed_in_bulk),
    path("audited/", audited),
    path("rolled-back/", rolled_back),
]
