"""Pages of datasets: browse, describe and upload, review, access requests, grants, audit."""

from dataclasses import asdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access import policy
from access.page_cache import list_page
from datasets import cite, counts, profile_selectors, selectors, services, usage, versions
from datasets.cards import dataset_cards
from datasets.citation_api import citation_response
from datasets.datacite import FORMATS as CITATION_FORMATS
from datasets.exports.jsonld import dataset_jsonld
from datasets.forms import (
    AccessRequestForm,
    DatasetFilterForm,
    DatasetForm,
    GrantForm,
    ReasonForm,
    ReviewForm,
    contact_initial,
)
from datasets.models import SHORT_TEXT, AccessLevel, CountKind, CountSubject, DatasetStatus
from datasets.uploads import file_states_answer, files_posted
from neaspec_portal import page_cache, params
from neaspec_portal.api_errors import Conflict
from neaspec_portal.jsonld import jsonld_script
from neaspec_portal.refusals import form_refusal, refusal_text
from neaspec_portal.typing import AuthenticatedRequest

PAGE_SIZE = 20


def download_rule(dataset) -> str:
    """Return, in words, who may download ``dataset``'s files."""
    country = dataset.owner_country.name
    rules = {
        AccessLevel.PUBLIC: _("Anyone may download the files."),
        AccessLevel.REGISTERED: _("Any verified account may download the files."),
        AccessLevel.MEMBER_STATES: _(
            "Verified accounts of the six member States may download the files."
        ),
        AccessLevel.COUNTRY: _("Restricted to verified accounts of %(country)s and approved users.")
        % {"country": country},
        AccessLevel.RESTRICTED: _("Restricted to %(country)s's focal points and approved users.")
        % {"country": country},
    }
    return rules[dataset.access_level]


def _filter_fields(filters: selectors.DatasetFilters) -> str:
    """Return the list's filters drawn: kept for the unfiltered list (the same for everyone
    until a species, site or country changes), drawn with the request's values otherwise."""

    def draw() -> str:
        form = DatasetFilterForm(initial=asdict(filters))
        return render_to_string("datasets/partials/filter_fields.html", {"form": form})

    if settings.FAST_PAGES and filters.is_empty():
        return page_cache.fragment("datasets:filters", draw)
    return draw()


@list_page
def dataset_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.DatasetFilters.from_params(request.GET)
    listed = selectors.dataset_list_rows(user=request.user, filters=filters)
    page: Paginator
    if settings.FAST_PAGES and filters.is_empty():
        # Every reader lists the same rows (published and current), so the count is kept.
        page = page_cache.KeptCountPaginator(listed, PAGE_SIZE, name=selectors.LISTED_COUNT)
    else:
        page = Paginator(listed, PAGE_SIZE)
    page_obj = page.get_page(params.read(request.GET, [params.page()], strict=False)["page"])
    query = params.encode(selectors.DATASET_FILTERS, asdict(filters))
    rows = list(page_obj.object_list)
    context = {
        "filter_fields": _filter_fields(filters),
        "page_obj": page_obj,
        "datasets": rows,
        "cards": dataset_cards(rows),
        "filters_active": not filters.is_empty(),
        "query_string": query.urlencode(),
    }
    return render(request, "datasets/list.html", context)


def dataset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dataset = selectors.dataset_detail(user=request.user, pk=pk)
    counts.count_add(
        subject=CountSubject.DATASET, object_id=dataset.pk, kind=CountKind.VIEW, reader=request.user
    )
    return render(request, "datasets/detail.html", _detail_context(request, dataset))


def _detail_context(request: HttpRequest, dataset, review_form: ReviewForm | None = None) -> dict:
    user = request.user
    profile = profile_selectors.dataset_profile(user=user, dataset=dataset)
    return {
        "counts": counts.counts_for(subject=CountSubject.DATASET, object_id=dataset.pk),
        "usage_table": usage.usage_table(
            usage.usage_figures(user=user, item_type="dataset", item_id=dataset.pk)
        )
        if policy.can_read_usage_detail(user, dataset)
        else None,
        "can_delegate": policy.can_delegate_access(user, dataset),
        "dataset": dataset,
        "citation": cite.plain(cite.citation_of(selectors.with_citation_relations(dataset))),
        "citation_formats": CITATION_FORMAT_LABELS,
        "profile": profile,
        "profile_map": {"points": profile.points, "datasets": {}},
        "download_rule": download_rule(dataset),
        "can_edit": policy.can_edit_dataset(user, dataset),
        "review_countries": policy.review_countries(user, dataset),
        "can_withdraw": policy.can_withdraw(user, dataset),
        "can_request": policy.can_request_access(user, dataset),
        "pending_request": selectors.pending_request(user=user, dataset=dataset),
        "downloadable_files": {
            data_file.pk
            for data_file in dataset.files.all()
            if policy.can_download_file(user, dataset, data_file)
        },
        "can_read_review_comments": policy.can_read_review_comments(user, dataset),
        "review_form": review_form or ReviewForm(),
        "reason_form": ReasonForm(),
        **_version_context(user, dataset),
        "jsonld": jsonld_script(dataset_jsonld(dataset)),
    }


