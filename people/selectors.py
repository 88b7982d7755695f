"""Reads of public profiles: the expert directory, one profile, and links to profiles.

Every read starts from ``access.policy.visible_profiles``: a private profile is never
listed, counted, shown or linked.
"""

import unicodedata
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from access import policy
from neaspec_portal import params
from people.models import Profile
from species.models import Country, Species, Theme

#: The query parameters of the directory, on the page and in the API.
PEOPLE_FILTERS = (
    params.text("q", max_length=100, shorten=True, description="Part of a name or affiliation."),
    params.code("species", description="Species code, e.g. TIGER_AMUR."),
    params.country(),
    params.code("expertise", max_length=60, description="Theme code, e.g. genetics."),
    params.year(description="People of projects running in that year, e.g. 2024."),
)


@dataclass(frozen=True)
class PeopleFilters(params.Filters):
    SPEC = PEOPLE_FILTERS

    q: str = ""
    species: str = ""
    country: str = ""
    expertise: str = ""
    year: int | None = None


def profile_list(*, user, filters: PeopleFilters | None = None) -> QuerySet[Profile]:
    """Return the public profiles, narrowed by ``filters``, with what the directory shows.

    Expect 3 queries per page: the profiles (with their country), their species, their
    expertise.
    """
    filters = filters or PeopleFilters()
    found = policy.visible_profiles(user)
    if filters.q:
        found = found.filter(
            Q(display_name__icontains=filters.q) | Q(affiliation__icontains=filters.q)
        )
    if filters.species:
        found = found.filter(species__code=filters.species)
    if filters.country:
        found = found.filter(country_id=filters.country)
    if filters.expertise:
        found = found.filter(expertise__code=filters.expertise)
    if filters.year:
        found = found.filter(
            Q(user__projects__end_date__isnull=True)
            | Q(user__projects__end_date__year__gte=filters.year),
            user__projects__start_date__year__lte=filters.year,
        )
    return (
        found.distinct()
        .select_related("country")
        .prefetch_related(
            Prefetch("species", queryset=Species.objects.all()),
            Prefetch("expertise", queryset=Theme.objects.all()),
        )
        .order_by("display_name", "pk")
    )


def profile_detail(*, user, pk: int) -> Profile:
    """Return the public profile ``pk`` with its species and expertise (Http404 otherwise)."""
    profile = policy.access_profile(user, pk)
    profile.species_list = list(profile.species.all())  # type: ignore[attr-defined]
    profile.expertise_list = list(profile.expertise.all())  # type: ignore[attr-defined]
    return profile


def profile_projects(*, user, profile: Profile) -> list:
    """Return the projects ``profile``'s owner takes part in."""
    return list(policy.visible_projects(user).filter(people=profile.user_id))


def filter_options() -> dict:
    """Return the choices of the directory's filters: species, member States, themes."""
    return {
        "species_options": list(Species.objects.all()),
        "country_options": list(Country.objects.filter(is_member_state=True)),
        "expertise_options": list(Theme.objects.all()),
    }


def name_key(name: str) -> str:
    """Return ``name`` as names are matched: NFKC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def profile_links(*, user) -> dict[str, str]:
    """Return {name key: profile address} of the public profiles, for author links.

    A name that two public profiles share links to neither: a link must not guess.
    Expect 1 query.
    """
    links: dict[str, str] = {}
    shared: set[str] = set()
    for pk, name in policy.visible_profiles(user).values_list("pk", "display_name"):
        key = name_key(name)
        if key in links:
            shared.add(key)
        links[key] = Profile(pk=pk).get_absolute_url()
    for key in shared:
        del links[key]
    return links
