"""Pages of events: the public record, and the secretariat's editing pages.

Only the secretariat curates events; to anyone else the editing pages do not exist (404).
"""

from dataclasses import asdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access import policy
from access.page_cache import list_page
from datasets.uploads import oversize_upload_messages
from neaspec_portal import params
from neaspec_portal.jsonld import jsonld_script
from neaspec_portal.refusals import refusal_text
from neaspec_portal.typing import AuthenticatedRequest
from publications import events_materials, events_services, selectors
from publications.events_forms import (
    EventForm,
    MaterialEditForm,
    MaterialForm,
    ParticipantsForm,
    SessionForm,
    show_refusal,
)
from publications.jsonld import event_jsonld
from publications.models import EventType
from publications.training_forms import TraineesFormSet
from publications.training_services import trainees_set
from species.selectors import country_list

PAST_PAGE_SIZE = 20


@list_page
def event_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.EventFilters.from_params(request.GET)
    found = selectors.event_list(user=request.user, filters=filters)
    past = Paginator(found["past"], PAST_PAGE_SIZE).get_page(
        params.read(request.GET, [params.page()], strict=False)["page"]
    )
    query = params.encode(selectors.EVENT_FILTERS, asdict(filters))
    context = {
        "upcoming": list(found["upcoming"]),
        "past": list(past.object_list),
        "drafts": list(found["drafts"]),
        "page_obj": past,
        "filters": filters,
        "filters_active": not filters.is_empty(),
        "query_string": query.urlencode(),
        "types": EventType.choices,
        "can_curate": policy.can_curate_events(request.user),
    }
    return render(request, "publications/event_list.html", context)


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_detail(user=request.user, pk=pk)
    context = {
        "event": event,
        "can_curate": policy.can_curate_events(request.user),
        "jsonld": jsonld_script(event_jsonld(event)),
        **selectors.participant_figures(event),
    }
    return render(request, "publications/event_detail.html", context)


def _curator_only(request: HttpRequest) -> None:
    if not policy.can_curate_events(request.user):
        raise Http404("Only the secretariat edits events.")


@login_required
def event_create(request: AuthenticatedRequest) -> HttpResponse:
    _curator_only(request)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = events_services.event_save(actor=request.user, **form.values())
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _(
                    "Event saved as a draft: only the secretariat sees it. Add its sessions "
                    "and materials, then publish it."
                ),
            )
            return redirect("publications:event_edit", pk=event.pk)
    return render(request, "publications/event_form.html", {"form": form, "event": None})


def _edit_page(request: HttpRequest, event, status: int = 200, **bound) -> HttpResponse:
    """Render the editing page of ``event``; ``bound`` replaces a form by the one posted."""
    figures = selectors.participant_figures(event)
    session_forms = [
        (session, SessionForm(instance=session, prefix=f"session-{session.pk}", event=event))
        for session in event.sessions.all()
    ]
    if "session_edit" in bound:
        edited, edited_form = bound["session_edit"]
        session_forms = [
            (session, edited_form if session.pk == edited.pk else form)
            for session, form in session_forms
        ]
    materials = [*event.general]
    for session in event.sessions.all():
        materials.extend(session.materials.all())
    context = {
        "event": event,
        "event_form": bound.get("event_form") or EventForm(instance=event),
        "session_forms": session_forms,
        "new_session_form": bound.get("session_form")
        or SessionForm(prefix="new-session", initial={"order": len(session_forms)}, event=event),
        "participants_form": bound.get("participants_form")
        or ParticipantsForm(
            countries=country_list(),
            initial=ParticipantsForm.initial_from(figures["counts"]),
        ),
        "trainees_formset": bound.get("trainees_formset")
        or (
            TraineesFormSet(
                initial=TraineesFormSet.initial_from(event.participant_counts.all()),
                form_kwargs={"countries": country_list()},
            )
            # A training's trainees replace the grid, unless the grid was posted (its errors).
            if event.type == EventType.TRAINING and "participants_form" not in bound
            else None
        ),
        "material_form": bound.get("material_form") or MaterialForm(event=event),
        "materials": materials,
        **figures,
    }
    return render(request, "publications/event_edit.html", context, status=status)


@login_required
def event_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_edit(user=request.user, pk=pk)
    if request.method != "POST":
        return _edit_page(request, event)
    form = EventForm(request.POST, instance=event)
    if form.is_valid():
        try:
            events_services.event_save(actor=request.user, event=event, **form.values())
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Event saved."))
            return redirect("publications:event_edit", pk=pk)
    event = selectors.event_for_edit(user=request.user, pk=pk)
    return _edit_page(request, event, status=400, event_form=form)


@login_required
@require_POST
def session_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_edit(user=request.user, pk=pk)
    form = SessionForm(request.POST, prefix="new-session", event=event)
    if form.is_valid():
        try:
            events_services.session_save(actor=request.user, event=event, **form.values())
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Session added."))
            return redirect("publications:event_edit", pk=pk)
    return _edit_page(request, event, status=400, session_form=form)


