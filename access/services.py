"""Writes of the access app: the audit trail."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import models

from access.models import AuditEvent
from accounts.models import User


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    obj: models.Model,
    country: str = "",
    ip_address: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one row to the audit trail for ``actor`` doing ``action`` to ``obj``."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        country=country or "",
        ip_address=ip_address,
        detail=detail or {},
    )


def client_ip(request) -> str | None:
    """Return the client's address, trusting X-Forwarded-For only as set by our own proxy."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None
