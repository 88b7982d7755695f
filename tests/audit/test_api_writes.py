"""Every write operation of the API, exercised once with good input, audits what it changes.

The operations are read from the URL patterns (the DRF routes and views), so a new write
operation fails ``test_every_api_write_operation_is_exercised_and_audited`` until the tour
below exercises it; each request of the tour goes through the audit check of
``tests.audit.writes`` like every other request of the tests.
"""

import json
import re
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, resolve
from django.utils import timezone

from access.models import AuditEvent
from datasets.models import DataFile
from tests.factories import DatasetFactory
from tests.processing.files import simple_pdf

WRITES = ("post", "put", "patch", "delete")


def _routes(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def _normal(route: str) -> str:
    """Return ``route`` as one spelling: ``api/v1/datasets/{pk}/files/``."""
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)
    route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    return route.replace("^", "").replace("$", "")


def api_write_operations() -> set[tuple[str, str]]:
    """Return (METHOD, route) of every write operation under /api/."""
    found = set()
    for route, pattern in _routes():
        if not route.startswith("api/") or "format" in route:
            continue
        actions = getattr(pattern.callback, "actions", None)
        view = getattr(pattern.callback, "cls", None)
        if actions:
            methods = [method for method in actions if method in WRITES]
        elif view is not None:
            methods = [method for method in WRITES if hasattr(view, method)]
        else:
            methods = []
        found |= {(method.upper(), _normal(route)) for method in methods}
    return found


class Tour:
    """A test client that remembers which operations it exercised with a 2xx answer."""

    def __init__(self, client):
        self.client = client
        self.exercised: set[tuple[str, str]] = set()

    def as_(self, user) -> "Tour":
        self.client.force_login(user)
        return self

    def call(self, method: str, path: str, body=None, *, json_body=True, status=200):
        send = getattr(self.client, method.lower())
        if json_body and body is not None:
            response = send(path, json.dumps(body), content_type="application/json")
        elif body is not None:
            response = send(path, body)
        else:
            response = send(path)
        assert response.status_code == status, (method, path, response.content[:500])
        self.exercised.add((method, _normal(resolve(path).route)))
        return response.json() if response.content else None


def _datasets(tour, researcher_a, researcher_b, focal_point_a, secretariat):
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    tour.as_(researcher_a)
    body = {"title": "Sign survey", "method": "sign_survey", "licence": "CC0-1.0"}
    pk = tour.call("POST", "/api/v1/datasets/", body, status=201)["id"]
    tour.call("PATCH", f"/api/v1/datasets/{pk}/", {"species": ["TIGER_AMUR"]})
    upload = SimpleUploadedFile("tracks.csv", b"timestamp,location-long,location-lat\n")
    tour.call(
        "POST", f"/api/v1/datasets/{pk}/files/", {"file": [upload]}, json_body=False, status=201
    )
    DataFile.objects.filter(dataset_id=pk).update(state="ready")  # as the worker leaves it
    tour.call("POST", f"/api/v1/datasets/{pk}/submit/")
    tour.as_(focal_point_a).call("POST", f"/api/v1/datasets/{pk}/review/", {"decision": "approve"})
    tour.as_(researcher_a)
    body = {"change_note": "More transects"}
    draft = tour.call("POST", f"/api/v1/datasets/{pk}/versions/", body, status=201)["id"]
    tour.call("DELETE", f"/api/v1/datasets/{draft}/", status=204)

    asked = [
        tour.as_(researcher_b).call(
            "POST",
            f"/api/v1/datasets/{restricted.pk}/access-requests/",
            {"purpose": "Population estimate", "wanted_until": until},
            status=201,
        )["id"]
        for restricted in DatasetFactory.create_batch(
            2, uploader=researcher_a, access_level="restricted"
        )
    ]
    tour.as_(researcher_a).call(
        "POST", f"/api/v1/access-requests/{asked[0]}/recommend/", {"recommendation": "grant"}
    )
    tour.as_(focal_point_a)
    tour.call("POST", f"/api/v1/datasets/{pk}/delegate-access/", {"uploader_answers": True})
    tour.call("POST", f"/api/v1/access-requests/{asked[0]}/grant/", {"until": until})
    tour.call("POST", f"/api/v1/access-requests/{asked[1]}/decline/", {"reason": "Too broad"})
    grant = tour.client.get("/api/v1/grants/").json()["results"][0]["id"]
    tour.call("POST", f"/api/v1/grants/{grant}/revoke/")
    tour.call("POST", f"/api/v1/datasets/{pk}/withdraw/", {"reason": "Superseded in 2026"})
    tour.as_(secretariat).call("POST", f"/api/v1/datasets/{pk}/restore/")


def _library(tour, researcher_a, focal_point_a, secretariat):
    tour.as_(researcher_a)
    body = {"type": "report", "title": "Crane flyways", "year": 2024, "language": "en"}
    pk = tour.call("POST", "/api/v1/publications/", body, status=201)["id"]
    tour.call("PATCH", f"/api/v1/publications/{pk}/", {"title": "Crane flyways of Dauria"})
    upload = SimpleUploadedFile("report.pdf", simple_pdf("Cranes"))
    tour.call(
        "POST", f"/api/v1/publications/{pk}/files/", {"file": [upload]}, json_body=False, status=201
    )
    tour.as_(focal_point_a).call(
        "POST", f"/api/v1/publications/{pk}/review/", {"decision": "approve"}
    )

    tour.as_(secretariat)
    event = {
        "type": "expert_meeting",
        "title": "Flyway monitoring",
        "start_date": "2025-05-20",
        "end_date": "2025-05-21",
        "city": "Ulaanbaatar",
    }
    event_pk = tour.call("POST", "/api/v1/events/", event, status=201)["id"]
    tour.call("PATCH", f"/api/v1/events/{event_pk}/", {"venue": "Ministry of Environment"})
    tour.call("POST", f"/api/v1/events/{event_pk}/sessions/", {"title": "Opening"}, status=201)
    material = {"kind": "recording", "title": "Opening", "link": "https://example.org/opening"}
    added = tour.call(
        "POST", f"/api/v1/events/{event_pk}/materials/", material, json_body=False, status=201
    )
    order = [item["id"] for item in added["materials"]]
    tour.call("PUT", f"/api/v1/events/{event_pk}/materials/order/", {"material_ids": order[::-1]})
    participants = {"rows": [{"country": "MN", "women": 3, "men": 2}], "total": 5}
    tour.call("PUT", f"/api/v1/events/{event_pk}/participants/", participants)
    tour.call("POST", f"/api/v1/events/{event_pk}/publish/", None)


def test_every_api_write_operation_is_exercised_and_audited(
    client, researcher_a, researcher_b, focal_point_a, secretariat, password
):
    tour = Tour(client)
    _datasets(tour, researcher_a, researcher_b, focal_point_a, secretariat)
    _library(tour, researcher_a, focal_point_a, secretariat)
    client.logout()
    token = tour.call(
        "POST",
        "/api/v1/auth/token/",
        {"username": researcher_a.username, "password": password},
        json_body=False,
    )["token"]
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token}"
    tour.call("DELETE", "/api/v1/auth/token/", status=204)

    operations = api_write_operations()
    assert len(operations) >= 20, operations  # the routes were read
    missing = operations - tour.exercised
    assert not missing, f"Add these API operations to the tour above: {sorted(missing)}"
    assert AuditEvent.objects.filter(action="api_token.revoke").exists()
