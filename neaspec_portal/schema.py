"""The error answers of the API, documented once for every operation of the OpenAPI schema.

drf-spectacular documents what a view returns when all goes well; the errors come from
layers it does not see: authentication (a bad, revoked or expired token is a 401; a token
of an account that holds keys but has no second factor, or a session write without its
CSRF token, a 403), the strict query-parameter reader and the serializers (400),
``access.policy``'s ``access_*`` functions, the paginator past the last page and an id
that matches no route (404), content negotiation (406, ``neaspec_portal.renderers``), DRF's
parsers (415) and, when throttling is configured, the throttles (429). Every one of them
answers with the JSON body of ``neaspec_portal.api_errors``. ``document_errors`` adds
those answers to each operation that can give them, so that clients and Schemathesis read
the truth; a status an operation documents itself (such as the 409 of a duplicate DOI) is
kept as written.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers
from rest_framework.settings import api_settings

METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
ERROR = "Error"
VALIDATION_ERROR = "ValidationError"

#: The bodies of ``neaspec_portal.api_errors``: DRF's ``{"detail": ...}``, and for a
#: refused input the messages by field name (nested as the input is).
COMPONENTS: dict[str, dict[str, Any]] = {
    ERROR: {
        "type": "object",
        "description": "What went wrong, in the caller's language.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    VALIDATION_ERROR: {
        "type": "object",
        "description": (
            "The refused input: messages by field or query parameter name (nested like the "
            "input for lists and objects), and under detail the messages that concern the "
            "request as a whole."
        ),
        "properties": {
            "detail": {
                "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
            }
        },
        "additionalProperties": {},
    },
}

DESCRIPTIONS = {
    "400": _("The input or a query parameter is invalid; the body says which and why."),
    "401": _("The token sent is invalid, revoked or expired, or the operation needs an account."),
    "403": _(
        "The account may see the object but not do this, must use two-factor sign-in, or a "
        "session write lacks its CSRF token."
    ),
    "404": _("No such object, or one the caller may not see; or a page past the last one."),
    "406": _("The Accept header or ?format= asks for a form this operation cannot give."),
    "415": _("The request body is in a media type this operation does not read."),
    "429": _("Too many requests; wait before trying again."),
}


#: DRF names the scheme to use in every 401 (the API's first authentication, the token).
CHALLENGE = {
    "WWW-Authenticate": {
        "description": "The scheme to authenticate with: Token.",
        "required": True,
        "schema": {"type": "string"},
    }
}


def _error_response(status: str, component: str) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": str(DESCRIPTIONS[status]),
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }
    if status == "401":
        response["headers"] = CHALLENGE
    return response


def _statuses(operation: dict[str, Any]) -> dict[str, str]:
    """Return the error statuses ``operation`` can answer, with the component of each body."""
    parameters = operation.get("parameters", [])
    locations = {parameter["in"] for parameter in parameters}
    names = {parameter["name"] for parameter in parameters}
    authenticated = any(scheme for scheme in operation.get("security", [{}]))
    statuses = {}
    if locations & {"query", "header"} or "requestBody" in operation:
        statuses["400"] = VALIDATION_ERROR
    if authenticated:
        statuses["401"] = ERROR
        statuses["403"] = ERROR
    if "path" in locations or "page" in names:
        statuses["404"] = ERROR
    statuses["406"] = ERROR
    if "requestBody" in operation:
        statuses["415"] = ERROR
    if api_settings.DEFAULT_THROTTLE_CLASSES:
        statuses["429"] = ERROR
    return statuses


def document_errors(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    """Add the error answers and their bodies to every operation (a postprocessing hook)."""
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status, component in _statuses(operation).items():
                responses.setdefault(status, _error_response(status, component))
    result.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    return result


#: The body of ``GET /api/v1/occurrences/`` (RFC 7946), with the portal's properties.
FEATURE_COLLECTION: dict[str, Any] = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "geometry": {
                        "type": "object",
                        "nullable": True,
                        "description": "Null when the coordinates are withheld.",
                        "required": ["type", "coordinates"],
                        "properties": {
                            "type": {"type": "string", "enum": ["Point"]},
                            "coordinates": {
                                "type": "array",
                                "items": {"type": "number"},
                                "minItems": 2,
                                "maxItems": 2,
                                "description": "Longitude, latitude (WGS 84).",
                            },
                        },
                    },
                    "properties": {
                        "type": "object",
                        "description": (
                            "Darwin Core terms: dataset, scientificName, species, eventDate, "
                            "and for generalized or withheld locations dataGeneralizations, "
                            "informationWithheld, coordinatePrecision and "
                            "coordinateUncertaintyInMeters."
                        ),
                        "additionalProperties": {},
                    },
                },
            },
        },
    },
}

#: The answers of a view rendered by ``neaspec_portal.renderers.GEOJSON_RENDERERS``.
GEOJSON_RESPONSES = {
    (200, "application/geo+json"): FEATURE_COLLECTION,
    (200, "application/json"): FEATURE_COLLECTION,
}


class YearField(serializers.IntegerField):
    """A year whose bounds the schema states, the latest computed when the schema is made.

    The serializer still checks the bounds (with its own message, e.g. ``year_error``):
    the field only carries them into the schema, where a fixed ``max_value`` would go
    stale on the first of January.
    """

    def __init__(self, *, earliest: int, latest: Callable[[], int], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.earliest = earliest
        self.latest = latest


class YearFieldSchema(OpenApiSerializerFieldExtension):
    """Document a ``YearField`` as an integer between its earliest and latest year."""

    target_class = YearField

    def map_serializer_field(self, auto_schema, direction) -> dict[str, Any]:
        field = self.target
        return {"type": "integer", "minimum": field.earliest, "maximum": field.latest()}


def upload_files(*, required: bool = True) -> serializers.ListField:
    """Return the multipart ``file`` field of an upload: one part per file, as many as Django
    reads in one request (``DATA_UPLOAD_MAX_NUMBER_FILES``; more are refused with a 400)."""
    return serializers.ListField(
        child=serializers.FileField(),
        required=required,
        min_length=1 if required else None,
        max_length=settings.DATA_UPLOAD_MAX_NUMBER_FILES,
        help_text=_("One or more files, each in a part named file."),
    )