#: The download links of the "Cite" block: ``?format=`` name → label (names of formats).
CITATION_FORMAT_LABELS = {
    "bibtex": "BibTeX",
    "ris": "RIS",
    "csl-json": "CSL-JSON",
    "datacite": "DataCite XML",
    "text": "Text",
}


def dataset_cite(request: HttpRequest, pk: int, style: str) -> HttpResponse:
    """Send the citation of a dataset version as a file, in one of ``CITATION_FORMATS``."""
    dataset = selectors.dataset_for_citation(user=request.user, pk=pk)
    if style not in CITATION_FORMATS:
        raise Http404("Unknown citation format.")
    return citation_response(dataset, style, disposition="attachment")


def _version_context(user, dataset) -> dict:
    """Return what the page shows of the dataset's versions and what may be done with them."""
    versions = selectors.dataset_versions(user=user, dataset=dataset)
    current = next(
        (
            version
            for version in versions
            if version.status == DatasetStatus.PUBLISHED and version.superseded_at is None
        ),
        None,
    )
    return {
        "versions": versions if len(versions) > 1 else [],
        "current_version": current if current is not None and current.pk != dataset.pk else None,
        "can_start_version": policy.can_start_version(user, dataset),
        "can_delete": dataset.is_editable
        and dataset.published_at is None
        and policy.can_delete_draft(user, dataset),
        "can_restore": policy.can_restore(user, dataset),
    }


