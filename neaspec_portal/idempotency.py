"""``Idempotency-Key``: a retried API create returns the first answer instead of a second object.

A client whose connection dropped after a POST cannot know whether the object was made.
Sent with an ``Idempotency-Key`` header (any visible ASCII, up to 255 characters, e.g. a
UUID), a POST under ``/api/v1/`` is done once per account and key: the first answer (status,
body, ``Location``) is kept for ``KEEP_FOR`` in the database (``access.IdempotentRequest``)
and a retry gets it back, marked ``Idempotent-Replayed: true``. The same key with another
method, path or body answers 422: a key names one request.

The key's row is inserted before the view runs, in one transaction with the view's work, so
the unique constraint on (account, key) lets one of two racing retries work while the other
waits for its answer; if the work fails (a 5xx) both roll back and the key is free again.
Answers that depend on a state that may change before a retry (401, 403, 404, 409, 429) are
given but not kept. Requests without an account, or without the header, pass untouched.
"""

import hashlib
import re
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, OperationalError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.settings import api_settings

from access.models import IdempotentRequest
from accounts.models import User

HEADER = "Idempotency-Key"
#: How long a first answer is kept for its retries.
KEEP_FOR = timedelta(hours=24)
#: The requests that may carry the header.
API_PREFIX = "/api/v1/"
_KEY = re.compile(r"[\x21-\x7e]{1,255}")
_NOT_KEPT = frozenset({401, 403, 404, 409, 429})


def idempotency_keys_forget() -> int:
    """Delete the answers older than ``KEEP_FOR``; return how many."""
    cutoff = timezone.now() - KEEP_FOR
    deleted, _by_model = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _api_user(request: HttpRequest) -> User | None:
    """Return the account the API will see for ``request``, by its own authenticators.

    Any refusal (a bad token, a missing CSRF token) is left for the view to give.
    """
    authenticators = [auth() for auth in api_settings.DEFAULT_AUTHENTICATION_CLASSES]
    try:
        user = Request(request, authenticators=authenticators).user
    except APIException:
        return None
    return user if isinstance(user, User) else None


def _fingerprint(request: HttpRequest) -> str:
    """Return the SHA-256 of the method, path and body of ``request``.

    A multipart body (an upload, up to 2 GB) counts by its fields and its files' names and
    sizes: reading the files again here would double the upload's disk reads.
    """
    digest = hashlib.sha256(f"{request.method}\0{request.get_full_path()}\0".encode())
    if (request.content_type or "").startswith("multipart/"):
        for name, values in sorted(request.POST.lists()):
            digest.update(repr((name, values)).encode())
        for name, files in sorted(request.FILES.lists()):
            digest.update(repr((name, [(f.name, f.size) for f in files])).encode())
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _replay(kept: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(
        bytes(kept.body), status=kept.status_code, content_type=kept.content_type or None
    )
    if kept.location:
        response["Location"] = kept.location
    response["Idempotent-Replayed"] = "true"
    return response


def _keep(claim: IdempotentRequest, response: HttpResponse) -> None:
    """Store ``response`` as the key's answer, or free the key if it must not be kept."""
    if response.status_code >= 500:
        # Undo the work and the key: the retry starts afresh.
        transaction.set_rollback(True)
    elif response.status_code in _NOT_KEPT or response.streaming:
        claim.delete()
    else:
        claim.status_code = response.status_code
        claim.content_type = response.get("Content-Type", "")
        claim.location = response.get("Location", "")
        claim.body = response.content
        claim.save(update_fields=["status_code", "content_type", "location", "body"])


def _refusal(message: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": message}, status=status)


class IdempotencyMiddleware:
    """Do each ``/api/v1/`` POST with an ``Idempotency-Key`` once per account and key."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None or request.method != "POST" or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if not _KEY.fullmatch(key):
            return _refusal(
                _(
                    "The Idempotency-Key header must be 1 to 255 visible ASCII characters, "
                    "such as a UUID."
                ),
                400,
            )
        user = _api_user(request)
        if user is None:
            return self.get_response(request)
        fingerprint = _fingerprint(request)
        IdempotentRequest.objects.filter(
            user=user, key=key, created_at__lt=timezone.now() - KEEP_FOR
        ).delete()
        response = self._once(request, user=user, key=key, fingerprint=fingerprint)
        if response is not None:
            return response
        kept = IdempotentRequest.objects.filter(user=user, key=key).first()
        if kept is None or kept.status_code is None:
            return _refusal(
                _("A request with this Idempotency-Key is still being processed; retry later."),
                409,
            )
        if kept.fingerprint != fingerprint:
            return _refusal(
                _(
                    "This Idempotency-Key was used for a different request (method, path or "
                    "body). Use a new key for a new request."
                ),
                422,
            )
        return _replay(kept)

    def _once(
        self, request: HttpRequest, *, user: User, key: str, fingerprint: str
    ) -> HttpResponse | None:
        """Claim ``key`` and do the work; return None if another request holds the key."""
        with transaction.atomic():
            try:
                # Waits, on the unique index, for a racing request with the same key.
                with transaction.atomic():
                    claim = IdempotentRequest.objects.create(
                        user=user,
                        key=key,
                        method=request.method or "",
                        path=request.get_full_path(),
                        fingerprint=fingerprint,
                    )
            except (IntegrityError, OperationalError):
                return None
            response = self.get_response(request)
            _keep(claim, response)
            return response
