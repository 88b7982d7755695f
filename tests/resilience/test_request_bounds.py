"""Bounded requests: deep JSON and over-long credentials are refused before any real work."""

import io
import json
from collections.abc import Iterator
from datetime import date

import pytest
from django.urls import get_resolver
from rest_framework import serializers
from rest_framework.exceptions import ParseError

from neaspec_portal.parsers import (
    MAX_DEPTH,
    DepthLimitedJSONField,
    DepthLimitedJSONParser,
    json_too_deep,
)
from publications import events_services

PROJECT_APPS = {"access", "accounts", "datasets", "publications", "search", "species", "maps"}

DEEP = "[" * 5000 + "]" * 5000


def _nested(depth: int) -> str:
    return '{"a":' * (depth - 1) + "[]" + "}" * (depth - 1)


@pytest.mark.parametrize(
    "url", ["/api/v1/auth/token/", "/api/v1/datasets/", "/api/v1/publications/", "/data/new/"]
)
def test_a_body_nested_5000_deep_gets_400_and_a_reason(url, client, researcher_a):
    client.force_login(researcher_a)
    answer = client.post(url, DEEP, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["detail"] == f"The JSON body is nested more than {MAX_DEPTH} levels deep."


def test_a_body_just_past_the_limit_is_refused_and_one_at_it_is_parsed(client):
    assert (
        client.post(
            "/api/v1/auth/token/", _nested(MAX_DEPTH + 1), content_type="application/json"
        ).status_code
        == 400
    )
    at_limit = client.post(
        "/api/v1/auth/token/", _nested(MAX_DEPTH), content_type="application/json"
    )
    # Parsed, then refused for what it says, not for its shape.
    assert at_limit.status_code == 400
    assert "username" in at_limit.json()


def test_the_drf_parser_refuses_depth_on_its_own():
    parser = DepthLimitedJSONParser()
    with pytest.raises(ParseError, match="nested more than"):
        parser.parse(io.BytesIO(DEEP.encode()), "application/json", {})
    with pytest.raises(ParseError, match="nested more than"):
        parser.parse(io.BytesIO(_nested(MAX_DEPTH + 1).encode()), "application/json", {})
    assert parser.parse(io.BytesIO(b'{"a": [1, {"b": 2}]}'), "application/json", {}) == {
        "a": [1, {"b": 2}]
    }


@pytest.mark.parametrize(
    "body, deep",
    [
        (DEEP, True),
        (_nested(MAX_DEPTH + 1), True),
        (_nested(MAX_DEPTH), False),
        # Brackets inside strings, escaped quotes included, are text, not nesting.
        (json.dumps({"a": "[" * 100 + '\\"' + "{" * 100}), False),
        (json.dumps([{"a": [1, {"b": "]]]"}]}] * 1000), False),
        ("[" * 40, False),  # not JSON: the parser says so
        ('"just a string"', False),
    ],
)
def test_depth_is_counted_outside_strings(body, deep):
    assert json_too_deep(body.encode()) is deep


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("username", "u" * 256, "no more than 150 characters"),
        ("password", "p" * 10_000, "no more than 4096 characters"),
    ],
)
def test_the_token_endpoint_refuses_overlong_credentials(field, value, message, client, db):
    body = {"username": "someone", "password": "secret", field: value}
    answer = client.post("/api/v1/auth/token/", body, content_type="application/json")
    assert answer.status_code == 400
    assert message in answer.json()[field][0]


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("username", "u" * 256, "at most 150 characters (it has 256)"),
        ("password", "p" * 10_000, "at most 4096 characters (it has 10000)"),
    ],
)
@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_the_sign_in_pages_refuse_overlong_credentials(
    url, field, value, message, client, django_assert_max_num_queries
):
    body = {"username": "someone", "password": "secret", field: value}
    # No account is looked up and no failure recorded: the form stops at the lengths.
    with django_assert_max_num_queries(0):
        answer = client.post(url, body)
    assert answer.status_code == 200
    assert message in answer.content.decode()


def test_json_sent_inside_a_form_field_is_bounded_too(client, secretariat):
    # The middleware and the parser see a multipart form; the field decodes its own JSON.
    event = events_services.event_save(
        actor=secretariat,
        title="Workshop",
        type="workshop",
        start_date=date(2025, 4, 7),
        end_date=date(2025, 4, 7),
        city="Ulaanbaatar",
    )
    client.force_login(secretariat)
    answer = client.post(
        f"/api/v1/events/{event.pk}/materials/",
        {
            "kind": "recording",
            "title": "Opening",
            "link": "https://example.org/r",
            "speakers": DEEP,
        },
    )
    assert answer.status_code == 400
    message = f"The JSON body is nested more than {MAX_DEPTH} levels deep."
    assert answer.json()["speakers"] == [message]


def _serializer_classes(base: type) -> Iterator[type]:
    for subclass in base.__subclasses__():
        yield subclass
        yield from _serializer_classes(subclass)


def test_every_json_field_of_the_api_is_depth_limited():
    get_resolver().url_patterns  # noqa: B018 - importing the URL conf imports every API module
    ours = [
        serializer
        for serializer in _serializer_classes(serializers.Serializer)
        if serializer.__module__.split(".")[0] in PROJECT_APPS
    ]
    assert len(ours) > 20, ours  # the API's serializers were found
    plain = sorted(
        f"{serializer.__module__}.{serializer.__qualname__}.{name}"
        for serializer in ours
        for name, field in serializer._declared_fields.items()
        if isinstance(field, serializers.JSONField) and not isinstance(field, DepthLimitedJSONField)
    )
    assert plain == [], "Use neaspec_portal.parsers.DepthLimitedJSONField for these: " + str(plain)
