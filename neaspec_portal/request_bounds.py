"""Bounds on what one request may ask of a worker, checked before any view runs.

A JSON body nested thousands of levels deep made Python's decoder raise RecursionError (a
500) in any view that read it. ``JSONDepthMiddleware`` refuses such a body for every view,
DRF's and the pages' alike, and whichever parser the view names; DRF's own parser
(``neaspec_portal.parsers``) says the same where a body reaches it another way.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from neaspec_portal.parsers import json_too_deep, too_deep_message

_JSON_TYPES = ("application/json", "+json")


def _is_json(request: HttpRequest) -> bool:
    content_type = request.content_type or ""
    return content_type == _JSON_TYPES[0] or content_type.endswith(_JSON_TYPES[1])


class JSONDepthMiddleware:
    """Answer 400 to a JSON body nested deeper than ``neaspec_portal.parsers.MAX_DEPTH``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("POST", "PUT", "PATCH", "DELETE") and _is_json(request):
            # Django has already refused a body over DATA_UPLOAD_MAX_MEMORY_SIZE here.
            if json_too_deep(request.body):
                return JsonResponse({"detail": too_deep_message()}, status=400)
        return self.get_response(request)
