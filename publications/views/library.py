"""Pages of the library: browse, read and cite, upload and edit, review."""

from dataclasses import asdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access import policy
from access.page_cache import list_page
from datasets import counts, usage
from datasets.models import CountKind, CountSubject
from datasets.uploads import file_states_answer, files_posted, oversize_upload_messages
from neaspec_portal import params
from neaspec_portal.jsonld import jsonld_script
from neaspec_portal.refusals import form_refusal
from neaspec_portal.typing import AuthenticatedRequest
from publications import cite, selectors, services
from publications.forms import (
    LANGUAGE_CHOICES,
    PublicationFilesForm,
    PublicationForm,
    ReviewForm,
    language_name,
)
from publications.jsonld import publication_jsonld
from publications.models import PublicationStatus, PublicationType, Visibility

PAGE_SIZE = 20


def download_rule(publication) -> str:
    """Return, in words, who may download the files of ``publication``."""
    if publication.status != PublicationStatus.PUBLISHED:
        return _(
            "Until it is published, only the uploader, the focal points of their country and "
            "the secretariat may download the files."
        )
    return {
        Visibility.PUBLIC: _("Anyone may download the files."),
        Visibility.REGISTERED: _("Any verified account may download the files."),
        Visibility.MEMBER_STATES: _(
            "Verified accounts of the six member States may download the files."
        ),
    }[publication.visibility]


@list_page
def publication_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.PublicationFilters.from_params(request.GET)
    found = selectors.publication_list(user=request.user, filters=filters)
    page_obj = Paginator(found, PAGE_SIZE).get_page(
        params.read(request.GET, [params.page()], strict=False)["page"]
    )
    publications = list(page_obj.object_list)
    for publication in publications:
        publication.language_label = language_name(publication.language)
    query = params.encode(selectors.PUBLICATION_FILTERS, asdict(filters))
    context = {
        "page_obj": page_obj,
        "publications": publications,
        "filters": filters,
        "filters_active": not filters.is_empty(),
        "query_string": query.urlencode(),
        "types": PublicationType.choices,
        "language_options": LANGUAGE_CHOICES[0][1],
        **selectors.filter_options(),
    }
    return render(request, "publications/list.html", context)


def _detail_context(request: HttpRequest, publication, review_form=None) -> dict:
    user = request.user
    return {
        "publication": publication,
        "language_label": language_name(publication.language),
        "citation": cite.plain(publication),
        "jsonld": jsonld_script(publication_jsonld(publication)),
        "download_rule": download_rule(publication),
        "can_review": policy.can_review_publication(user, publication),
        "can_edit": policy.can_edit_publication(user, publication),
        "can_feature": policy.can_curate_events(user)
        and publication.status == PublicationStatus.PUBLISHED,
        "review_form": review_form or ReviewForm(),
    }


def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_detail(user=request.user, pk=pk)
    counts.count_add(
        subject=CountSubject.PUBLICATION,
        object_id=publication.pk,
        kind=CountKind.VIEW,
        reader=request.user,
    )
    context = _detail_context(request, publication)
    context["counts"] = counts.counts_for(
        subject=CountSubject.PUBLICATION, object_id=publication.pk
    )
    context["following_datasets"] = selectors.protocol_datasets(
        user=request.user, publication=publication
    )
    if policy.can_read_usage_detail(request.user, publication):
        context["usage_table"] = usage.usage_table(
            usage.usage_figures(user=request.user, item_type="publication", item_id=publication.pk)
        )
    return render(request, "publications/detail.html", context)


