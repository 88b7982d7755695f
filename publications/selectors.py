"""Reads of the library and of events, each starting from the access policy.

Every list owns its joins here, so that a page or an API list costs the same number of
queries for one row or for a full page.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from access import policy
from neaspec_portal import bounds, params
from publications.models import (
    BEST_PRACTICES,
    Event,
    EventStatus,
    EventType,
    Material,
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
    params.flag(
        "best_practices", description="Only best practices: guidelines, protocols, case studies."
    ),
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
    best_practices: bool = False
    year: int | None = None
    language: str = ""
    species: str = ""
    site: str = ""
    country: str = ""
    target: int | None = None
    theme: str = ""
    sort: str = "newest"


def _files_prefetch(prefix: str = "") -> Prefetch:
    # What a list of files shows; never a document's text nor an archive's metadata, which
    # can be megabytes a file (the search index reads the text on its own).
    return Prefetch(
        f"{prefix}links",
        queryset=PublicationFile.objects.select_related("data_file")
        .defer("data_file__extracted_text", "data_file__standard_metadata")
        .order_by("data_file__uploaded_at", "pk"),
    )


def _filtered(publications: QuerySet, filters: PublicationFilters) -> QuerySet:
    if filters.type:
        publications = publications.filter(type=filters.type)
    if filters.best_practices:
        publications = publications.filter(type__in=BEST_PRACTICES)
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


#: The tags a publication carries, by the field the API names each of them with.
TAG_CODES = {
    "species": "code",
    "sites": "code",
    "countries": "code",
    "targets": "number",
    "themes": "code",
}


def with_everything(publications: QuerySet) -> QuerySet[Publication]:
    """Return ``publications`` with authors, the files and the codes of every tag (in SQL,
    ``bounds.with_codes``): what the API shows. The pages' prefetches are dropped."""
    publications = publications.prefetch_related(None).select_related("owner_country")
    return bounds.with_codes(
        publications.prefetch_related("authors", _files_prefetch()), **TAG_CODES
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


#: The most datasets a protocol's page lists.
PROTOCOL_DATASETS_SHOWN = 100


def protocol_datasets(*, user, publication: Publication) -> list:
    """Return the datasets that follow the protocol ``publication`` and that ``user`` finds
    in the lists (published, current), by title; none for another type (one query)."""
    if publication.type != PublicationType.PROTOCOL:
        return []
    found = (
        policy.listed_datasets(user)
        .filter(protocols=publication)
        .select_related("owner_country")
        .order_by("title", "pk")
    )
    return list(found[:PROTOCOL_DATASETS_SHOWN])


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


def events(*, user, filters: EventFilters | None = None) -> QuerySet[Event]:
    """Return the published events (their descriptions are public), filtered."""
    filters = filters or EventFilters()
    found = policy.listed_events(user)
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


def event_list(*, user, filters: EventFilters | None = None) -> dict[str, QuerySet[Event]]:
    """Return upcoming events (soonest first), past events (latest first), and the drafts
    ``user`` curates (none unless secretariat), latest first."""
    today = timezone.localdate()
    found = events(user=user, filters=filters).prefetch_related("participant_counts")
    return {
        "upcoming": found.filter(end_date__gte=today).order_by("start_date", "pk"),
        "past": found.filter(end_date__lt=today).order_by("-start_date", "-pk"),
        "drafts": draft_events(user=user),
    }


def draft_events(*, user) -> QuerySet[Event]:
    """Return the draft events ``user`` curates, latest first (none unless secretariat)."""
    if not policy.can_curate_events(user):
        return Event.objects.none()
    drafts = policy.visible_events(user).filter(status=EventStatus.DRAFT)
    return drafts.order_by("-start_date", "-pk")


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
        event = with_agenda(policy.visible_events(user), user=user).get(pk=pk)
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


def counts_by_country(rows) -> list[ParticipantCount]:
    """Return ``rows`` added up by country, in their order (one unsaved row per country).

    A training records its trainees by age group and role too: pages that show participants
    by country and gender add those rows up.
    """
    merged: dict[str | None, ParticipantCount] = {}
    for row in rows:
        total = merged.get(row.country_id)
        if total is None:
            merged[row.country_id] = ParticipantCount(
                event_id=row.event_id,
                country=row.country if row.country_id else None,
                women=row.women,
                men=row.men,
                other=row.other,
            )
        else:
            total.women += row.women
            total.men += row.men
            total.other += row.other
    return list(merged.values())


def material_of(*, event: Event, pk) -> Material:
    """Return the material ``pk`` of ``event`` with its publication's speakers and tags;
    Http404 when it belongs to another event."""
    try:
        return (
            event.materials.select_related("publication", "session")
            .prefetch_related("publication__authors", "publication__species", "publication__sites")
            .get(pk=pk)
        )
    except (Material.DoesNotExist, ValueError, TypeError):
        raise Http404("No such material in this event.") from None


def participant_figures(event: Event) -> dict:
    """Return the counts by country (prefetched, added up) and the totals by gender."""
    counts = counts_by_country(event.participant_counts.all())
    return {
        "counts": counts,
        "women": sum(row.women for row in counts),
        "men": sum(row.men for row in counts),
        "other": sum(row.other for row in counts),
        "total": sum(row.total for row in counts),
    }
