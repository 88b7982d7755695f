"""Two-factor sign-in: an authenticator app (TOTP) with recovery codes, from django-otp.

Accounts that hold keys — focal points, the secretariat, staff and superusers — pass a second
factor before they act (``accounts.middleware.SecondFactorMiddleware`` leads them to set one
up, or to give a code); everyone else may turn it on from the profile page. Each account has
at most one confirmed ``TOTPDevice`` and one ``StaticDevice`` holding its unused recovery codes.

A session remembers when its second factor was last given (``SECOND_FACTOR_AT``), so that
sensitive actions can ask for a fresh one: wrap their views in ``fresh_second_factor_required``.
Every change to someone's devices writes an audit event.
"""

import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from access import policy
from access.services import audit_record
from accounts.models import User
from accounts.tokens import api_tokens_of, api_tokens_revoke_all
from neaspec_portal.mail import send_templated_email

#: Session key: the Unix time at which this session last gave a second factor.
SECOND_FACTOR_AT = "second_factor_at"
#: Session key: the account that gave its password and still owes a code (see ``sign_in_*``).
PENDING_SIGN_IN = "second_factor_pending"
#: How long a password stays good for the code step of signing in.
PENDING_SIGN_IN_SECONDS = 300
RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "authenticator"


def holds_keys(user: Any) -> bool:
    """Return True for an account whose theft would give a country's data away.

    Those are focal points, the secretariat, staff and superusers; they must sign in with a
    second factor and a longer password, and their sessions end sooner.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff or user.is_secretariat:
        return True
    # An unsaved account (a registration being checked) cannot be a focal point yet.
    return user.pk is not None and bool(policy.focal_point_countries(user))


def confirmed_device(user: User) -> TOTPDevice | None:
    """Return the account's confirmed authenticator, or None when it has not set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def has_second_factor(user: User) -> bool:
    """Return True when the account has a confirmed authenticator."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    """Return how many unused recovery codes the account holds."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def normalize_code(code: str) -> str:
    """Return ``code`` as stored: no spaces or hyphens, lower case (recovery codes are base32)."""
    return "".join(code.split()).replace("-", "").lower()


def second_factor_check(*, user: User, code: str, ip_address: str | None = None) -> Device | None:
    """Return the device that accepts ``code``, or None.

    Six digits are checked against the authenticator (a code is good once, within a step of
    the clock); anything else against the recovery codes, which are used up. django-otp slows
    down guessing: after each wrong code the next is refused for a doubling delay. The
    counters django-otp keeps for that are bookkeeping, not audited; a recovery code used up
    is, since it means the authenticator was not at hand.
    """
    code = normalize_code(code)
    if not code:
        return None
    model: type[TOTPDevice] | type[StaticDevice] = (
        TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    )
    with transaction.atomic():
        devices = model.objects.filter(user=user, confirmed=True).select_for_update()
        for device in devices:
            if device.verify_token(code):
                if isinstance(device, StaticDevice):
                    audit_record(
                        actor=user,
                        action="two_factor.recovery_code_use",
                        obj=user,
                        country=user.country_id or "",
                        ip_address=ip_address,
                        detail={"left": device.token_set.count()},
                    )
                return device
    return None


def second_factor_throttled(user: User) -> bool:
    """Return True while wrong codes have made django-otp refuse every code for a moment."""
    devices = [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]
    return any(not device.verify_is_allowed()[0] for device in devices)


# Sessions ----------------------------------------------------------------------------------


def session_mark_verified(request: HttpRequest, device: Device) -> None:
    """Record in the session that its account has just given a code of ``device``."""
    django_otp.login(request, device)
    request.session[SECOND_FACTOR_AT] = time.time()


def session_has_second_factor(user: Any) -> bool:
    """Return True when the request's session gave a code (as django-otp's middleware says)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(user.is_authenticated and is_verified is not None and is_verified())


def second_factor_is_fresh(request: HttpRequest) -> bool:
    """Return True when the session gave a second factor within ``OTP_FRESH_MINUTES``."""
    if not session_has_second_factor(request.user):
        return False
    at = request.session.get(SECOND_FACTOR_AT)
    return isinstance(at, int | float) and time.time() - at <= settings.OTP_FRESH_MINUTES * 60


def sign_in_pending_start(request: HttpRequest, user: User, *, next_url: str) -> None:
    """Remember that ``user`` gave the right password and owes a code before being signed in."""
    request.session[PENDING_SIGN_IN] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
        "at": time.time(),
        "next": next_url,
    }


def sign_in_pending(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    """Return the account waiting to give its code, with the pending state, or None."""
    pending = request.session.get(PENDING_SIGN_IN)
    if not isinstance(pending, dict):
        return None
    if time.time() - float(pending.get("at", 0)) > PENDING_SIGN_IN_SECONDS:
        del request.session[PENDING_SIGN_IN]
        return None
    user = User.objects.filter(pk=int(pending.get("user") or 0), is_active=True).first()
    return (user, pending) if user is not None else None


def safe_next(request: HttpRequest, candidate: str | None, default: str = "") -> str:
    """Return ``candidate`` when it points inside the portal, else ``default``."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or reverse(settings.LOGIN_REDIRECT_URL)


