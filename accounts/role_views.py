"""The roles page: the secretariat gives and takes focal-point and secretariat roles.

Every change goes through ``accounts.roles``, which refuses changes to one's own roles,
writes an audit row and tells the person, and needs a second factor given within
``OTP_FRESH_MINUTES``. Everyone but the secretariat gets 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access import policy
from accounts import roles
from accounts.role_forms import FocalPointAppointForm, SecretariatAppointForm
from accounts.two_factor import fresh_second_factor_required
from neaspec_portal.refusals import refusal_text
from neaspec_portal.typing import AuthenticatedRequest


def _require_role_manager(request: AuthenticatedRequest) -> None:
    if not policy.can_manage_roles(request.user):
        raise Http404("Only the secretariat gives and takes roles.")


def _page(
    request: AuthenticatedRequest,
    *,
    focal_point_form: FocalPointAppointForm | None = None,
    secretariat_form: SecretariatAppointForm | None = None,
    status: int = 200,
) -> HttpResponse:
    focal_point_form = focal_point_form or FocalPointAppointForm(actor=request.user)
    secretariat_form = secretariat_form or SecretariatAppointForm(actor=request.user)
    # Expect 4 queries after the session's: appointments, secretariat, member States (twice:
    # the list of uncovered ones and the form's choices).
    appointments = list(policy.focal_point_appointments(request.user))
    covered = {appointment.country_id for appointment in appointments}
    member_states = list(focal_point_form.fields["country"].queryset)  # type: ignore[attr-defined]
    context = {
        "appointments": appointments,
        "secretariat": list(policy.secretariat_members(request.user)),
        "uncovered": [country for country in member_states if country.code not in covered],
        "focal_point_form": focal_point_form,
        "secretariat_form": secretariat_form,
    }
    return render(request, "accounts/roles.html", context, status=status)


@login_required
def roles_page(request: AuthenticatedRequest) -> HttpResponse:
    _require_role_manager(request)
    return _page(request)


@login_required
@require_POST
@fresh_second_factor_required
def focal_point_appoint(request: AuthenticatedRequest) -> HttpResponse:
    _require_role_manager(request)
    form = FocalPointAppointForm(request.POST, actor=request.user)
    if form.is_valid() and form.account is not None:
        country = form.cleaned_data["country"]
        try:
            roles.focal_point_appoint(actor=request.user, user=form.account, country=country)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, refusal_text(error))
        else:
            messages.success(
                request,
                _("%(name)s is now a focal point of %(country)s and is told by email.")
                % {"name": form.account.username, "country": country.name},
            )
            return redirect("accounts:roles")
    return _page(request, focal_point_form=form, status=400)


@login_required
@require_POST
@fresh_second_factor_required
def focal_point_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    appointment = policy.access_focal_point_appointment(request.user, pk)
    name, country = appointment.user.username, appointment.country.name
    try:
        roles.focal_point_remove(actor=request.user, appointment=appointment)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(
            request,
            _("%(name)s is no longer a focal point of %(country)s and is told by email.")
            % {"name": name, "country": country},
        )
    return redirect("accounts:roles")


@login_required
@require_POST
@fresh_second_factor_required
def secretariat_appoint(request: AuthenticatedRequest) -> HttpResponse:
    _require_role_manager(request)
    form = SecretariatAppointForm(request.POST, actor=request.user)
    if form.is_valid() and form.account is not None:
        try:
            roles.secretariat_appoint(actor=request.user, user=form.account)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, refusal_text(error))
        else:
            messages.success(
                request,
                _("%(name)s is now secretariat staff and is told by email.")
                % {"name": form.account.username},
            )
            return redirect("accounts:roles")
    return _page(request, secretariat_form=form, status=400)


@login_required
@require_POST
@fresh_second_factor_required
def secretariat_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = policy.access_role_account(request.user, pk)
    try:
        roles.secretariat_remove(actor=request.user, user=account)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(
            request,
            _("%(name)s is no longer secretariat staff and is told by email.")
            % {"name": account.username},
        )
    return redirect("accounts:roles")
