"""Reads of reference data and of what is tagged with it, each owning its joins."""

from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum
from django.utils import formats
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from access import policy
from maps.selectors import points_and_legend
from neaspec_portal import params
from species.models import Country, IucnCategory, Site, Species, SpeciesGroup

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
