"""Pages of a researcher's own access, and of the uploader's part in answering requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access import policy
from datasets import access_services
from datasets.forms import GrantForm, ReasonForm
from neaspec_portal.refusals import refusal_text
from neaspec_portal.typing import AuthenticatedRequest


@login_required
def my_access(request: AuthenticatedRequest) -> HttpResponse:
    """The caller's requests and grants; the pending requests on datasets they uploaded."""
    user = request.user
    answerable = set(policy.access_requests_to_answer(user).values_list("pk", flat=True))
    on_mine = list(policy.access_requests_to_recommend(user).order_by("created_at"))
    for item in on_mine:
        item.answerable = item.pk in answerable  # type: ignore[attr-defined]
    context = {
        "requests": list(policy.own_access_requests(user)),
        "grants": list(policy.own_grants(user)),
        "on_my_datasets": on_mine,
        "grant_form": GrantForm(),
        "reason_form": ReasonForm(),
    }
    return render(request, "datasets/my_access.html", context)


@login_required
@require_POST
def access_request_recommend(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access_request = policy.access_request_to_recommend(request.user, pk)
    try:
        access_services.access_request_recommend(
            actor=request.user,
            access_request=access_request,
            recommendation=request.POST.get("recommendation", ""),
            comment=request.POST.get("comment", ""),
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("Recommendation saved; the focal points read it."))
    return redirect("datasets:my_access")


@login_required
@require_POST
def delegate_access(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    dataset = policy.access_dataset(request.user, pk)
    try:
        access_services.dataset_access_delegate(
            actor=request.user,
            dataset=dataset,
            uploader_answers=request.POST.get("uploader_answers") == "1",
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("Saved who answers this dataset's access requests."))
    return redirect("datasets:detail", pk=dataset.pk)