@login_required
def dataset_create(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.is_member_state_researcher(request.user):
        return render(request, "datasets/cannot_upload.html", status=403)
    form = DatasetForm(
        request.POST or None, user=request.user, initial=contact_initial(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            dataset = services.dataset_create(actor=request.user, **form.values())
        except (ValidationError, PermissionDenied) as error:
            form_refusal(form, error)
        else:
            messages.success(request, _("Draft saved. Now add its files."))
            return redirect("datasets:files", pk=dataset.pk)
    return render(request, "datasets/form.html", {"form": form, "dataset": None})


@login_required
def dataset_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    dataset = policy.access_editable_dataset(request.user, pk)
    prefill = {} if request.POST else selectors.eml_initial(dataset, request.GET.get("from_eml"))
    form = DatasetForm(request.POST or None, instance=dataset, initial=prefill, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.dataset_update(actor=request.user, dataset=dataset, **form.values())
        except (ValidationError, PermissionDenied) as error:
            form_refusal(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(dataset)
    context = {"form": form, "dataset": dataset, "prefilled": bool(prefill)}
    context["eml_offers"] = selectors.eml_offers(dataset)
    return render(request, "datasets/form.html", context)


@login_required
def dataset_files(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Show the file list and accept one or many files, all or none (JSON for the
    progress-bar script)."""
    dataset = policy.access_editable_dataset(request.user, pk)
    if request.method == "POST":
        page = reverse("datasets:files", args=[dataset.pk])
        return files_posted(request, target=dataset, page=page)
    dataset = selectors.dataset_detail(user=request.user, pk=pk)
    return render(request, "datasets/files.html", {"dataset": dataset})


@login_required
@require_POST
def file_delete(request: AuthenticatedRequest, pk: int, file_pk: int) -> HttpResponse:
    dataset = policy.access_editable_dataset(request.user, pk)
    data_file = policy.access_data_file(request.user, file_pk)
    if data_file.dataset_id != dataset.pk:
        raise Http404("No such file in this dataset.")
    services.data_file_delete(actor=request.user, data_file=data_file)
    messages.success(request, _("%(name)s removed.") % {"name": data_file.original_name})
    return redirect("datasets:files", pk=dataset.pk)


def _act(request: HttpRequest, dataset, action, success: str) -> HttpResponse:
    try:
        action()
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, success)
    return redirect("datasets:detail", pk=dataset.pk)


@login_required
@require_POST
def dataset_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    dataset = policy.access_dataset(request.user, pk)
    return _act(
        request,
        dataset,
        lambda: services.dataset_submit(actor=request.user, dataset=dataset),
        _("Submitted. The focal points are told by email."),
    )


@login_required
@require_POST
def dataset_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Record a focal point's decision; on a refusal show the page again with the decision
    and the comment kept and the reason beside the field it concerns."""
    dataset = policy.access_dataset(request.user, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.dataset_review(
                actor=request.user,
                dataset=dataset,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except PermissionDenied as error:  # no form to show it beside: the page says it
            messages.error(request, refusal_text(error))
            return redirect(dataset)
        except ValidationError as error:
            form_refusal(form, error)
        else:
            messages.success(request, _("Your decision is recorded and the uploader is told."))
            return redirect(dataset)
    dataset = selectors.dataset_detail(user=request.user, pk=pk)
    context = _detail_context(request, dataset, review_form=form)
    return render(request, "datasets/detail.html", context, status=400)


@login_required
@require_POST
def dataset_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    dataset = policy.access_dataset(request.user, pk)
    reason = request.POST.get("reason", "")
    return _act(
        request,
        dataset,
        lambda: services.dataset_withdraw(actor=request.user, dataset=dataset, reason=reason),
        _("The dataset is withdrawn."),
    )


@login_required
@require_POST
def dataset_new_version(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Start the next version of a published dataset and open its draft."""
    dataset = policy.access_dataset(request.user, pk)
    try:
        new = versions.dataset_start_version(
            actor=request.user,
            dataset=dataset,
            change_note=request.POST.get("change_note", "")[:SHORT_TEXT],
        )
    except Conflict as conflict:
        messages.error(request, conflict.detail)
        draft = conflict.data.get("draft")
        return redirect("datasets:detail", pk=draft or dataset.pk)
    messages.success(
        request,
        _("Version %(version)d started: edit it, change its files, then submit it.")
        % {"version": new.version},
    )
    return redirect(new)


@login_required
@require_POST
def dataset_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    dataset = policy.access_dataset(request.user, pk)
    try:
        versions.dataset_delete_draft(actor=request.user, dataset=dataset)
    except Conflict as conflict:
        messages.error(request, conflict.detail)
        return redirect(dataset)
    messages.success(request, _("The draft is deleted."))
    return redirect("datasets:mine")


@login_required
@require_POST
def dataset_restore(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    dataset = policy.access_dataset(request.user, pk)
    return _act(
        request,
        dataset,
        lambda: services.dataset_restore(actor=request.user, dataset=dataset),
        _("The dataset is published again; its previews and search entry are being rebuilt."),
    )


@login_required
def my_datasets(request: AuthenticatedRequest) -> HttpResponse:
    datasets = list(selectors.my_datasets(user=request.user))
    return render(request, "datasets/mine.html", {"datasets": datasets})


@login_required
def review_queue(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.can_review_datasets(request.user):
        raise Http404("Only focal points and the secretariat review datasets.")
    datasets = list(selectors.review_queue(user=request.user))
    return render(request, "datasets/review_queue.html", {"datasets": datasets})


@login_required
def request_access(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    dataset = policy.access_dataset(request.user, pk)
    if not policy.can_request_access(request.user, dataset):
        raise Http404("Nothing to request.")
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.access_request_create(actor=request.user, dataset=dataset, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, refusal_text(error))
        else:
            messages.success(request, _("Request sent. You will get an email with the answer."))
            return redirect(dataset)
    return render(request, "datasets/request_access.html", {"form": form, "dataset": dataset})


@login_required
def access_requests(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.is_focal_point(request.user):
        raise Http404("Only focal points answer access requests.")
    pending = list(policy.access_requests_to_answer(request.user).order_by("created_at"))
    return render(
        request,
        "datasets/access_requests.html",
        {"pending": pending, "grant_form": GrantForm(), "reason_form": ReasonForm()},
    )


@login_required
@require_POST
def access_request_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access_request = policy.access_access_request(request.user, pk)
    try:
        if request.POST.get("decision") == "grant":
            form = GrantForm(request.POST)
            until = form.cleaned_data["until"] if form.is_valid() else None
            services.access_request_grant(
                actor=request.user, access_request=access_request, until=until
            )
            messages.success(request, _("Access granted; the requester is told."))
        else:
            services.access_request_decline(
                actor=request.user,
                access_request=access_request,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("Request declined; the requester is told."))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal_text(error))
    # An uploader whom the focal points let answer does so from "My access".
    if not policy.is_focal_point(request.user):
        return redirect("datasets:my_access")
    return redirect("datasets:access_requests")


@login_required
def grants(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.is_focal_point(request.user):
        raise Http404("Only focal points manage grants.")
    active = list(policy.managed_grants(request.user).order_by("expires_at"))
    return render(request, "datasets/grants.html", {"grants": active})


@login_required
@require_POST
def grant_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    grant_row = policy.access_grant(request.user, pk)
    services.grant_revoke(actor=request.user, grant_row=grant_row)
    messages.success(request, _("Access revoked; it stops with the holder's next request."))
    return redirect("datasets:grants")


@login_required
def audit_log(request: AuthenticatedRequest) -> HttpResponse:
    events = policy.visible_audit_events(request.user)
    if not policy.can_read_audit(request.user):
        raise Http404("Only focal points and the secretariat read the audit log.")
    page_obj = Paginator(events, 50).get_page(
        params.read(request.GET, [params.page()], strict=False)["page"]
    )
    return render(request, "datasets/audit.html", {"page_obj": page_obj})


def file_states(request: HttpRequest, pk: int) -> JsonResponse:
    """Return the processing state of each file of a dataset, for the page to poll."""
    dataset = selectors.dataset_detail(user=request.user, pk=pk)
    return file_states_answer(
        dataset.files.all(), with_values=policy.can_download(request.user, dataset)
    )