def fresh_second_factor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run ``view`` only when the session gave a second factor within ``OTP_FRESH_MINUTES``.

    Otherwise ask for a code (the page comes back to this one, or for a POST to the page the
    form was sent from, and the action is to be repeated). An account that has no
    authenticator has nothing to give; it runs the view, as the middleware keeps accounts that
    hold keys from acting without one. Use it for role changes and two-factor resets.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if second_factor_is_fresh(request) or not has_second_factor(user):  # type: ignore[arg-type]
            return view(request, *args, **kwargs)
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": _("This action needs a fresh second factor: sign in again.")},
                status=403,
            )
        if request.method in ("GET", "HEAD"):
            next_url = request.get_full_path()
        else:
            next_url = safe_next(request, request.headers.get("referer"), request.path)
        messages.info(
            request,
            _(
                "This action needs a recent code from your authenticator app. Give one, then "
                "repeat the action."
            ),
        )
        return redirect(f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': next_url})}")

    return wrapper


# Writes ------------------------------------------------------------------------------------


def two_factor_setup_device(*, user: User) -> TOTPDevice:
    """Return the account's authenticator being set up, making one with a new secret if none.

    Not audited: an unconfirmed authenticator signs nobody in; confirming it
    (``two_factor_confirm``) is the change, and is audited.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def two_factor_confirm(
    *, user: User, device: TOTPDevice, code: str, ip_address: str | None = None
) -> list[str] | None:
    """Confirm the authenticator being set up with one of its codes; return recovery codes.

    The new authenticator replaces any earlier one, with new recovery codes; replacing one
    also revokes the account's API tokens, which were made with the old one. Return None
    (and change nothing) when the code is wrong.
    """
    locked = (
        TOTPDevice.objects.select_for_update()
        .filter(pk=device.pk, user=user, confirmed=False)
        .first()
    )
    # None when a parallel request confirmed it first, or it was replaced meanwhile.
    if locked is None or not locked.verify_token(normalize_code(code)):
        return None
    device = locked
    replaced = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_issue(user)
    if replaced:
        api_tokens_revoke_all(
            user=user, actor=user, reason="two_factor.replace", ip_address=ip_address
        )
    audit_record(
        actor=user,
        action="two_factor.replace" if replaced else "two_factor.enable",
        obj=user,
        country=user.country_id or "",
        ip_address=ip_address,
    )
    return codes


@transaction.atomic
def recovery_codes_renew(*, user: User, ip_address: str | None = None) -> list[str]:
    """Replace the account's recovery codes with new ones, and return them."""
    if not has_second_factor(user):
        raise PermissionDenied(_("Set up an authenticator app before recovery codes."))
    codes = _recovery_codes_issue(user)
    audit_record(
        actor=user,
        action="two_factor.recovery_codes",
        obj=user,
        country=user.country_id or "",
        ip_address=ip_address,
    )
    return codes


def _recovery_codes_issue(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def account_for_two_factor_reset(*, actor: User, username: str) -> User | None:
    """Return the account named ``username`` whose second factor ``actor`` may reset, or None."""
    account = User.objects.filter(username__iexact=username.strip()).first()
    return account if account is not None and may_reset_two_factor(actor, account) else None


def security_summary(user: User) -> dict[str, Any]:
    """Return what the profile page shows of the account's second factor and API tokens."""
    now = timezone.now()
    tokens = [
        {
            "token": token,
            "state": "revoked"
            if token.revoked_at is not None
            else ("active" if token.is_usable(now) else "expired"),
        }
        for token in api_tokens_of(user)[:20]
    ]
    return {
        "two_factor_on": has_second_factor(user),
        "two_factor_required": holds_keys(user),
        "recovery_codes_left": recovery_codes_left(user),
        "api_tokens": tokens,
        "may_reset_others": policy.is_secretariat(user),
        "api_token_days": settings.API_TOKEN_DAYS,
    }


def may_reset_two_factor(actor: User, account: User) -> bool:
    """Return True when ``actor`` may reset ``account``'s second factor: the secretariat may,
    for anyone but themselves (who replace their own authenticator from their profile)."""
    return policy.is_secretariat(actor) and actor.pk != account.pk


@transaction.atomic
def two_factor_reset(
    *, actor: User, account: User, reason: str, ip_address: str | None = None
) -> None:
    """Remove ``account``'s authenticator and recovery codes, and revoke its API tokens.

    The account sets up a new authenticator at its next sign-in. Only the secretariat resets
    someone's second factor, after checking who asks (``may_reset_two_factor``); the account
    is told by email, so that a reset it did not ask for does not go unnoticed.
    """
    if not may_reset_two_factor(actor, account):
        raise PermissionDenied(_("Only the secretariat resets someone else's two-factor sign-in."))
    TOTPDevice.objects.filter(user=account).delete()
    StaticDevice.objects.filter(user=account).delete()
    api_tokens_revoke_all(
        user=account, actor=actor, reason="two_factor.reset", ip_address=ip_address
    )
    audit_record(
        actor=actor,
        action="two_factor.reset",
        obj=account,
        country=account.country_id or "",
        ip_address=ip_address,
        detail={"reason": reason},
    )
    send_templated_email(
        recipients=[account], template="two-factor-reset", context={"reason": reason}
    )
