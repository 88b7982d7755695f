"""``/api/v1/``: the entry point, listing every resource of the API by its address.

The list is read from the OpenAPI schema (``api_params.api_schema``): every operation
whose path names no object (``/api/v1/datasets/``, not ``/api/v1/datasets/{id}/``), so a
new endpoint is listed as soon as the schema documents it.
"""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from neaspec_portal.api_params import api_schema

ROOT = "/api/v1/"


def resource_paths() -> list[str]:
    """Return the schema's paths that name no object, relative to the root, sorted."""
    schema, _endpoints = api_schema()
    return sorted(
        path.removeprefix(ROOT)
        for path in schema["paths"]
        if path.startswith(ROOT) and "{" not in path and path != ROOT
    )


class ApiRootView(APIView):
    """List every resource of the API, with the schema and its documentation."""

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        base = request.build_absolute_uri(ROOT)
        resources = {path.rstrip("/"): base + path for path in resource_paths()}
        resources["schema"] = reverse("api:schema", request=request)
        resources["docs"] = reverse("api:docs", request=request)
        return Response(resources)
