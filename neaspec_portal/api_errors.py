"""One mapping from the services' errors to HTTP, for every API view.

Services raise Django's own exceptions (``ValidationError``, ``PermissionDenied``,
``ObjectDoesNotExist``) or ``Conflict``; they know nothing of HTTP. Pages turn those into
form errors; the API turns them into 400, 403, 404 and 409 here, once, so that no view
has to wrap its service calls and none can forget to.

The bodies keep DRF's shape: ``{"detail": ...}``, where a validation error's detail is the
list of its messages, or ``{"field": [...]}`` when the service named the fields.
"""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(Exception):
    """The request would contradict what is stored (a duplicate, a stale state): 409.

    ``detail`` is the body's message; ``data`` adds what the client needs to resolve the
    conflict (e.g. the records that already carry a DOI).
    """

    def __init__(self, detail: str, data: dict[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.data = data or {}


def _validation_body(error: ValidationError) -> dict[str, Any]:
    if hasattr(error, "error_dict"):
        return {
            ("detail" if field == "__all__" else field): messages
            for field, messages in error.message_dict.items()
        }
    return {"detail": error.messages}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Return the API response for ``exc``: DRF's own errors, then the services' errors."""
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(_validation_body(exc))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, ObjectDoesNotExist) and not isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, Conflict):
        return Response({"detail": exc.detail, **exc.data}, status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(exc, context)
