"""Reads of reference data, each owning its joins."""

from django.db.models import Prefetch, QuerySet

from species.models import Country, Site, Species


def species_list() -> QuerySet[Species]:
    """Return all species, flagship first."""
    return Species.objects.all()


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


def home_highlights(*, user) -> dict:
    """Return what the home page shows beside the species: featured event, latest items, counts.

    Every list and count goes through the access policy.
    """
    from access import policy
    from publications.models import Event

    publications = policy.listed_publications(user)
    datasets = policy.listed_datasets(user)
    return {
        "featured_event": Event.objects.filter(featured=True).order_by("-start_date").first(),
        "latest_publications": list(
            publications.select_related("owner_country").order_by("-published_at", "-pk")[:4]
        ),
        "latest_datasets": list(
            datasets.select_related("owner_country").order_by("-published_at", "-pk")[:4]
        ),
        "publication_count": publications.count(),
        "dataset_count": datasets.count(),
    }


def tagged_content(*, user, species=None, site=None, country=None, limit: int = 10) -> dict:
    """Return the publications, events and datasets tagged with a species, site or country.

    Publications and datasets come through the access policy.
    """
    from access import policy
    from publications.models import Event

    publications = policy.listed_publications(user)
    datasets = policy.listed_datasets(user)
    events = Event.objects.all()
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
