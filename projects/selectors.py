"""Reads of projects: the list, one project with its items, and its map.

Every item comes through ``access.policy`` (``project_datasets``, ``project_publications``,
``project_events``, ``project_people``), and the map draws only public forms of
locations: the sites' representative points, and dataset extents and points as the map
page draws them for this viewer (``maps.selectors``).
"""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from access import policy
from maps.selectors import dataset_extents, map_sites, points_and_legend
from neaspec_portal import params
from projects.models import Project, ProjectKind
from species.models import Country, Site, Species

#: The query parameters of the list of projects, on the page and in the API.
PROJECT_FILTERS = (
    params.year(description="Projects running in that year, e.g. 2024."),
    params.country(),
    params.choice("kind", ProjectKind.values),
)
#: How many of a project's datasets its map draws points of (one query set each).
MAX_MAP_DATASETS = 20
#: How many items of each kind a project page lists.
MAX_ITEMS = 100


@dataclass(frozen=True)
class ProjectFilters(params.Filters):
    SPEC = PROJECT_FILTERS

    year: int | None = None
    country: str = ""
    kind: str = ""


def project_list(*, user, filters: ProjectFilters | None = None) -> QuerySet[Project]:
    """Return the projects, narrowed by ``filters``, with their countries.

    Expect 2 queries: the projects and their countries.
    """
    filters = filters or ProjectFilters()
    found = policy.visible_projects(user)
    if filters.year:
        found = found.filter(
            Q(end_date__isnull=True) | Q(end_date__year__gte=filters.year),
            start_date__year__lte=filters.year,
        )
    if filters.country:
        found = found.filter(countries__code=filters.country)
    if filters.kind:
        found = found.filter(kind=filters.kind)
    return found.distinct().prefetch_related(Prefetch("countries", queryset=Country.objects.all()))


def project_tags(project: Project) -> dict:
    """Return what ``project`` is tagged with: countries, sites, species, targets, themes."""
    return {
        "countries": list(project.countries.all()),
        "sites": list(project.sites.all()),
        "species": list(project.species.all()),
        "targets": list(project.targets.all()),
        "themes": list(project.themes.all()),
    }


def project_items(*, user, project: Project) -> dict:
    """Return the items of ``project`` that ``user`` may see, newest first."""
    return {
        "datasets": list(
            policy.project_datasets(user, project)
            .select_related("owner_country")
            .order_by("-published_at", "-pk")[:MAX_ITEMS]
        ),
        "publications": list(
            policy.project_publications(user, project).order_by("-year", "-pk")[:MAX_ITEMS]
        ),
        "events": list(policy.project_events(user, project).order_by("-start_date")[:MAX_ITEMS]),
        "people": list(
            policy.project_people(user, project).select_related("country").order_by("display_name")
        ),
    }


def project_map(*, user, project: Project, sites: list[Site], datasets: list) -> dict:
    """Return what the project's map draws for ``user``: public forms of locations only.

    Sites at their representative points; the extents of the project's datasets listed for
    ``user`` (exact only for those ``user`` may download); and their occurrence points from
    ``policy.occurrences_for``, generalized as the policy decides.
    """
    species_by_code = {item.code: item for item in Species.objects.all()}
    features: list[dict] = []
    for dataset in datasets[:MAX_MAP_DATASETS]:
        features.extend(policy.occurrences_for(user, dataset=dataset.pk, published_only=True))
    points, legend = points_and_legend(features, species_by_code)
    extents, without_extent = dataset_extents(user=user, datasets=datasets[:MAX_MAP_DATASETS])
    site_rows = map_sites(sites)
    return {
        "legend": legend,
        "extents": extents,
        "datasets_without_extent": without_extent,
        "payload": {
            "sites": site_rows,
            "extents": extents,
            "points": points,
            "datasets": {
                entry["id"]: [entry["title"], entry["url"]] for entry in extents + without_extent
            },
        },
    }


def project_detail(*, user, slug: str) -> dict:
    """Return the project ``slug`` (Http404 if none) with its tags, items and map."""
    project = policy.access_project(user, slug)
    tags = project_tags(project)
    items = project_items(user=user, project=project)
    return {
        "project": project,
        **tags,
        **items,
        "map": project_map(
            user=user, project=project, sites=tags["sites"], datasets=items["datasets"]
        ),
    }