def publication_cite(request: HttpRequest, pk: int, style: str) -> HttpResponse:
    publication = selectors.publication_detail(user=request.user, pk=pk)
    if style not in cite.FORMATS:
        raise Http404("Unknown citation format.")
    render_citation, content_type, extension = cite.FORMATS[style]
    response = HttpResponse(
        render_citation(publication), content_type=f"{content_type}; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="neaspec-{publication.pk}.{extension}"'
    return response


def _form_page(request: HttpRequest, form: PublicationForm, publication=None) -> HttpResponse:
    context = {"form": form, "publication": publication, "authors": form.authors}
    return render(request, "publications/form.html", context)


@login_required
def publication_create(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.can_upload_publications(request.user):
        return render(request, "publications/cannot_upload.html", status=403)
    form = PublicationForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return _form_page(request, form)
    refused = oversize_upload_messages(request)
    if form.is_valid():
        try:
            publication = services.publication_create(
                actor=request.user,
                confirm_duplicate=form.cleaned_data["confirm_duplicate"],
                uploads=form.cleaned_data["files"],
                refused=refused,
                **form.values(),
            )
        except services.DuplicateDoi as duplicate:
            form.duplicates = duplicate.publications
            form.add_error("doi", duplicate.detail)
        except (ValidationError, PermissionDenied) as error:
            form_refusal(form, error)
        else:
            if publication.status == PublicationStatus.PUBLISHED:
                messages.success(request, _("Published in the library."))
            else:
                messages.success(
                    request,
                    _(
                        "Thank you. A focal point of your country or the secretariat will "
                        "review it; you will hear by email."
                    ),
                )
            return redirect(publication)
    else:
        for message in refused:  # the service, not called, would have refused them
            form.add_error("files", message)
    return _form_page(request, form)


@login_required
def publication_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_for_edit(user=request.user, pk=pk)
    form = PublicationForm(request.POST or None, instance=publication, with_files=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_update(
                actor=request.user,
                publication=publication,
                confirm_duplicate=form.cleaned_data["confirm_duplicate"],
                **form.values(),
            )
        except services.DuplicateDoi as duplicate:
            form.duplicates = duplicate.publications
            form.add_error("doi", duplicate.detail)
        except (ValidationError, PermissionDenied) as error:
            form_refusal(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(publication)
    return _form_page(request, form, publication)


@login_required
def publication_files(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Show a publication's files and add more (JSON answers for the progress-bar script)."""
    publication = selectors.publication_for_edit(user=request.user, pk=pk)
    if request.method == "POST":
        page = reverse("publications:files", args=[publication.pk])
        return files_posted(request, target=publication, page=page)
    return render(
        request,
        "publications/files.html",
        {"publication": publication, "form": PublicationFilesForm()},
    )


@login_required
def publication_file_states(request: AuthenticatedRequest, pk: int) -> JsonResponse:
    """Return the processing state of each file of a publication, for the files page to poll."""
    publication = selectors.publication_for_edit(user=request.user, pk=pk)
    return file_states_answer(
        (link.data_file for link in publication.links.all()),
        with_values=bool(getattr(publication, "can_download", False)),
    )


@login_required
def my_publications(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "publications/mine.html",
        {"publications": list(selectors.my_publications(user=request.user))},
    )


@login_required
def review_queue(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.can_review_publications(request.user):
        raise Http404("Only focal points and the secretariat review publications.")
    return render(
        request,
        "publications/review_queue.html",
        {"publications": list(selectors.review_queue(user=request.user))},
    )


@login_required
@require_POST
def publication_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    publication = policy.access_publication(request.user, pk)
    if not policy.can_review_publication(request.user, publication):
        raise Http404("No such publication waits for your review.")
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.publication_review(
                actor=request.user, publication=publication, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            form_refusal(form, error)
        else:
            if form.cleaned_data["decision"] == "approve":
                messages.success(request, _("Published. The uploader is told by email."))
            else:
                messages.success(request, _("Returned to the uploader with your comment."))
            return redirect(publication)
    publication = selectors.publication_detail(user=request.user, pk=pk)
    context = _detail_context(request, publication, review_form=form)
    return render(request, "publications/detail.html", context, status=400)


@login_required
@require_POST
def publication_featured(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    publication = policy.access_publication(request.user, pk)
    if not policy.can_curate_events(request.user):
        raise Http404("Only the secretariat features publications.")
    featured = request.POST.get("featured") == "1"
    services.featured_set(actor=request.user, obj=publication, featured=featured)
    if featured:
        messages.success(request, _("Featured on the home page."))
    else:
        messages.success(request, _("No longer featured."))
    return redirect(publication)
