"""Pages of projects: the list, a project's page, and the secretariat's editing pages.

Only the secretariat curates projects; to anyone else the editing pages do not exist (404).
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
from projects import selectors, services
from projects.forms import ProjectForm
from projects.models import ProjectKind
from publications.events_forms import show_refusal
from species.selectors import country_list

PAGE_SIZE = 20


def project_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.ProjectFilters.from_params(request.GET)
    found = selectors.project_list(user=request.user, filters=filters)
    page = Paginator(found, PAGE_SIZE).get_page(
        params.read(request.GET, [params.page()], strict=False)["page"]
    )
    context = {
        "projects": list(page.object_list),
        "page_obj": page,
        "filters": filters,
        "filters_active": not filters.is_empty(),
        "query_string": params.encode(selectors.PROJECT_FILTERS, asdict(filters)).urlencode(),
        "countries": country_list(),
        "kinds": ProjectKind.choices,
        "can_curate": policy.can_curate_projects(request.user),
    }
    return render(request, "projects/list.html", context)


def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    context = selectors.project_detail(user=request.user, slug=slug)
    context["can_curate"] = policy.can_curate_projects(request.user)
    return render(request, "projects/detail.html", context)


def _curator_only(request: HttpRequest) -> None:
    if not policy.can_curate_projects(request.user):
        raise Http404("Only the secretariat edits projects.")


def _save(request: AuthenticatedRequest, form: ProjectForm, project=None):
    """Save the posted ``form`` through the service; return the project, or None if refused."""
    if not form.is_valid():
        return None
    try:
        return services.project_save(actor=request.user, project=project, **form.values())
    except (ValidationError, PermissionDenied) as error:
        show_refusal(form, error)
        return None


@login_required
def project_create(request: AuthenticatedRequest) -> HttpResponse:
    _curator_only(request)
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST":
        project = _save(request, form)
        if project is not None:
            messages.success(request, _("Project saved."))
            return redirect(project.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/form.html", {"form": form, "project": None}, status=status)


@login_required
def project_edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    project = policy.access_editable_project(request.user, slug)
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST":
        saved = _save(request, form, project)
        if saved is not None:
            messages.success(request, _("Project saved."))
            return redirect(saved.get_absolute_url())
        project.refresh_from_db()  # the form wrote the posted values onto the instance
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/form.html", {"form": form, "project": project}, status=status)
