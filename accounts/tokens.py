"""API tokens: made, listed, used and revoked.

The key is 40 random hexadecimal characters, shown once when the token is made; the database
keeps only its SHA-256 digest and its first characters (to tell tokens apart in lists). A token
expires after ``API_TOKEN_DAYS``; a password change, a deactivation and a two-factor reset
revoke all of an account's tokens. Every token made or revoked writes an audit event.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from access.services import audit_record
from accounts.models import ApiToken, User

KEY_BYTES = 20
PREFIX_LENGTH = 8
#: ``last_used_at`` is written at most this often, so that reads do not become writes.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def key_digest(key: str) -> str:
    """Return the SHA-256 hex digest under which the token with ``key`` is stored."""
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *,
    user: User,
    name: str = "",
    second_factor: bool,
    ip_address: str | None = None,
) -> tuple[ApiToken, str]:
    """Make a new token for ``user`` and return it with its key, which is not stored.

    ``second_factor`` says whether the owner gave a code from their authenticator; accounts
    that hold keys may only use tokens made with one.
    """
    key = secrets.token_hex(KEY_BYTES)
    token = ApiToken.objects.create(
        user=user,
        name=(name or "").strip()[:100] or "API",
        digest=key_digest(key),
        prefix=key[:PREFIX_LENGTH],
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DAYS),
        second_factor=second_factor,
        password_marker=user.get_session_auth_hash(),
    )
    audit_record(
        actor=user,
        action="api_token.create",
        obj=token,
        country=user.country_id or "",
        ip_address=ip_address,
        detail={"second_factor": second_factor, "expires_at": token.expires_at.isoformat()},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User, ip_address: str | None = None) -> ApiToken:
    """Revoke ``token`` from now on (revoking a revoked token changes nothing)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="api_token.revoke",
            obj=token,
            country=token.user.country_id or "",
            ip_address=ip_address,
        )
    return token


@transaction.atomic
def api_tokens_revoke_all(
    *, user: User, actor: User | None, reason: str, ip_address: str | None = None
) -> int:
    """Revoke every live token of ``user`` (on a password change, deactivation or 2FA reset).

    Return how many were revoked; an event is recorded when there were any.
    """
    count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if count:
        audit_record(
            actor=actor,
            action="api_token.revoke_all",
            obj=user,
            country=user.country_id or "",
            ip_address=ip_address,
            detail={"reason": reason, "count": count},
        )
    return count


def api_token_touch(token: ApiToken) -> None:
    """Record that ``token`` was used now, writing at most once a minute.

    Not audited: the time of last use is bookkeeping shown on the profile page; the
    requests made with the token are what they are, and audit their own changes.
    """
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def api_token_by_key(key: str) -> ApiToken | None:
    """Return the token with ``key`` and its owner, whatever its state, or None."""
    return ApiToken.objects.select_related("user").filter(digest=key_digest(key)).first()


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """Return the account's tokens, newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def access_own_token(user: User, pk: int) -> ApiToken:
    """Return the account's own token ``pk``; 404 for a missing token or anyone else's."""
    token = ApiToken.objects.select_related("user").filter(user=user, pk=pk).first()
    if token is None:
        raise Http404("No such token among yours.")
    return token
