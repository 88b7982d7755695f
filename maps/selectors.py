"""Reads of the maps: sites, dataset extents and occurrence points, all through the policy.

Locations come only from ``access.policy.occurrences_for`` (the public form for people who
may not download a dataset's files) and from the bounding boxes of files the user may
download. For every other dataset the extent is the box around the public points of all
its records, computed in SQL on the public form, so that an extent never says more than
the points already do.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, Max, Min, Q
from django.utils.translation import gettext as _

from access import policy
from datasets.models import DataFile, Dataset, FileState
from species.models import Site, Species

#: Most dataset extents drawn at once; filters narrow the rest down.
MAX_EXTENTS = 500


@dataclass
class Legend:
    """What the legend says about the points drawn: which species are generalized, and how."""

    generalized: list[tuple[str, str]] = field(default_factory=list)  # (species name, grid)
    withheld: int = 0
    shown: int = 0


def _species_label(properties: dict, species_by_code: dict[str, Species]) -> str:
    species = species_by_code.get(properties.get("species") or "")
    return species.name if species is not None else properties.get("scientificName") or ""


def points_and_legend(
    features: list[dict], species_by_code: dict[str, Species]
) -> tuple[list[list], Legend]:
    """Return the points to draw as ``[lat, lon, label, dataset id, generalized]`` and a legend.

    ``features`` come from ``access.policy.occurrences_for``; a feature without geometry is
    withheld and only counted.
    """
    points: list[list] = []
    legend = Legend()
    grids: dict[str, str] = {}
    for feature in features:
        properties = feature["properties"]
        records = properties.get("recordCount", 1)
        if feature["geometry"] is None:
            legend.withheld += records
            continue
        longitude, latitude = feature["geometry"]["coordinates"]
        name = _species_label(properties, species_by_code)
        when = (properties.get("eventDate") or "").replace("/", "–")
        label = " · ".join(part for part in [name, when] if part)
        if records > 1:
            label = f"{label} ({records})"
        precision = properties.get("coordinatePrecision")
        if precision:
            grids[name or str(_("names not resolved"))] = str(Decimal(str(precision)).normalize())
        points.append([latitude, longitude, label, properties["dataset"], 1 if precision else 0])
        legend.shown += records
    legend.generalized = sorted(grids.items())
    return points, legend


def _extents_from_public_points(*, user, dataset_ids: list[int]) -> dict[int, list[float]]:
    """Return, per dataset, the box around its public points padded by half their grid.

    ``dataset_ids`` are visible datasets ``user`` may not download.
    """
    half = F("grid") / 2
    rows = (
        policy.occurrence_summaries(user, published_only=True)
        .filter(dataset_id__in=dataset_ids)
        .shown()
        .values("dataset_id")
        .annotate(
            west=Min(F("longitude") - half),
            south=Min(F("latitude") - half),
            east=Max(F("longitude") + half),
            north=Max(F("latitude") + half),
        )
        .order_by()
    )
    return {
        row["dataset_id"]: [round(row[key], 6) for key in ("west", "south", "east", "north")]
        for row in rows
    }


def _extents_from_files(dataset_ids: list[int]) -> dict[int, list[float]]:
    """Return, per dataset, the union of its processed files' bounding boxes (exact).

    ``dataset_ids`` are datasets the user may download (``policy.can_download``).
    """
    boxes: dict[int, list[float]] = {}
    rows = DataFile.objects.filter(  # policy: only datasets the caller may download
        dataset_id__in=dataset_ids, state=FileState.READY, bbox__isnull=False
    ).values_list("dataset_id", "bbox")
    for dataset_id, bbox in rows:
        if not bbox or len(bbox) != 4:
            continue
        box = boxes.setdefault(dataset_id, list(bbox))
        box[0], box[1] = min(box[0], bbox[0]), min(box[1], bbox[1])
        box[2], box[3] = max(box[2], bbox[2]), max(box[3], bbox[3])
    return boxes


def species_choices() -> list[Species]:
    """Return every species for the filter, flagship species first."""
    return list(Species.objects.all())


def year_choices(*, user) -> list[int]:
    """Return the years of the occurrence records ``user`` may see on the map, newest first."""
    return list(
        policy.occurrence_summaries(user, published_only=True)
        .filter(year__isnull=False)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


def map_data(
    *,
    user,
    all_species: list[Species],
    species: Species | None = None,
    year: int | None = None,
) -> dict:
    """Return what the map page draws for ``user``: sites, dataset extents, points, legend.

    Only published datasets appear. Extents of datasets the user may download are their
    files' bounding boxes; other extents are boxes around the generalized points shown.
    ``all_species`` (from ``species_choices``) names the species of the points.
    """
    species_by_code = {item.code: item for item in all_species}
    features = policy.occurrences_for(
        user,
        species=species.code if species else None,
        year=year,
        published_only=True,
    )
    points, legend = points_and_legend(features, species_by_code)
    point_datasets = {feature["properties"]["dataset"] for feature in features}
    datasets = _map_datasets(user=user, species=species, year=year, point_datasets=point_datasets)
    extents, without_extent = _dataset_extents(user=user, datasets=datasets)
    site_rows = _site_rows(species=species)
    return {
        "sites": site_rows,
        "extents": extents,
        "datasets_without_extent": without_extent,
        "points": points,
        "legend": legend,
        "payload": {
            "sites": site_rows,
            "extents": extents,
            "points": points,
            "datasets": {
                entry["id"]: [entry["title"], entry["url"]] for entry in extents + without_extent
            },
        },
    }


def _map_datasets(
    *, user, species: Species | None, year: int | None, point_datasets: set[int]
) -> list[Dataset]:
    """Return the datasets listed beside the map: those matching the filters, or with points."""
    wanted = Q()
    if species is not None:
        wanted &= Q(species=species)
    if year is not None:
        # Datasets without a stated coverage show up through their records of that year.
        wanted &= Q(temporal_start__year__lte=year, temporal_end__year__gte=year)
    listed = policy.listed_datasets(user)
    if wanted:  # an empty Q() would drop out of the OR and keep only datasets with points
        listed = listed.filter(wanted | Q(pk__in=sorted(point_datasets)))
    return list(
        listed.distinct()
        .only("pk", "title", "title_en", "published_at")
        .order_by("-published_at", "-pk")[:MAX_EXTENTS]
    )


def _dataset_extents(*, user, datasets: list[Dataset]) -> tuple[list[dict], list[dict]]:
    """Return the extents of ``datasets`` and the entries of those without one.

    Exact boxes for the datasets ``user`` may download, generalized ones for the others.
    """
    exact = _extents_from_files([d.pk for d in datasets if policy.can_download(user, d)])
    generalized = _extents_from_public_points(
        user=user, dataset_ids=[d.pk for d in datasets if not policy.can_download(user, d)]
    )
    extents, without_extent = [], []
    for dataset in datasets:
        downloadable = policy.can_download(user, dataset)
        box = exact.get(dataset.pk) if downloadable else generalized.get(dataset.pk)
        entry = {
            "id": dataset.pk,
            "title": dataset.display_title,
            "url": dataset.get_absolute_url(),
        }
        if box is None:
            without_extent.append(entry)
        else:
            extents.append({**entry, "bbox": box, "generalized": not downloadable})
    return extents, without_extent


def _site_rows(*, species: Species | None) -> list[dict]:
    """Return the monitoring sites drawn on the map, those of ``species`` when one is chosen."""
    sites = Site.objects.all()
    if species is not None:
        sites = sites.filter(species=species)
    return map_sites(sites)


def map_sites(sites: Iterable[Site]) -> list[dict[str, Any]]:
    """Return what a map draws of ``sites``: each site's name, point and page."""
    return [
        {
            "name": site.name,
            "lat": float(site.latitude),
            "lon": float(site.longitude),
            "url": site.get_absolute_url(),
        }
        for site in sites
    ]


def dataset_extents(*, user, datasets: list[Dataset]) -> tuple[list[dict], list[dict]]:
    """Return the extents of ``datasets`` (listed for ``user``) and those without one.

    Exact boxes for the datasets ``user`` may download, boxes around the public points for
    the others: what the map page draws, for other pages' maps (projects).
    """
    return _dataset_extents(user=user, datasets=datasets)
