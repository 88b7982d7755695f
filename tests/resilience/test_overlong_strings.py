"""Every string of every write operation in the API schema, 50,001 characters long: a 400.

The operations and their fields come from drf-spectacular's own generator, so a new
endpoint or field is covered without a change here. One request per (operation, field),
the field over-long and the others absent, by someone who may reach the serializer.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from datasets.models import AccessGrant, AccessRequest
from publications.models import Event, Publication
from tests.factories import DatasetFactory

LONG = "x" * 50_001
WRITES = ("post", "put", "patch")
#: Who sends the requests of a path: a focal point decides, the secretariat runs events.
DECIDERS = ("/review/", "/decline/", "/grant/", "/revoke/")


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _string_fields(schema: dict, operation: dict) -> tuple[str, list[tuple[str, bool, bool]]]:
    """Return the media type to send and (name, is a list, has a maximum) of each string."""
    content = operation.get("requestBody", {}).get("content", {})
    media = "application/json" if "application/json" in content else "multipart/form-data"
    if media not in content:
        return media, []
    body = _resolve(schema, content[media]["schema"])
    fields = []
    for name, prop in body.get("properties", {}).items():
        prop = _resolve(schema, prop)
        if prop.get("readOnly"):
            continue
        items = _resolve(schema, prop.get("items", {}))
        if prop.get("type") == "string" and prop.get("format") != "binary":
            fields.append((name, False, "maxLength" in prop or "enum" in prop))
        elif prop.get("type") == "array" and items.get("type") == "string":
            fields.append((name, True, "maxLength" in items or "enum" in items))
    return media, fields


def _write_operations() -> list[tuple[str, str, str, str, bool, bool]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    cases = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in WRITES:
                continue
            media, fields = _string_fields(schema, operation)
            cases += [(method, path, media, *field) for field in fields]
    return cases


CASES = _write_operations()
#: A body valid but for the over-long field, so that a 400 is about that field.
VALID = {
    ("post", "/api/v1/auth/token/"): {"username": "someone", "password": "secret"},
    ("post", "/api/v1/datasets/"): {
        "title": "Sign survey",
        "method": "sign_survey",
        "licence": "CC0-1.0",
        "access_level": "public",
        "species": ["TIGER_AMUR"],
        "sites": ["RU_LAND_OF_LEOPARD"],
    },
    ("post", "/api/v1/publications/"): {
        "type": "report",
        "title": "Crane migration",
        "year": 2023,
        "language": "en",
        "visibility": "public",
    },
    ("post", "/api/v1/events/"): {
        "title": "Expert meeting",
        "type": "expert_meeting",
        "start_date": "2025-05-20",
        "end_date": "2025-05-21",
    },
    ("post", "/api/v1/events/{id}/sessions/"): {"title": "Opening", "order": 1},
    ("post", "/api/v1/datasets/{id}/access-requests/"): {
        "purpose": "Density estimate",
        "wanted_until": (date.today() + timedelta(days=60)).isoformat(),
    },
    ("post", "/api/v1/datasets/{id}/review/"): {"decision": "return", "comment": "Fix dates"},
    ("post", "/api/v1/datasets/{id}/withdraw/"): {"reason": "Duplicate"},
    ("post", "/api/v1/publications/{id}/review/"): {"decision": "return", "comment": "Fix"},
}
#: Paths whose {id} is another object than the resource's first one.
OTHER_OBJECT = {
    "/api/v1/datasets/{id}/access-requests/": "published",
    "/api/v1/datasets/{id}/review/": "submitted",
    "/api/v1/datasets/{id}/withdraw/": "published",
}


@pytest.fixture
def ids(researcher_a, researcher_b, focal_point_a, secretariat) -> dict[str, int]:
    """One object per resource of the paths, in a state where writing to it is allowed."""
    dataset = DatasetFactory(uploader=researcher_a, status="draft")
    submitted = DatasetFactory(uploader=researcher_a, status="submitted")
    published = DatasetFactory(uploader=researcher_b, access_level="restricted")
    grant = AccessGrant.objects.create(
        dataset=published,
        user=researcher_a,
        granted_by=focal_point_a,
        expires_at=timezone.now() + timedelta(days=30),
    )
    request = AccessRequest.objects.create(
        dataset=published,
        requester=researcher_a,
        purpose="Density estimate",
        wanted_until=date.today() + timedelta(days=60),
    )
    publication = Publication.objects.create(
        type="report",
        title="Leopard report",
        year=2024,
        language="en",
        uploader=researcher_a,
        owner_country_id="KR",
    )
    event = Event.objects.create(
        status="published",
        title="Workshop",
        type="workshop",
        start_date=date(2024, 8, 28),
        end_date=date(2024, 8, 29),
        created_by=secretariat,
    )
    return {
        "published": published.pk,
        "submitted": submitted.pk,
        "datasets": dataset.pk,
        "access-requests": request.pk,
        "grants": grant.pk,
        "publications": publication.pk,
        "events": event.pk,
    }


@pytest.mark.parametrize("method, path, media, field, many, bounded", CASES)
def test_an_overlong_string_is_refused_not_a_server_error(
    method, path, media, field, many, bounded, client, ids, researcher_a, focal_point_a, secretariat
):
    resource = path.removeprefix("/api/v1/").split("/")[0]
    url = path.replace("{id}", str(ids[OTHER_OBJECT.get(path, resource)] if "{id}" in path else 0))
    if any(part in path for part in DECIDERS):
        client.force_login(focal_point_a)
    elif resource == "events":
        client.force_login(secretariat)
    elif resource != "auth":
        client.force_login(researcher_a)
    body = {**VALID.get((method, path), {}), field: [LONG] if many else LONG}
    if media == "application/json":
        answer = getattr(client, method)(url, body, content_type="application/json")
    else:
        answer = getattr(client, method)(url, body)
    where = f"{method.upper()} {path} with a 50,001-character {field}"
    assert answer.status_code < 500, f"{where}: {answer.status_code}"
    assert answer.status_code in (400, 403, 404, 409), f"{where}: {answer.status_code}"
