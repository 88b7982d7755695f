"""Pages of people: the expert directory, a public profile, and one's own profile.

A profile that is not public does not exist for anyone else (404), its owner included on
the public page: the owner sees and edits it on ``/people/me/``.
"""

from dataclasses import asdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from access import policy
from neaspec_portal import params
from neaspec_portal.typing import AuthenticatedRequest
from people import selectors, services
from people.forms import ProfileForm
from publications.events_forms import show_refusal

PAGE_SIZE = 24


def directory(request: HttpRequest) -> HttpResponse:
    filters = selectors.PeopleFilters.from_params(request.GET)
    found = selectors.profile_list(user=request.user, filters=filters)
    page = Paginator(found, PAGE_SIZE).get_page(
        params.read(request.GET, [params.page()], strict=False)["page"]
    )
    context = {
        "profiles": list(page.object_list),
        "page_obj": page,
        "filters": filters,
        "filters_active": not filters.is_empty(),
        "query_string": params.encode(selectors.PEOPLE_FILTERS, asdict(filters)).urlencode(),
        "can_have_profile": policy.can_have_profile(request.user),
        **selectors.filter_options(),
    }
    return render(request, "people/directory.html", context)


def profile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.profile_detail(user=request.user, pk=pk)
    context = {
        "profile": profile,
        "projects": selectors.profile_projects(user=request.user, profile=profile),
        "is_own": profile.user_id == request.user.pk,
    }
    return render(request, "people/detail.html", context)


@login_required
def my_profile(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.can_have_profile(request.user):
        raise Http404("Only verified accounts have a public profile.")
    profile = policy.own_profile(request.user)
    initial = {}
    if profile is None:
        initial = {
            "display_name": str(request.user),
            "affiliation": request.user.organisation,
            "country": request.user.country_id,
        }
    form = ProfileForm(request.POST or None, instance=profile, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_save(actor=request.user, **form.values())
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("people:me")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "profile": policy.own_profile(request.user)}
    return render(request, "people/me.html", context, status=status)
