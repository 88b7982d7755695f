"""Middleware for accounts that hold keys: a second factor before acting, shorter sessions.

Both run after django-otp's ``OTPMiddleware`` (which tells whether the session gave a code)
and leave visitors and other accounts alone, at no query cost beyond the focal-point lookup
that ``access.policy`` caches on the user for the rest of the request.
"""

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.two_factor import has_second_factor, holds_keys, session_has_second_factor

#: Session key: the Unix time of the account's last request, written at most once a minute.
LAST_ACTIVITY = "last_activity"
ACTIVITY_RESOLUTION_SECONDS = 60


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


class SecondFactorMiddleware:
    """Keep an account that holds keys from acting before it gives a second factor.

    Without an authenticator it is sent to set one up; with one, to give a code. Pages answer
    with a redirect, the API with 403 and a JSON message. Only the pages needed to get there
    (and signing out, static files and the language switch) stay open. Token requests are
    checked by ``accounts.authentication.ApiTokenAuthentication``, which sees them; this
    middleware sees only sessions.
    """

    OPEN_PREFIXES = ("/static/", "/i18n/", "/healthz")
    OPEN_URL_NAMES = (
        "accounts:two_factor_setup",
        "accounts:two_factor_verify",
        "accounts:two_factor_recovery_codes",
        "accounts:logout",
        "accounts:login",
        "api:token",
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open_paths: frozenset[str] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not session_has_second_factor(user)
            and not self._is_open(request.path_info)
            and holds_keys(user)
        ):
            return self._refuse(request, has_device=has_second_factor(user))  # type: ignore[arg-type]
        return self.get_response(request)

    def _is_open(self, path: str) -> bool:
        if self._open_paths is None:
            self._open_paths = frozenset(reverse(name) for name in self.OPEN_URL_NAMES)
        return path in self._open_paths or path.startswith(self.OPEN_PREFIXES)

    def _refuse(self, request: HttpRequest, *, has_device: bool) -> HttpResponse:
        if _is_api(request):
            message = (
                _("Give the code from your authenticator app: sign in again on the website.")
                if has_device
                else _(
                    "Focal points, the secretariat and administrators must set up two-factor "
                    "sign-in on the website before they use the API."
                )
            )
            return JsonResponse({"detail": message}, status=403)
        target = "accounts:two_factor_verify" if has_device else "accounts:two_factor_setup"
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(reverse(target) + (f"?{query}" if query else ""))


class PrivilegedSessionMiddleware:
    """End the session of an account that holds keys after ``PRIVILEGED_SESSION_IDLE_MINUTES``
    without a request; other accounts keep Django's ``SESSION_COOKIE_AGE``.

    The session's expiry is renewed at most once a minute, so that a busy session is not
    written on every request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and holds_keys(user):
            idle = settings.PRIVILEGED_SESSION_IDLE_MINUTES * 60
            now = time.time()
            last = request.session.get(LAST_ACTIVITY)
            if isinstance(last, int | float) and now - last > idle:
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after %(minutes)d minutes without activity.")
                    % {"minutes": settings.PRIVILEGED_SESSION_IDLE_MINUTES},
                )
                if _is_api(request) or request.method != "GET":
                    return self.get_response(request)
                login = reverse(settings.LOGIN_URL)
                return redirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
            if not isinstance(last, int | float) or now - last >= ACTIVITY_RESOLUTION_SECONDS:
                request.session[LAST_ACTIVITY] = now
                request.session.set_expiry(idle)
        return self.get_response(request)
