"""Reads of the library and of events, each starting from the access policy."""

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from access import policy
from publications.models import Event, Publication, PublicationFile, PublicationType

SORTS = {"newest": ["-year", "-published_at", "-pk"], "title": ["title", "pk"]}


def publication_list(*, user, params=None, sort: str = "newest") -> QuerySet[Publication]:
    """Return the published publications ``user`` may see, filtered by ``params``."""
    params = params or {}
    publications = policy.listed_publications(user)
    kind = params.get("type", "")
    if kind in PublicationType.values:
        publications = publications.filter(type=kind)
    year = params.get("year", "")
    if year.isdigit():
        publications = publications.filter(year=int(year))
    for name, lookup in (
        ("language", "language"),
        ("species", "species__code"),
        ("site", "sites__code"),
        ("country", "countries__code"),
        ("theme", "themes__code"),
    ):
        if params.get(name):
            publications = publications.filter(**{lookup: params[name][:60]})
    target = params.get("target", "")
    if target.isdigit():
        publications = publications.filter(targets__number=int(target))
    return (
        publications.distinct()
        .select_related("owner_country")
        .prefetch_related("authors", "species", "countries")
        .order_by(*SORTS.get(sort, SORTS["newest"]))
    )


def publication_detail(*, user, pk) -> Publication:
    """Return one publication for its page, with authors, tags and files (404 if hidden)."""
    publication = policy.access_publication(user, pk)
    prefetch_related_objects(
        [publication],
        "authors",
        "species",
        "sites",
        "countries",
        "targets",
        "themes",
        Prefetch("links", queryset=PublicationFile.objects.select_related("data_file")),
    )
    return publication


def review_queue(*, user) -> QuerySet[Publication]:
    return policy.publications_to_review(user).select_related("uploader", "owner_country")


def event_list() -> dict[str, list[Event]]:
    """Return upcoming and past events (events are public)."""
    today = timezone.localdate()
    events = Event.objects.prefetch_related("participant_counts")
    return {
        "upcoming": list(events.filter(end_date__gte=today).order_by("start_date")),
        "past": list(events.filter(end_date__lt=today).order_by("-start_date")),
    }


def event_detail(*, user, pk) -> Event:
    """Return an event with its agenda; materials are those ``user`` may see."""
    materials = (
        policy.visible_materials(user)
        .select_related("publication")
        .prefetch_related(
            "publication__authors",
            Prefetch(
                "publication__links", queryset=PublicationFile.objects.select_related("data_file")
            ),
        )
    )
    downloadable = set(
        policy.visible_publications(user)
        .filter(can_download=True, materials__event_id=pk)
        .values_list("pk", flat=True)
    )
    try:
        event = Event.objects.prefetch_related(
            Prefetch("materials", queryset=materials.filter(session__isnull=True)),
            Prefetch("sessions__materials", queryset=materials),
            "participant_counts__country",
        ).get(pk=pk)
    except (Event.DoesNotExist, ValueError):
        raise Http404("No such event.") from None
    event.downloadable_publications = downloadable
    return event
