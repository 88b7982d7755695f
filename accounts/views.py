"""Pages of accounts: registration, profile and the verification queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access import policy
from access.services import client_ip
from accounts import services, two_factor
from accounts.forms import ProfileForm, RegistrationForm, RejectAccountForm
from neaspec_portal.typing import AuthenticatedRequest


def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.account_register(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            country=form.country(),
            organisation=form.cleaned_data["organisation"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            preferred_language=get_language() or "",
        )
        return render(request, "accounts/registered.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/register.html", {"form": form})


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(
            actor=request.user, changes=form.cleaned_data, ip_address=client_ip(request)
        )
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    context = {
        "form": form,
        "is_verified": policy.is_verified(request.user),
        "focal_point_countries": sorted(policy.focal_point_countries(request.user)),
        "is_secretariat": policy.is_secretariat(request.user),
        "security": two_factor.security_summary(request.user),
    }
    return render(request, "accounts/profile.html", context)


@login_required
def verification_queue(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.can_review_accounts(request.user):
        raise Http404("Only focal points and the secretariat verify accounts.")
    # Expect 2 queries after the session's: the focal-point lookup and the pending list.
    pending = list(policy.accounts_to_verify(request.user).order_by("date_joined"))
    return render(
        request,
        "accounts/verification_queue.html",
        {"pending": pending, "reject_form": RejectAccountForm()},
    )


@login_required
@require_POST
def verify_account(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = policy.access_account_to_verify(request.user, pk)
    services.account_verify(actor=request.user, account=account)
    messages.success(request, _("%(name)s is verified.") % {"name": account.username})
    return redirect("accounts:verification_queue")


@login_required
@require_POST
def reject_account(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = policy.access_account_to_verify(request.user, pk)
    form = RejectAccountForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason to refuse an account."))
        return redirect("accounts:verification_queue")
    services.account_reject(actor=request.user, account=account, reason=form.cleaned_data["reason"])
    messages.success(request, _("%(name)s was refused.") % {"name": account.username})
    return redirect("accounts:verification_queue")
