"""Writes of reference data: loading the project's reference CSV files.

Each row the load adds or changes writes an audit event (``reference.add`` or
``reference.change``, with no actor: the command line); rows it finds as they are write
nothing, so loading twice leaves no trace the second time.
"""

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import models, transaction

from access.services import audit_record
from species.models import Country, KmgbfTarget, Site, Species, Theme

REFERENCE_DIR = Path(__file__).resolve().parent / "reference_data"
NAME_COLUMNS = ("name_en", "name_zh", "name_ja", "name_ko", "name_mn", "name_ru")
#: Suffixes of the translated columns the reference files carry beside English.
TRANSLATED = ("zh", "ja", "ko", "mn", "ru")


@dataclass(frozen=True)
class ReferenceCounts:
    countries: int
    species: int
    sites: int
    targets: int
    themes: int


def _rows(name: str, directory: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    with (directory / name).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if None in row:
                raise ValueError(
                    f"{name} line {len(rows) + 2} has more fields than its header; "
                    "quote values that contain commas."
                )
            rows.append({key: (value or "").strip() for key, value in row.items()})
    return rows


def _names(row: dict[str, str]) -> dict[str, str]:
    return {column: row[column] for column in NAME_COLUMNS if column in row}


def _translated(row: dict[str, str], field: str, *, english: str) -> dict[str, str]:
    """Return ``<field>_en`` from the column ``english`` and the translated columns found."""
    values = {f"{field}_en": row[english]}
    for suffix in TRANSLATED:
        column = f"{field}_{suffix}"
        if column in row:
            values[column] = row[column]
    return values


def _upsert(
    model: type[models.Model],
    lookup: dict[str, Any],
    values: dict[str, Any],
    related: dict[str, list[models.Model]] | None = None,
) -> models.Model:
    """Create or update the row of ``model`` matching ``lookup``; audit it when it changed."""
    row = model._default_manager.filter(**lookup).first()
    created = row is None
    if row is None:
        row = model(**lookup)
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    if changed or created:
        row.save()
    for name, targets in (related or {}).items():
        manager = getattr(row, name)
        if created or set(manager.all()) != set(targets):
            manager.set(targets)
            changed.append(name)
    if created or changed:
        audit_record(
            actor=None,
            action="reference.add" if created else "reference.change",
            obj=row,
            detail={"via": "load_reference", "fields": changed},
        )
    return row


def _load_targets(directory: Path) -> None:
    """Create or update the KMGBF targets: short title and summary in six languages."""
    for row in _rows("kmgbf_targets.csv", directory):
        values = _translated(row, "title", english="title")
        if "summary_en" in row:
            values.update(_translated(row, "summary", english="summary_en"))
        _upsert(KmgbfTarget, {"number": int(row["number"])}, values)


@transaction.atomic
def reference_data_load(*, directory: Path = REFERENCE_DIR) -> ReferenceCounts:
    """Create or update countries, species, sites, KMGBF targets and themes from CSV files.

    Rows are matched on their codes, so loading twice updates and never duplicates.
    """
    for row in _rows("countries.csv", directory):
        _upsert(Country, {"code": row["code"]}, {**_names(row), "is_member_state": True})

    for row in _rows("species.csv", directory):
        _upsert(
            Species,
            {"code": row["code"]},
            {
                **_names(row),
                "scientific_name": row["scientific_name"],
                "synonyms": row["synonyms"],
                "vernacular_names": row.get("vernacular_names", ""),
                "group": row["group"],
                "iucn_category": row["iucn_category"],
                "sensitivity": row["sensitivity"],
                "sensitivity_note": row["sensitivity_note"],
                "is_flagship": True,
            },
        )

    species_by_code = {species.code: species for species in Species.objects.all()}
    countries_by_code = {country.code: country for country in Country.objects.all()}
    for row in _rows("sites.csv", directory):
        _upsert(
            Site,
            {"code": row["code"]},
            {
                **_translated(row, "name", english="name"),
                "latitude": Decimal(row["lat"]),
                "longitude": Decimal(row["lon"]),
                "site_types": [token for token in row["site_type"].split(";") if token],
            },
            related={
                "countries": [
                    countries_by_code[code] for code in row["countries"].split(";") if code
                ],
                "species": [species_by_code[code] for code in row["species"].split(";") if code],
            },
        )

    _load_targets(directory)

    for row in _rows("themes.csv", directory):
        _upsert(Theme, {"code": row["code"]}, _names(row))

    return ReferenceCounts(
        countries=Country.objects.count(),
        species=Species.objects.count(),
        sites=Site.objects.count(),
        targets=KmgbfTarget.objects.count(),
        themes=Theme.objects.count(),
    )
