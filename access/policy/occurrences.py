"""Occurrences: where records were seen, as each user may see them.

Locations leave the server only through here. People who may download a dataset's files
get its records as held (``Occurrence``); everyone else gets the public form decided when
the records were stored (``PublicOccurrence``, built by ``datasets.locations``), which has
no exact column: every filter, count, extent and cluster for them is computed on it. The
exact table is queried only with the ids of datasets the user may download.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from access.policy.datasets import downloadable_datasets, listed_datasets, visible_datasets
from access.policy.roles import Actor
from datasets.models import Dataset, Occurrence, PublicOccurrence, PublicOccurrenceQuerySet

#: Largest rounding error of each public grid in metres (Chapman & Wieczorek 2020).
GRID_UNCERTAINTY_M = {0.1: 15_691, 0.01: 1_570, 0.001: 157}
MAX_OCCURRENCES = 5000
#: The columns of a stored public form that ``_public_feature`` reads.
PUBLIC_FEATURE_FIELDS = (
    "dataset_id",
    "species__code",
    "species__scientific_name",
    "first_date",
    "last_date",
    "latitude",
    "longitude",
    "grid",
    "withheld",
    "public_from",
    "records",
)

_WITHHELD_REASONS = {
    "camera_station": "camera-station coordinates",
    "collar_fix": "collar fixes younger than 180 days",
    "species": "locations of this species",
}


@dataclass(frozen=True)
class OccurrenceFilters:
    """What a caller narrows occurrences to; every field is applied to what the user gets."""

    dataset: int | None = None
    species: str | None = None
    year: int | None = None
    #: (west, south, east, north) in degrees.
    bbox: tuple[float, float, float, float] | None = None


def occurrence_datasets(
    user: Actor, *, dataset: int | None = None, published_only: bool = False
) -> tuple[list[int], QuerySet[Dataset, Mapping[str, object]]]:
    """Return the ids of datasets whose exact records ``user`` may read, and the others.

    The first are the visible datasets with records that ``user`` may download; the
    second, a subquery of the visible datasets ``user`` may not download (public form only).
    """
    visible = listed_datasets(user) if published_only else visible_datasets(user)
    if dataset is not None:
        visible = visible.filter(pk=dataset)
    else:
        # Versions share their records: without a dataset named, only the current ones count.
        visible = visible.filter(superseded_at__isnull=True)
    with_records = PublicOccurrence.objects.filter(dataset_id=OuterRef("pk"))
    # Filtered with the set form of the download rule, not on the per-row annotation: this
    # reads every visible dataset.
    downloadable = downloadable_datasets(user, visible)
    exact = list(downloadable.filter(Exists(with_records)).values_list("pk", flat=True).order_by())
    return exact, visible.exclude(pk__in=downloadable.values("pk")).values("pk")


def occurrence_summaries(user: Actor, *, published_only: bool = False) -> PublicOccurrenceQuerySet:
    """Return the public rows of every visible dataset: for counts by species, year, month.

    They carry the number of records (``records``) and their dates, never a location that
    the public form does not already give; use them for figures, not for points.
    """
    visible = listed_datasets(user) if published_only else visible_datasets(user)
    return PublicOccurrence.objects.filter(dataset__in=visible.values("pk"))


def _exact_features(ids: list[int], filters: OccurrenceFilters, limit: int) -> list[dict]:
    rows = Occurrence.objects.filter(dataset_id__in=ids)
    if filters.species:
        rows = rows.filter(species__code=filters.species)
    if filters.year is not None:
        rows = rows.filter(event_date__year=filters.year)
    if filters.bbox:
        rows = rows.filter(_inside(filters.bbox))
    values = rows.order_by("pk").values_list(
        "dataset_id", "scientific_name", "species__code", "event_date", "latitude", "longitude"
    )[:limit]
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
            "properties": {
                "dataset": dataset_id,
                "scientificName": name,
                "species": code,
                "eventDate": day.isoformat() if day else None,
            },
        }
        for dataset_id, name, code, day, latitude, longitude in values
    ]


def _public_feature(row: dict[str, Any], today: date) -> dict[str, Any]:
    first, last = row["first_date"], row["last_date"]
    when = None
    if first:
        when = first.isoformat() if first == last else f"{first.isoformat()}/{last.isoformat()}"
    properties: dict[str, Any] = {
        "dataset": row["dataset_id"],
        "scientificName": row["species__scientific_name"] or "",
        "species": row["species__code"],
        "eventDate": when,
        "recordCount": row["records"],
    }
    embargoed = row["public_from"] is not None and row["public_from"] > today
    if row["withheld"] or embargoed:
        reason = _WITHHELD_REASONS["collar_fix" if embargoed else row["withheld"]]
        properties["informationWithheld"] = (
            f"Coordinates withheld: {reason} are sensitive. Ask the owner country for access."
        )
        return {"type": "Feature", "geometry": None, "properties": properties}
    grid = row["grid"]
    if grid:
        properties["coordinatePrecision"] = grid
        properties["coordinateUncertaintyInMeters"] = GRID_UNCERTAINTY_M.get(grid, 15_691) + 30
        subject = properties["scientificName"] or "a name that could not be resolved"
        properties["dataGeneralizations"] = (
            f"Coordinates generalized to a {grid:g} degree grid: {subject} is treated as a "
            "sensitive species. Exact data may be available on request."
        )
        properties["informationWithheld"] = "Exact coordinates withheld."
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
        "properties": properties,
    }


def filter_public(
    rows: PublicOccurrenceQuerySet, filters: OccurrenceFilters, today: date | None = None
) -> PublicOccurrenceQuerySet:
    """Return public rows narrowed by ``filters``, judged on their public form only.

    A box keeps only rows with a public point inside it today: withheld records and collar
    fixes under embargo have none, so a box cannot tell anything about them.
    """
    if filters.species:
        rows = rows.filter(species__code=filters.species)
    if filters.year is not None:
        rows = rows.filter(year=filters.year)
    if filters.bbox:
        rows = rows.shown(today).filter(_inside(filters.bbox))
    return rows


def _inside(bbox: tuple[float, float, float, float]) -> Q:
    """Return the condition of a point inside ``bbox`` (west, south, east, north)."""
    west, south, east, north = bbox
    return Q(latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east)


def occurrences_for(
    user: Actor,
    *,
    dataset: int | None = None,
    species: str | None = None,
    year: int | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    published_only: bool = False,
) -> list[dict]:
    """Return GeoJSON features of the occurrences ``user`` may see, generalized as needed.

    Datasets ``user`` may download give one feature per record, exact. The others give one
    feature per row of their public form: a point on the species' grid (or none, withheld)
    with the dates and number of records it stands for (``recordCount``). Every filter is
    applied to what the user receives; ``year`` is the year of the event date.
    """
    filters = OccurrenceFilters(dataset=dataset, species=species, year=year, bbox=bbox)
    exact_ids, public = occurrence_datasets(user, dataset=dataset, published_only=published_only)
    features = _exact_features(exact_ids, filters, MAX_OCCURRENCES) if exact_ids else []
    room = MAX_OCCURRENCES - len(features)
    if room > 0:
        today = timezone.localdate()
        rows = filter_public(PublicOccurrence.objects.filter(dataset__in=public), filters, today)
        values = rows.order_by("pk").values(*PUBLIC_FEATURE_FIELDS)[:room]
        features.extend(_public_feature(row, today) for row in values)
    return features
