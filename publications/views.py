"""Pages of the library and of events."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access import policy
from publications import cite, selectors, services
from publications.forms import AUTHOR_ROWS, PublicationForm
from publications.models import PublicationType, Visibility


def publication_list(request: HttpRequest) -> HttpResponse:
    sort = "title" if request.GET.get("sort") == "title" else "newest"
    publications = selectors.publication_list(user=request.user, params=request.GET, sort=sort)
    page_obj = Paginator(publications, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    filters_active = any(
        request.GET.get(name)
        for name in ("type", "year", "language", "species", "site", "country", "target", "theme")
    )
    context = {
        "page_obj": page_obj,
        "publications": list(page_obj.object_list),
        "types": PublicationType.choices,
        "sort": sort,
        "filters_active": filters_active,
        "query_string": query.urlencode(),
    }
    return render(request, "publications/list.html", context)


def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_detail(user=request.user, pk=pk)
    context = {
        "publication": publication,
        "citation": cite.plain(publication),
        "can_review": policy.can_review_publication(request.user, publication),
        "visibility_rule": {
            Visibility.PUBLIC: _("Anyone may download the files."),
            Visibility.REGISTERED: _("Any verified account may download the files."),
            Visibility.MEMBER_STATES: _(
                "Verified accounts of the six member States may download the files."
            ),
        }[publication.visibility],
    }
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


@login_required
def publication_create(request: HttpRequest) -> HttpResponse:
    if not policy.can_upload_publications(request.user):
        raise Http404("Only verified accounts upload publications.")
    form = PublicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        duplicates = list(
            services.probable_duplicates(user=request.user, doi=form.cleaned_data["doi"])
        )
        if duplicates and not form.cleaned_data["confirm_duplicate"]:
            form.duplicates = duplicates
            form.add_error("doi", _("This DOI is already in the library; see below."))
        else:
            try:
                publication = services.publication_create(actor=request.user, **form.values())
                for upload in request.FILES.getlist("files"):
                    services.publication_file_add(
                        actor=request.user, publication=publication, upload=upload
                    )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
            else:
                messages.success(request, _("Thank you. The publication is saved."))
                return redirect(publication)
    author_rows = [
        (form[f"author_{n}_name"], form[f"author_{n}_affiliation"]) for n in range(AUTHOR_ROWS)
    ]
    return render(request, "publications/form.html", {"form": form, "author_rows": author_rows})


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    if not (policy.is_focal_point(request.user) or policy.is_secretariat(request.user)):
        raise Http404("Only focal points and the secretariat review publications.")
    return render(
        request,
        "publications/review_queue.html",
        {"publications": list(selectors.review_queue(user=request.user))},
    )


@login_required
@require_POST
def publication_review(request: HttpRequest, pk: int) -> HttpResponse:
    publication = policy.access_publication(request.user, pk)
    try:
        services.publication_review(
            actor=request.user,
            publication=publication,
            decision=request.POST.get("decision", ""),
            comment=request.POST.get("comment", ""),
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Decision recorded; the uploader is told."))
    return redirect(publication)


def event_list(request: HttpRequest) -> HttpResponse:
    return render(request, "publications/event_list.html", selectors.event_list())


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_detail(user=request.user, pk=pk)
    counts = list(event.participant_counts.all())
    context = {
        "event": event,
        "counts": counts,
        "women": sum(row.women for row in counts),
        "men": sum(row.men for row in counts),
        "other": sum(row.other for row in counts),
        "total": sum(row.total for row in counts),
    }
    return render(request, "publications/event_detail.html", context)
