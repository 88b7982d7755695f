"""The API accepts exactly the query parameters its OpenAPI schema documents.

Endpoints declare what they read as ``params.Param`` values, and the schema documents
those declarations (``params.openapi``) with the paginator's ``page``. This middleware
reads the same schema back: a GET to an API operation with a query parameter the
operation does not document answers 400, naming the parameter and the accepted ones
(``?search=crane`` on ``/api/v1/datasets/`` used to return everything). So the schema
and the behaviour cannot part: a filter missing from the schema is refused, and a
refused parameter is one the schema does not list.

Always accepted: DRF's ``format`` (it picks the renderer). Views outside the schema
(the schema and its documentation pages) are left alone. The table is built once per
process from the schema generator, keyed by the view callables Django resolves to.
"""

from collections.abc import Callable
from functools import cache
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.generators import SchemaGenerator

#: Parameters every API operation accepts besides its own.
ALWAYS_ACCEPTED = frozenset({"format"})
API_PREFIX = "/api/"


@cache
def api_schema() -> tuple[dict[str, Any], tuple[tuple[str, str, str, Callable], ...]]:
    """Return the public schema (names, not words: any language) and its endpoints
    (path, regex, method, view callable), generated once per process."""
    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    return schema, tuple(generator.endpoints)


@cache
def accepted_parameters() -> dict[tuple[Callable, str], frozenset[str]]:
    """Return the query parameters each (view callable, method) of the schema documents."""
    schema, endpoints = api_schema()
    table: dict[tuple[Callable, str], frozenset[str]] = {}
    for path, _regex, method, callback in endpoints:
        operation = schema["paths"].get(path, {}).get(method.lower())
        if operation is None:
            continue
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        table[(callback, method)] = frozenset(names) | ALWAYS_ACCEPTED
    return table


def unknown_parameters_body(unknown: list[str], accepted: frozenset[str]) -> dict[str, list[str]]:
    """Return the 400 body: each unknown parameter, with the list of the accepted ones."""
    message = _("This endpoint has no such parameter. It accepts: %(accepted)s.") % {
        "accepted": ", ".join(sorted(accepted))
    }
    return {name: [message] for name in unknown}


class UnknownParametersMiddleware:
    """Answer 400 to an API GET carrying a query parameter its operation does not document."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict
    ) -> HttpResponse | None:
        if request.method not in {"GET", "HEAD"} or not request.GET:
            return None
        if not request.path_info.startswith(API_PREFIX):
            return None
        accepted = accepted_parameters().get((view_func, "GET"))
        if accepted is None:
            return None
        unknown = sorted(name for name in request.GET if name not in accepted)
        if not unknown:
            return None
        return JsonResponse(unknown_parameters_body(unknown, accepted), status=400)
