"""Pages of signing in with a second factor, of setting one up, and of API tokens.

Signing in takes two steps when the account has an authenticator: the password
(``SignInView``), then a code (``two_factor_verify``), which also serves sessions that must
give a code again (see ``accounts.two_factor.fresh_second_factor_required``). Both steps count
failures towards django-axes' lockout.
"""

from base64 import b32encode
from typing import Any

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from access import policy
from access.services import client_ip
from accounts import services, two_factor
from accounts.models import User
from accounts.security_forms import (
    CodeForm,
    SetupForm,
    SignInForm,
    TokenForm,
    TwoFactorResetForm,
)
from accounts.tokens import (
    access_own_token,
    api_token_create,
    api_token_revoke,
)
from accounts.two_factor import fresh_second_factor_required
from neaspec_portal.typing import AuthenticatedRequest

#: Session key: recovery codes just made, shown once by ``two_factor_recovery_codes``.
RECOVERY_CODES_TO_SHOW = "recovery_codes_to_show"


class SignInView(auth_views.LoginView):
    """Step one: the password. An account with an authenticator then gives a code."""

    template_name = "accounts/login.html"
    form_class = SignInForm

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if two_factor.has_second_factor(user):
            two_factor.sign_in_pending_start(self.request, user, next_url=self.get_success_url())
            return redirect("accounts:two_factor_verify")
        return super().form_valid(form)


@never_cache
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Step two of signing in, or a session giving a code again: ask for a code."""
    pending: dict[str, Any] | None = None
    user: User
    # A password just given wins over the session's account (someone signing in anew).
    found = two_factor.sign_in_pending(request)
    if found is not None:
        user, pending = found
        next_url = two_factor.safe_next(request, pending.get("next"))
    elif request.user.is_authenticated:
        user = request.user  # type: ignore[assignment]
        next_url = two_factor.safe_next(
            request, request.POST.get("next") or request.GET.get("next")
        )
    else:
        messages.info(request, _("Sign in with your username and password first."))
        return redirect("accounts:login")
    if not two_factor.has_second_factor(user):
        if pending is not None:
            # The authenticator was removed between the two steps: sign in with the password.
            del request.session[two_factor.PENDING_SIGN_IN]
            return redirect("accounts:login")
        return redirect(f"{reverse('accounts:two_factor_setup')}?{urlencode({'next': next_url})}")

    credentials = {"username": user.username}
    if AxesProxyHandler.is_locked(request, credentials):
        return get_lockout_response(request, None, credentials)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # django-otp refuses every code for a moment after a wrong one, doubling each time.
        throttled = two_factor.second_factor_throttled(user)
        device = two_factor.second_factor_check(
            user=user, code=form.cleaned_data["code"], ip_address=client_ip(request)
        )
        if device is None:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            form.add_error(
                "code",
                _("Too many wrong codes in a row: wait a minute, then try again.")
                if throttled
                else _("This code is wrong or was used already. Try the next one the app shows."),
            )
        else:
            if pending is not None:
                del request.session[two_factor.PENDING_SIGN_IN]
                auth_login(request, user, backend=pending["backend"])
            two_factor.session_mark_verified(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; %(count)d are left. If your phone is "
                        "lost, set up the authenticator again from your profile."
                    )
                    % {"count": two_factor.recovery_codes_left(user)},
                )
            return redirect(next_url)
    context = {"form": form, "next": next_url, "signing_in": pending is not None}
    return render(request, "accounts/two_factor_verify.html", context)


@never_cache
@login_required
@fresh_second_factor_required
def two_factor_setup(request: AuthenticatedRequest) -> HttpResponse:
    """Set up an authenticator app (or replace the one in use): show its secret, ask a code."""
    user = request.user
    next_url = two_factor.safe_next(
        request, request.POST.get("next") or request.GET.get("next"), reverse("accounts:profile")
    )
    device = two_factor.two_factor_setup_device(user=user)
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.two_factor_confirm(
            user=user, device=device, code=form.cleaned_data["code"], ip_address=client_ip(request)
        )
        if codes is None:
            form.add_error(
                "code",
                _(
                    "This is not the code the app shows now. Check that you added the secret "
                    "above and that your phone's clock is right."
                ),
            )
        else:
            device.refresh_from_db()
            two_factor.session_mark_verified(request, device)
            request.session[RECOVERY_CODES_TO_SHOW] = codes
            messages.success(request, _("Two-factor sign-in is on."))
            query = urlencode({"next": next_url})
            return redirect(f"{reverse('accounts:two_factor_recovery_codes')}?{query}")
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": next_url,
        "secret": secret,
        "secret_groups": [secret[start : start + 4] for start in range(0, len(secret), 4)],
        "qr_code": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
        "required": two_factor.holds_keys(user),
        "replacing": two_factor.has_second_factor(user),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@never_cache
@login_required
def two_factor_recovery_codes(request: AuthenticatedRequest) -> HttpResponse:
    """Show the recovery codes just made, once."""
    codes = request.session.pop(RECOVERY_CODES_TO_SHOW, None)
    next_url = two_factor.safe_next(request, request.GET.get("next"), reverse("accounts:profile"))
    return render(
        request, "accounts/two_factor_recovery_codes.html", {"codes": codes, "next": next_url}
    )


@login_required
@require_POST
@fresh_second_factor_required
def two_factor_recovery_codes_renew(request: AuthenticatedRequest) -> HttpResponse:
    """Replace the account's recovery codes and show the new ones."""
    request.session[RECOVERY_CODES_TO_SHOW] = two_factor.recovery_codes_renew(
        user=request.user, ip_address=client_ip(request)
    )
    return redirect("accounts:two_factor_recovery_codes")


