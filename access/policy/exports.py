"""Occurrences in Darwin Core terms, for exports: exact or generalized per requester.

A person who may download a dataset's raw files gets its records as held, one line per
record. Everyone else gets the public form decided when the records were stored
(``PublicOccurrence``), one line per record it stands for, with ``dataGeneralizations``,
``informationWithheld`` and ``coordinateUncertaintyInMeters`` filled as GBIF's guidance on
sensitive species data says (Chapman 2020, §4): the same wording and figures as the
occurrences API (``occurrences._public_feature``), so that the two never disagree.

Rows are read with server-side cursors (``iterator``): a large dataset is never held in
memory. The extent given to everyone (EML, JSON-LD, OAI-PMH) comes from public points only.
"""

from collections.abc import Iterator
from datetime import date

from django.db.models import F, Max, Min
from django.db.models.functions import Coalesce
from django.utils import timezone

from access.policy.datasets import can_download
from access.policy.occurrences import PUBLIC_FEATURE_FIELDS, _public_feature
from access.policy.roles import Actor
from datasets.models import Dataset, Occurrence, PublicOccurrence, RecordContext

#: Darwin Core terms of ``occurrence.txt``, in column order (the first is the core id).
DWC_TERMS = (
    "occurrenceID",
    "basisOfRecord",
    "scientificName",
    "eventDate",
    "decimalLatitude",
    "decimalLongitude",
    "geodeticDatum",
    "coordinateUncertaintyInMeters",
    "coordinatePrecision",
    "samplingProtocol",
    "dataGeneralizations",
    "informationWithheld",
    "datasetID",
    "license",
)
_BASIS: dict[str, str] = {
    RecordContext.OBSERVATION.value: "HumanObservation",
    RecordContext.CAMERA_STATION.value: "MachineObservation",
    RecordContext.COLLAR_FIX.value: "MachineObservation",
}
_CHUNK = 2000


def dataset_urn(dataset: Dataset) -> str:
    """Return the stable identifier of ``dataset`` used in every export."""
    return f"urn:neaspec:dataset:{dataset.pk}"


def occurrence_rows(user: Actor, dataset: Dataset) -> Iterator[dict[str, str]]:
    """Yield the records of ``dataset`` as ``user`` may have them, as Darwin Core terms.

    ``dataset`` must come from ``access_dataset(user, ...)``: visible to ``user``.
    """
    common = {
        "geodeticDatum": "EPSG:4326",
        "datasetID": dataset_urn(dataset),
        "license": dataset.licence,
    }
    if can_download(user, dataset):
        yield from _exact_rows(dataset, common)
    else:
        yield from _public_rows(dataset, common, timezone.localdate())


def exports_exact(user: Actor, dataset: Dataset) -> bool:
    """Return True when an export of ``dataset`` for ``user`` holds exact coordinates."""
    return can_download(user, dataset)


def _exact_rows(dataset: Dataset, common: dict[str, str]) -> Iterator[dict[str, str]]:
    rows = (
        Occurrence.objects.filter(dataset=dataset)
        .order_by("pk")
        .values_list("pk", "scientific_name", "event_date", "latitude", "longitude", "context")
    )
    urn = common["datasetID"]
    for pk, name, day, latitude, longitude, context in rows.iterator(chunk_size=_CHUNK):
        yield {
            **common,
            "occurrenceID": f"{urn}:occurrence:{pk}",
            "basisOfRecord": _BASIS.get(context, "HumanObservation"),
            "scientificName": name,
            "eventDate": day.isoformat() if day else "",
            "decimalLatitude": repr(latitude),
            "decimalLongitude": repr(longitude),
            "samplingProtocol": context,
        }


def _public_rows(dataset: Dataset, common: dict[str, str], today: date) -> Iterator[dict[str, str]]:
    rows = (
        PublicOccurrence.objects.filter(dataset=dataset)
        .order_by("pk")
        .values("pk", "context", *PUBLIC_FEATURE_FIELDS)
    )
    urn = common["datasetID"]
    for row in rows.iterator(chunk_size=_CHUNK):
        feature = _public_feature(row, today)
        properties = feature["properties"]
        point = feature["geometry"]["coordinates"] if feature["geometry"] else ["", ""]
        line = {
            **common,
            "basisOfRecord": _BASIS.get(row["context"], "HumanObservation"),
            "scientificName": properties["scientificName"],
            "eventDate": properties["eventDate"] or "",
            "decimalLatitude": repr(point[1]) if point[1] != "" else "",
            "decimalLongitude": repr(point[0]) if point[0] != "" else "",
            "coordinateUncertaintyInMeters": str(
                properties.get("coordinateUncertaintyInMeters", "")
            ),
            "coordinatePrecision": str(properties.get("coordinatePrecision", "")),
            "samplingProtocol": row["context"],
            "dataGeneralizations": properties.get("dataGeneralizations", ""),
            "informationWithheld": properties.get("informationWithheld", ""),
        }
        if not row["species__code"]:
            line["informationWithheld"] = _join(
                line["informationWithheld"], "Names that could not be resolved are withheld."
            )
        # One line per record the public row stands for: counts agree with the owner's.
        for index in range(row["records"]):
            yield {**line, "occurrenceID": f"{urn}:public:{row['pk']}:{index + 1}"}


def _join(first: str, second: str) -> str:
    return f"{first} {second}".strip()


def public_extent(dataset: Dataset) -> tuple[float, float, float, float] | None:
    """Return (west, south, east, north) around ``dataset``'s public points, padded by half
    their grid; None when it has none shown today. Safe to give to anyone who sees it."""
    half = Coalesce(F("grid"), 0.0) / 2
    box = (
        PublicOccurrence.objects.filter(dataset=dataset)
        .shown()
        .aggregate(
            west=Min(F("longitude") - half),
            south=Min(F("latitude") - half),
            east=Max(F("longitude") + half),
            north=Max(F("latitude") + half),
        )
    )
    if box["west"] is None:
        return None
    return (
        round(box["west"], 6),
        round(box["south"], 6),
        round(box["east"], 6),
        round(box["north"], 6),
    )