@login_required
@require_POST
def session_edit(request: AuthenticatedRequest, pk: int, session_pk: int) -> HttpResponse:
    event = selectors.event_for_edit(user=request.user, pk=pk)
    session = selectors.session_of(event=event, pk=session_pk)
    form = SessionForm(request.POST, instance=session, prefix=f"session-{session.pk}", event=event)
    if form.is_valid():
        try:
            events_services.session_save(
                actor=request.user, event=event, session=session, **form.values()
            )
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Session saved."))
            return redirect("publications:event_edit", pk=pk)
    event = selectors.event_for_edit(user=request.user, pk=pk)
    return _edit_page(request, event, status=400, session_edit=(session, form))


@login_required
@require_POST
def participants_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_edit(user=request.user, pk=pk)
    form = ParticipantsForm(request.POST, countries=country_list())
    if form.is_valid():
        try:
            events_services.participants_set(actor=request.user, event=event, **form.values())
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Participant figures saved."))
            return redirect("publications:event_edit", pk=pk)
    return _edit_page(request, event, status=400, participants_form=form)


@login_required
@require_POST
def trainees_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_edit(user=request.user, pk=pk)
    formset = TraineesFormSet(request.POST, form_kwargs={"countries": country_list()})
    if formset.is_valid():
        try:
            trainees_set(actor=request.user, event=event, **formset.values())
        except (ValidationError, PermissionDenied) as error:
            formset.refuse(error)
        else:
            messages.success(request, _("Trainees saved."))
            return redirect("publications:event_edit", pk=pk)
    return _edit_page(request, event, status=400, trainees_formset=formset)


@login_required
@require_POST
def material_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_edit(user=request.user, pk=pk)
    form = MaterialForm(request.POST, request.FILES, event=event)
    for message in oversize_upload_messages(request):
        form.add_error("files", message)
    if form.is_valid():
        try:
            events_services.material_add(actor=request.user, event=event, **form.values())
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error, MaterialForm.ALIASES)
        else:
            messages.success(request, _("Material added."))
            return redirect("publications:event_edit", pk=pk)
    return _edit_page(request, event, status=400, material_form=form)


def _ids(text: str) -> list[int] | None:
    """Return the comma-separated material ids of ``text``, or None when one is not an id."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not all(part.isascii() and part.isdigit() and len(part) <= 18 for part in parts):
        return None
    return [int(part) for part in parts]


def _moved(ids: list[int], moving: int, direction: str) -> list[int]:
    """Return ``ids`` with ``moving`` swapped with its neighbour up or down."""
    if moving not in ids:
        return ids
    index = ids.index(moving)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ids):
        ids[index], ids[other] = ids[other], ids[index]
    return ids


@login_required
@require_POST
def materials_reorder(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Move one material up or down within its session (``material`` + ``direction``), or
    put them all in the order of ``order`` (comma-separated ids)."""
    event = selectors.event_for_edit(user=request.user, pk=pk)
    groups = [[material.pk for material in event.general]]
    groups += [[material.pk for material in s.materials.all()] for s in event.sessions.all()]
    if request.POST.get("order"):
        ordered = _ids(request.POST["order"])
        if ordered is None:
            messages.error(request, _("Give the order as material numbers separated by commas."))
            return redirect("publications:event_edit", pk=pk)
    else:
        moving = request.POST.get("material", "")
        direction = request.POST.get("direction", "")
        if not moving.isdigit() or direction not in ("up", "down"):
            messages.error(request, _("Choose a material and a direction."))
            return redirect("publications:event_edit", pk=pk)
        ordered = [
            material_pk for group in groups for material_pk in _moved(group, int(moving), direction)
        ]
    try:
        events_services.materials_reorder(actor=request.user, event=event, material_ids=ordered)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("Order of the materials saved."))
    return redirect(reverse("publications:event_edit", args=[pk]) + "#materials")


@login_required
@require_POST
def event_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_edit(user=request.user, pk=pk)
    events_services.event_publish(actor=request.user, event=event)
    messages.success(request, _("The event is published: everyone sees it and its materials."))
    return redirect("publications:event_edit", pk=pk)


@login_required
def material_edit(request: AuthenticatedRequest, pk: int, material_pk: int) -> HttpResponse:
    event = selectors.event_for_edit(user=request.user, pk=pk)
    material = selectors.material_of(event=event, pk=material_pk)
    form = MaterialEditForm(request.POST or None, material=material)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                events_materials.material_update(
                    actor=request.user, material=material, **form.values()
                )
            except (ValidationError, PermissionDenied) as error:
                show_refusal(form, error, MaterialEditForm.ALIASES)
            else:
                messages.success(request, _("Material saved."))
                return redirect(reverse("publications:event_edit", args=[pk]) + "#materials")
        status = 400
    context = {"event": event, "material": material, "form": form}
    return render(request, "publications/material_edit.html", context, status=status)


@login_required
@require_POST
def material_remove(request: AuthenticatedRequest, pk: int, material_pk: int) -> HttpResponse:
    event = selectors.event_for_edit(user=request.user, pk=pk)
    material = selectors.material_of(event=event, pk=material_pk)
    events_materials.material_remove(actor=request.user, material=material)
    messages.success(request, _("Material removed, with its files."))
    return redirect(reverse("publications:event_edit", args=[pk]) + "#materials")
