"""Every change to an event is audited, through the pages and the API alike, and only the
secretariat makes one."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from access.models import AuditEvent
from publications import events_services
from publications.models import Material
from tests.publications_api.event_support import EVENT_PAGE, material

pytestmark = pytest.mark.django_db


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


def test_every_event_change_through_the_pages_is_audited(client, secretariat, event):
    client.force_login(secretariat)
    AuditEvent.objects.all().delete()
    first = material(secretariat, event, "First")
    second = material(secretariat, event, "Second")
    edit = reverse("publications:event_edit", args=[event.pk])
    session = event.sessions.get()
    posts = [
        (edit, {**EVENT_PAGE, "title": "Workshop on crane flyways, 2025"}),
        (
            reverse("publications:session_add", args=[event.pk]),
            {"new-session-title": "Flyways", "new-session-order": "2"},
        ),
        (
            reverse("publications:session_edit", args=[event.pk, session.pk]),
            {f"session-{session.pk}-title": "Welcome", f"session-{session.pk}-order": "0"},
        ),
        (reverse("publications:participants_edit", args=[event.pk]), {"MN_women": "5"}),
        (
            reverse("publications:materials_reorder", args=[event.pk]),
            {"order": f"{second.pk},{first.pk}"},
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 302, url
    assert _actions() == [
        "event.material.add",
        "event.material.add",
        "event.update",
        "event.session.add",
        "event.session.update",
        "event.participants.set",
        "event.materials.reorder",
    ]
    reorder = AuditEvent.objects.get(action="event.materials.reorder")
    assert (reorder.actor, reorder.detail["order"]) == (secretariat, [second.pk, first.pk])
    assert AuditEvent.objects.get(action="event.participants.set").detail == {
        "counts": {"MN": [5, 0, 0]}
    }


def test_every_event_change_through_the_api_is_audited(client, secretariat, event):
    client.force_login(secretariat)
    AuditEvent.objects.all().delete()
    base = f"/api/v1/events/{event.pk}/"

    def send(method, url, body):
        response = getattr(client, method)(url, json.dumps(body), content_type="application/json")
        assert response.status_code in (200, 201), response.content

    send("patch", base, {"title": "Renamed"})
    send("post", base + "sessions/", {"title": "Flyways"})
    send("put", base + "participants/", {"rows": [{"country": "MN", "women": 2}], "total": 2})
    first = material(secretariat, event, "First")
    second = material(secretariat, event, "Second")
    send("put", base + "materials/order/", {"material_ids": [second.pk, first.pk]})
    assert _actions() == [
        "event.update",
        "event.session.add",
        "event.participants.set",
        "event.material.add",
        "event.material.add",
        "event.materials.reorder",
    ]
    assert list(Material.objects.order_by("order").values_list("title", flat=True)) == [
        "Second",
        "First",
    ]


def test_only_the_secretariat_reorders_materials(client, secretariat, researcher_a, event):
    first = material(secretariat, event, "First")
    client.force_login(researcher_a)
    response = client.put(
        f"/api/v1/events/{event.pk}/materials/order/",
        json.dumps({"material_ids": [first.pk]}),
        content_type="application/json",
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        events_services.materials_reorder(actor=researcher_a, event=event, material_ids=[])
    assert not AuditEvent.objects.filter(action="event.materials.reorder").exists()
