"""Writes of the access app: the audit trail."""

from ipaddress import IPv4Address, IPv6Address, ip_address
from typing import Any

from django.conf import settings
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


def _address(text: str) -> IPv4Address | IPv6Address | None:
    try:
        return ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: IPv4Address | IPv6Address) -> bool:
    return any(address in network for network in settings.TRUSTED_PROXIES)


def client_ip(request) -> str | None:
    """Return the client's address for the audit trail and the sign-in lockout.

    ``X-Forwarded-For`` is believed only when the request comes from one of
    ``settings.TRUSTED_PROXIES``: the header is read from the right, past the trusted
    proxies, and the first address that is not one of them is the client's. From anyone
    else the header is ignored, whatever it claims, and the peer's address is the client's.
    """
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None or not _trusted(peer):
        return str(peer) if peer is not None else None
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # a hop that is not an address: believe nothing further to the left
        peer = address
        if not _trusted(address):
            break
    return str(peer)
