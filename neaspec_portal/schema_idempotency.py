"""The ``Idempotency-Key`` header in the OpenAPI schema, on every POST of the API.

A drf-spectacular postprocessing hook, kept apart from the schema's other hooks: the header
is handled by a middleware (``neaspec_portal.idempotency``) that no view declares.
"""

from typing import Any

_PARAMETER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "pattern": "^[\\x21-\\x7e]{1,255}$"},
    "description": (
        "Any unique string (a UUID) to make this request safe to retry: for 24 hours, the "
        "same account sending the same key gets the first answer again (marked "
        "'Idempotent-Replayed: true') and nothing is done twice."
    ),
}
_RESPONSES = {
    "409": {"description": "A request with this Idempotency-Key is still being processed."},
    "422": {"description": "The Idempotency-Key was already used for a different request."},
}


def add_idempotency_key_header(result: dict[str, Any], generator, request, public) -> dict:
    """Document the ``Idempotency-Key`` header and its answers on every POST operation."""
    for operations in result.get("paths", {}).values():
        post = operations.get("post")
        if post is None:
            continue
        post.setdefault("parameters", []).append(_PARAMETER)
        responses = post.setdefault("responses", {})
        for status, response in _RESPONSES.items():
            responses.setdefault(status, response)
    return result
