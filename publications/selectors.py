"""Reads of the library and of events, each starting from the access policy.

Every list owns its joins here, so that a page or an API list costs the same number of
queries for one row or for a full page.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from access import policy
from neaspec_portal import params
from publications.models import (
    Event,
    EventType,
    ParticipantCount,
    Publication,
    PublicationFile,
    PublicationType,
    Session,
)
from species.models import Country, KmgbfTarget, Site, Species, Theme

SORTS = {"newest": ["-year", "-published_at", "-pk"], "title": ["title", "pk"]}
#: The query parameters that narrow the library, on the page and in the API.
PUBLICATION_FILTERS = (
    params.choice("type", PublicationType.values),
    params.year(),
    params.code("language", max_length=8, description="Language code, e.g. en or zh."),
    params.code("species", description="Species code, e.g. TIGER_AMUR."),
    params.code("site", max_length=60),
    params.country(),
    params.integer("target", minimum=1, maximum=23, description="KMGBF target number."),
    params.code("theme", max_length=60),
    params.choice("sort", list(SORTS), default="newest"),
)


@dataclass(frozen=True)
class PublicationFilters(params.Filters):
    """What the library can be narrowed by; every value is optional and checked."""

    SPEC = PUBLICATION_FILTERS
    UNFILTERED = frozenset({"sort"})

    type: str = ""
    year: int | None = None
    language: str = ""
    species: str = ""
    site: str = ""
    country: str = ""
    target: int | None = None
    theme: str = ""
    sort: str = "newest"


def _files_prefetch(prefix: str = "") -> Prefetch:
    return Prefetch(
        f"{prefix}links",
        queryset=PublicationFile.objects.select_related("data_file").order_by(
            "data_file__uploaded_at", "pk"
        ),
    )


def _filtered(publications: QuerySet, filters: PublicationFilters) -> QuerySet:
    if filters.type:
        publications = publications.filter(type=filters.type)
    if filters.year:
        publications = publications.filter(year=filters.year)
    if filters.language:
        publications = publications.filter(language=filters.language)
    if filters.target:
        publications = publications.filter(targets__number=filters.target)
    for value, lookup in (
        (filters.species, "species__code"),
        (filters.site, "sites__code"),
        (filters.country, "countries__code"),
        (filters.theme, "themes__code"),
    ):
        if value:
            publications = publications.filter(**{lookup: value})
    return publications.distinct().order_by(*SORTS[filters.sort])


def publication_list(*, user, filters: PublicationFilters | None = None) -> QuerySet[Publication]:
    """Return the library as ``user`` sees it (published, visible), filtered, for list rows."""
    publications = _filtered(policy.listed_publications(user), filters or PublicationFilters())
    return publications.select_related("owner_country").prefetch_related(
        "authors", "species", "countries"
    )


#: What a publication's page and the API show beside it, besides its files.
_EVERYTHING = ("authors", "species", "sites", "countries", "targets", "themes")


def with_everything(publications: QuerySet) -> QuerySet[Publication]:
    """Return ``publications`` with authors, every tag and the files (for the API)."""
    return publications.select_related("owner_country").prefetch_related(
        *_EVERYTHING, _files_prefetch()
    )


def publication_detail(*, user, pk) -> Publication:
    """Return one publication for its page, with authors, tags and files (404 if hidden)."""
    publication = policy.access_publication(user, pk)
    prefetch_related_objects([publication], *_EVERYTHING, _files_prefetch())
    # A page-only attribute for the template, on a row the ORM builds: not a model field.
    publication.thumbnail_file = None  # type: ignore[attr-defined]
    if policy.can_download_publication(user, publication):
        publication.thumbnail_file = next(  # type: ignore[attr-defined]
            (
                link.data_file
                for link in publication.links.all()
                if getattr(link.data_file, "thumbnail", None)
            ),
            None,
        )
    return publication


def publication_for_edit(*, user, pk) -> Publication:
    """Return the publication ``pk`` if ``user`` may change it; Http404 otherwise."""
    publication = policy.access_publication(user, pk)
    if not policy.can_edit_publication(user, publication):
        raise Http404("No such publication to edit.")
    prefetch_related_objects([publication], "authors", _files_prefetch())
    return publication


def my_publications(*, user) -> QuerySet[Publication]:
    """Return what ``user`` uploaded, in every review state, newest first."""
    return (
        policy.visible_publications(user)
        .filter(uploader_id=user.pk if user.is_authenticated else None)
        .select_related("reviewed_by")
        .prefetch_related("authors")
        .order_by("-created_at", "-pk")
    )


def review_queue(*, user) -> QuerySet[Publication]:
    """Return the submitted publications waiting for ``user``'s decision, oldest first."""
    return (
        policy.publications_to_review(user)
        .select_related("uploader", "owner_country")
        .prefetch_related("authors")
        .order_by("created_at", "pk")
    )