@never_cache
@login_required
@fresh_second_factor_required
def two_factor_reset(request: AuthenticatedRequest) -> HttpResponse:
    """The secretariat resets someone's second factor, when their phone is lost."""
    if not policy.is_secretariat(request.user):
        raise Http404("Only the secretariat resets someone's two-factor sign-in.")
    form = TwoFactorResetForm(
        request.POST or None, initial={"username": request.GET.get("username")}
    )
    if request.method == "POST" and form.is_valid():
        account = two_factor.account_for_two_factor_reset(
            actor=request.user, username=form.cleaned_data["username"]
        )
        if account is None:
            form.add_error(
                "username",
                _("No other account has this username. Reset your own from your profile."),
            )
        else:
            two_factor.two_factor_reset(
                actor=request.user,
                account=account,
                reason=form.cleaned_data["reason"],
                ip_address=client_ip(request),
            )
            messages.success(
                request,
                _(
                    "The two-factor sign-in of %(name)s is reset, and their API tokens are "
                    "revoked. They set up a new authenticator when they next sign in."
                )
                % {"name": account.username},
            )
            return redirect("accounts:two_factor_reset")
    return render(request, "accounts/two_factor_reset.html", {"form": form})


@never_cache
@login_required
@require_POST
@fresh_second_factor_required
def token_create(request: AuthenticatedRequest) -> HttpResponse:
    """Make an API token from the profile page and show its key, once."""
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the token a name of at most 100 characters."))
        return redirect("accounts:profile")
    user = request.user
    token, key = api_token_create(
        user=user,
        name=form.cleaned_data["name"],
        second_factor=two_factor.session_has_second_factor(user),
        ip_address=client_ip(request),
    )
    return render(request, "accounts/tokens_created.html", {"token": token, "key": key})


@login_required
@require_POST
def token_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Revoke one of the account's own API tokens."""
    token = access_own_token(request.user, pk)
    api_token_revoke(token=token, actor=request.user, ip_address=client_ip(request))
    messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
    return redirect(f"{reverse('accounts:profile')}#api-tokens")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, which also revokes the account's API tokens."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.account_password_changed(
            account=form.user, reason="password.change", ip_address=client_ip(self.request)
        )
        messages.success(self.request, _("Your password is changed; your API tokens are revoked."))
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's password reset, which also revokes the account's API tokens."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.account_password_changed(
            account=form.user, reason="password.reset", ip_address=client_ip(self.request)
        )
        return response
