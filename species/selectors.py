"""Reads of reference data (species, sites, member States, KMGBF targets) and of what is
tagged with it, each owning its joins."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import formats
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from access import policy
from datasets.models import Dataset
from maps.selectors import points_and_legend
from neaspec_portal import params
from projects.models import Project
from publications.models import Event, EventType, Publication
from species.models import Country, IucnCategory, KmgbfTarget, Site, Species, SpeciesGroup

#: The query parameters that narrow the species list of the API.
SPECIES_FILTERS = (
    params.choice("group", SpeciesGroup.values),
    params.choice("iucn_category", IucnCategory.values),
    params.flag("is_flagship", description="1: only NEASPEC's flagship species."),
)
#: The query parameters that narrow the sites, on the page and in the API.
SITE_FILTERS = (
    params.country(),
    params.code("species", description="Species code, e.g. TIGER_AMUR."),
)


def species_list(
    *, group: str = "", iucn_category: str = "", is_flagship: bool = False
) -> QuerySet[Species]:
    """Return the species, flagship first, optionally narrowed (``SPECIES_FILTERS``)."""
    species = Species.objects.all()
    if group:
        species = species.filter(group=group)
    if iucn_category:
        species = species.filter(iucn_category=iucn_category)
    if is_flagship:
        species = species.filter(is_flagship=True)
    return species


def species_get(code: str) -> Species:
    """Return the species ``code`` with its sites and their countries (raises DoesNotExist)."""
    return Species.objects.prefetch_related(
        Prefetch("sites", queryset=Site.objects.prefetch_related("countries"))
    ).get(code=code)


def site_list(*, country: str | None = None, species: str | None = None) -> QuerySet[Site]:
    """Return sites with their countries and species, optionally filtered by codes."""
    sites = Site.objects.prefetch_related("countries", "species")
    if country:
        sites = sites.filter(countries__code=country)
    if species:
        sites = sites.filter(species__code=species)
    return sites.distinct()


def site_get(code: str) -> Site:
    """Return the site ``code`` with its countries and species (raises DoesNotExist)."""
    return Site.objects.prefetch_related("countries", "species").get(code=code)


def country_list() -> QuerySet[Country]:
    """Return the member States."""
    return Country.objects.filter(is_member_state=True)


def tagged_content(*, user, species=None, site=None, country=None, limit: int = 10) -> dict:
    """Return the publications, events and datasets tagged with a species, site or country.

    Publications, datasets and events come through the access policy.
    """
    publications = policy.listed_publications(user)
    datasets = policy.listed_datasets(user)
    events = policy.listed_events(user)
    if species is not None:
        publications = publications.filter(species=species)
        datasets = datasets.filter(species=species)
        events = events.filter(species=species)
    if site is not None:
        publications = publications.filter(sites=site)
        datasets = datasets.filter(sites=site)
        events = events.filter(sites=site)
    if country is not None:
        publications = publications.filter(countries=country)
        datasets = datasets.filter(owner_country=country)
        events = events.filter(countries=country)
    return {
        "tagged_publications": list(publications.order_by("-year", "-pk")[:limit]),
        "tagged_datasets": list(
            datasets.select_related("owner_country").order_by("-published_at", "-pk")[:limit]
        ),
        "tagged_events": list(events.order_by("-start_date")[:limit]),
    }


#: When each species is expected, from the sources in docs/species-seasons.md.
EXPECTED_SEASONS = {
    "HOODED_CRANE": _(
        "Expected at Izumi (Japan) from mid-October to March, and on passage through Korea "
        "around late October and in early to mid-March."
    ),
    "WN_CRANE": _(
        "Expected in winter from November to February in Korea (Cheorwon) and at Izumi "
        "(Japan); it leaves Izumi by early March and Korea by about 20 March."
    ),
    "BF_SPOONBILL": _(
        "Expected on Korea's west-coast islets from about April to October (breeding April to "
        "July); it winters in Taiwan and Hong Kong from late October and leaves them in March."
    ),
}
BIG_CAT_SEASON = _(
    "Not migratory: records follow the survey seasons, such as snow tracking in winter and "
    "camera traps in May–June and September."
)


def expected_season(species: Species) -> str:
    """Return when ``species`` is expected in the region, or an empty string if unknown."""
    if species.group == SpeciesGroup.BIG_CAT:
        return str(BIG_CAT_SEASON)
    return str(EXPECTED_SEASONS.get(species.code, ""))


def species_occurrence_points(*, user, species: Species) -> tuple[list[list], Any]:
    """Return the points of ``species`` that ``user`` may see (generalized) and their legend.

    Only published datasets count, as on the map page.
    """
    features = policy.occurrences_for(user, species=species.code, published_only=True)
    return points_and_legend(features, {species.code: species})


def records_by_month(*, user, species: Species) -> dict:
    """Return the records of ``species`` per calendar month, counted through the policy.

    Only records of published datasets ``user`` may see are counted; records without a
    date are counted apart. Each month has its count and the bar height in percent.
    """
    rows = (
        policy.occurrence_summaries(user, published_only=True)
        .filter(species=species)
        .values("month")
        .annotate(total=Sum("records"))
        .order_by()
    )
    counts = {row["month"]: row["total"] for row in rows}
    undated = counts.pop(None, 0)
    highest = max(counts.values(), default=0)
    months = [
        {
            "number": number,
            "name": MONTHS[number],
            "short": formats.date_format(date(2000, number, 1), "M"),
            "records": counts.get(number, 0),
            "height": round(100 * counts.get(number, 0) / highest) if highest else 0,
        }
        for number in range(1, 13)
    ]
    return {"months": months, "dated": sum(counts.values()), "undated": undated}


# --- KMGBF targets ----------------------------------------------------------------------------

#: The query parameters that narrow what a target page or the targets API counts.
TARGET_FILTERS = (
    params.year(description="Publications of that year; datasets and events covering it."),
    params.country(),
)


@dataclass(frozen=True)
class TargetItems:
    """What the hub holds that ``user`` may see, before any target is chosen."""

    publications: QuerySet[Publication]
    datasets: QuerySet[Dataset]
    events: QuerySet[Event]
    projects: QuerySet[Project]


def target_items(*, user, year: int | None = None, country: str = "") -> TargetItems:
    """Return the publications, datasets and events ``user`` may see, narrowed by year and
    country (``TARGET_FILTERS``).

    Everything comes through the policy's ``visible_*`` functions: a visitor sees published
    items only, the owner side also its own drafts and submissions. A dataset superseded by a
    later version is left out, so that a series counts once.
    """
    publications = policy.visible_publications(user)
    datasets = policy.visible_datasets(user).filter(superseded_at__isnull=True)
    events = policy.listed_events(user)
    projects = policy.visible_projects(user)
    if year:
        publications = publications.filter(year=year)
        datasets = datasets.filter(
            Q(temporal_start__year__lte=year, temporal_end__year__gte=year)
            | Q(temporal_start__year=year, temporal_end__isnull=True)
        )
        events = events.filter(start_date__year__lte=year, end_date__year__gte=year)
        projects = projects.filter(
            Q(end_date__isnull=True) | Q(end_date__year__gte=year), start_date__year__lte=year
        )
    if country:
        tagged = Publication.countries.through.objects.filter(country_id=country)
        publications = publications.filter(pk__in=tagged.values("publication_id"))
        co_owned = Dataset.co_owner_countries.through.objects.filter(country_id=country)
        datasets = datasets.filter(
            Q(owner_country_id=country) | Q(pk__in=co_owned.values("dataset_id"))
        )
        events = events.filter(
            pk__in=Event.countries.through.objects.filter(country_id=country).values("event_id")
        )
        projects = projects.filter(
            pk__in=Project.countries.through.objects.filter(country_id=country).values("project_id")
        )
    return TargetItems(
        publications=publications, datasets=datasets, events=events, projects=projects
    )


def _per_target(through, owner: str, items: QuerySet, **extra: Q) -> dict[int, dict[str, int]]:
    rows = (
        through.objects.filter(**{f"{owner}_id__in": items.values("pk")})
        .values("kmgbftarget_id")
        .annotate(
            total=Count(f"{owner}_id"),
            **{name: Count(f"{owner}_id", filter=condition) for name, condition in extra.items()},
        )
        .order_by()
    )
    return {row.pop("kmgbftarget_id"): row for row in rows}


def target_list(*, user, year: int | None = None, country: str = "") -> list[KmgbfTarget]:
    """Return the 23 targets, each with the counts of what ``user`` may see tagged with it.

    Each target gets ``counts``: publications, datasets, events, trainings (events of
    type training) and projects. Five queries whatever the number of items: the targets and
    one count per kind of item.
    """
    items = target_items(user=user, year=year, country=country)
    publications = _per_target(Publication.targets.through, "publication", items.publications)
    datasets = _per_target(Dataset.targets.through, "dataset", items.datasets)
    events = _per_target(
        Event.targets.through,
        "event",
        items.events,
        trainings=Q(event__type=EventType.TRAINING),
    )
    projects = _per_target(Project.targets.through, "project", items.projects)
    targets = list(KmgbfTarget.objects.all())
    for target in targets:
        target.counts = {
            "publications": publications.get(target.number, {}).get("total", 0),
            "datasets": datasets.get(target.number, {}).get("total", 0),
            "events": events.get(target.number, {}).get("total", 0),
            "trainings": events.get(target.number, {}).get("trainings", 0),
            "projects": projects.get(target.number, {}).get("total", 0),
        }
    return targets


def target_get(code: str | int) -> KmgbfTarget:
    """Return the target numbered ``code`` (raises DoesNotExist for anything else)."""
    text = str(code).strip().upper().removeprefix("T")
    if not text.isdigit() or len(text) > 2:
        raise KmgbfTarget.DoesNotExist(f"No KMGBF target {code!r}.")
    return KmgbfTarget.objects.get(number=int(text))


def target_detail(
    *, user, target: KmgbfTarget, year: int | None = None, country: str = "", limit: int = 10
) -> dict[str, Any]:
    """Return what the hub holds toward ``target`` that ``user`` may see.

    The counts and the lists come from the same querysets (``target_items``): publications,
    datasets, events, trainings, projects, and the member States contributing (the countries
    of those items: a publication's countries, a dataset's owner and co-owners, an event's
    countries).
    """
    items = target_items(user=user, year=year, country=country)
    publications = items.publications.filter(
        pk__in=Publication.targets.through.objects.filter(kmgbftarget=target).values(
            "publication_id"
        )
    )
    datasets = items.datasets.filter(
        pk__in=Dataset.targets.through.objects.filter(kmgbftarget=target).values("dataset_id")
    )
    events = items.events.filter(
        pk__in=Event.targets.through.objects.filter(kmgbftarget=target).values("event_id")
    )
    projects = items.projects.filter(targets=target)
    countries = country_list().filter(
        Q(
            code__in=Publication.countries.through.objects.filter(
                publication_id__in=publications.values("pk")
            ).values("country_id")
        )
        | Q(code__in=datasets.values("owner_country_id"))
        | Q(
            code__in=Dataset.co_owner_countries.through.objects.filter(
                dataset_id__in=datasets.values("pk")
            ).values("country_id")
        )
        | Q(
            code__in=Event.countries.through.objects.filter(
                event_id__in=events.values("pk")
            ).values("country_id")
        )
    )
    return {
        "counts": {
            "publications": publications.count(),
            "datasets": datasets.count(),
            "events": events.count(),
            "trainings": events.filter(type=EventType.TRAINING).count(),
            "projects": projects.count(),
        },
        "countries": list(countries),
        "publications": list(publications.order_by("-year", "-pk")[:limit]),
        "datasets": list(
            datasets.select_related("owner_country").order_by("-published_at", "-pk")[:limit]
        ),
        "events": list(events.order_by("-start_date", "-pk")[:limit]),
        "projects": list(projects.order_by("-start_date", "title")[:limit]),
    }