def filter_options() -> dict[str, list]:
    """Return the choices of the library's filters (reference data: five small queries)."""
    return {
        "species_options": list(Species.objects.all()),
        "site_options": list(Site.objects.all()),
        "country_options": list(Country.objects.filter(is_member_state=True)),
        "target_options": list(KmgbfTarget.objects.all()),
        "theme_options": list(Theme.objects.all()),
    }


# --- Events ---------------------------------------------------------------------------------


#: The query parameters that narrow the events, on the page and in the API.
EVENT_FILTERS = (
    params.choice("type", EventType.values),
    params.year(description="A year the event took place in."),
    params.code("species", description="Species code, e.g. TIGER_AMUR."),
    params.code("site", max_length=60),
    params.country(),
    params.integer("target", minimum=1, maximum=23, description="KMGBF target number."),
    params.code("theme", max_length=60, description="Theme code, e.g. capacity-building."),
)


@dataclass(frozen=True)
class EventFilters(params.Filters):
    SPEC = EVENT_FILTERS

    type: str = ""
    year: int | None = None
    species: str = ""
    site: str = ""
    country: str = ""
    target: int | None = None
    theme: str = ""


def events(*, filters: EventFilters | None = None) -> QuerySet[Event]:
    """Return events (their descriptions are public), filtered."""
    filters = filters or EventFilters()
    found = Event.objects.all()
    if filters.type:
        found = found.filter(type=filters.type)
    if filters.year:
        found = found.filter(start_date__year__lte=filters.year, end_date__year__gte=filters.year)
    for value, lookup in (
        (filters.species, "species__code"),
        (filters.site, "sites__code"),
        (filters.country, "countries__code"),
        (filters.target, "targets__number"),
        (filters.theme, "themes__code"),
    ):
        if value:
            found = found.filter(**{lookup: value})
    return found.distinct()


def event_list(*, filters: EventFilters | None = None) -> dict[str, QuerySet[Event]]:
    """Return upcoming events (soonest first) and past events (latest first)."""
    today = timezone.localdate()
    found = events(filters=filters).prefetch_related("participant_counts")
    return {
        "upcoming": found.filter(end_date__gte=today).order_by("start_date", "pk"),
        "past": found.filter(end_date__lt=today).order_by("-start_date", "-pk"),
    }


def _materials(user) -> QuerySet:
    """Return the materials ``user`` may see, with what an agenda line shows."""
    return (
        policy.visible_materials(user)
        .select_related("publication")
        .prefetch_related("publication__authors", _files_prefetch("publication__"))
        .order_by("order", "pk")
    )


def with_agenda(found: QuerySet[Event], *, user) -> QuerySet[Event]:
    """Return ``found`` with sessions, the materials ``user`` may see and participant counts."""
    materials = _materials(user)
    # The django-stubs plugin reads the Prefetch below as clashing with ``Event.general``,
    # which is only the declared type of this to_attr, not a field.
    return found.prefetch_related(  # type: ignore[no-redef]
        "species",
        "sites",
        "countries",
        "targets",
        "themes",
        Prefetch("materials", queryset=materials.filter(session__isnull=True), to_attr="general"),
        Prefetch(
            "sessions",
            queryset=Session.objects.prefetch_related(Prefetch("materials", queryset=materials)),
        ),
        Prefetch(
            "participant_counts",
            queryset=ParticipantCount.objects.select_related("country").order_by(
                "country__name_en"
            ),
        ),
    )


def downloadable_publications(*, user, event_ids) -> set[int]:
    """Return the pks of the event materials' publications whose files ``user`` may download."""
    return set(
        policy.visible_publications(user)
        .filter(Q(can_download=True), materials__event_id__in=list(event_ids))
        .values_list("pk", flat=True)
    )


def event_detail(*, user, pk) -> Event:
    """Return an event with its agenda; materials are those ``user`` may see (404 if missing)."""
    try:
        event = with_agenda(Event.objects.all(), user=user).get(pk=pk)
    except (Event.DoesNotExist, ValueError, TypeError):
        raise Http404("No such event.") from None
    event.downloadable_publications = downloadable_publications(user=user, event_ids=[event.pk])
    return event


def event_for_edit(*, user, pk) -> Event:
    """Return the event ``pk`` with its agenda if ``user`` curates events; Http404 otherwise."""
    if not policy.can_curate_events(user):
        raise Http404("No such event to edit.")
    return event_detail(user=user, pk=pk)


def session_of(*, event: Event, pk) -> Session:
    """Return the session ``pk`` of ``event``; Http404 when it belongs to another event."""
    try:
        return event.sessions.get(pk=pk)
    except (Session.DoesNotExist, ValueError, TypeError):
        raise Http404("No such session in this event.") from None


def participant_figures(event: Event) -> dict:
    """Return the counts by country (prefetched) and the totals by gender."""
    counts = list(event.participant_counts.all())
    return {
        "counts": counts,
        "women": sum(row.women for row in counts),
        "men": sum(row.men for row in counts),
        "other": sum(row.other for row in counts),
        "total": sum(row.total for row in counts),
    }
