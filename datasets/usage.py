"""Usage figures: views and downloads of datasets and publications by month and country.

Read from ``DailyCount`` (``datasets.counts``), only for the items the user may see, and
by country only for the items whose figures by country the policy lets them read
(``policy.usage_detail_datasets`` / ``usage_detail_publications``); every other item's
month is one row with ``country`` None (all countries together).

A row of ``usage_figures`` (the report "usage", the API ``/api/v1/reports/usage/``):

- ``item_type``: "dataset" or "publication";
- ``item_id``: the item's id; ``title``: its title (English when given);
- ``month``: "YYYY-MM";
- ``country``: the readers' ISO code, "" for visitors and accounts of no member State,
  None when the row sums all countries;
- ``views``, ``downloads``: how many that month (file downloads and exports are downloads).
"""

from datetime import date
from typing import Any

from django.db.models import BooleanField, Case, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncMonth

from access import policy
from datasets.models import CountKind, CountSubject, DailyCount

#: The ``item_type`` of a row, by the subject counted.
ITEM_TYPES = {CountSubject.DATASET: "dataset", CountSubject.PUBLICATION: "publication"}
#: The columns of a row, in order (CSV and table headings).
COLUMNS = ("item_type", "item_id", "title", "month", "country", "views", "downloads")


def _visible_counts(user: policy.Actor) -> QuerySet[DailyCount]:
    """Return the daily counts of the items ``user`` may see."""
    datasets = policy.visible_datasets(user).values("pk")
    publications = policy.visible_publications(user).values("pk")
    return DailyCount.objects.filter(
        Q(subject=CountSubject.DATASET, object_id__in=datasets)
        | Q(subject=CountSubject.PUBLICATION, object_id__in=publications)
    )


def _detail_condition(user: policy.Actor) -> Q:
    """Return the condition on daily counts of the items ``user`` reads by country."""
    return Q(
        subject=CountSubject.DATASET,
        object_id__in=policy.usage_detail_datasets(user).values("pk"),
    ) | Q(
        subject=CountSubject.PUBLICATION,
        object_id__in=policy.usage_detail_publications(user).values("pk"),
    )


def _sums() -> dict[str, Sum]:
    return {
        "views": Sum("count", filter=Q(kind=CountKind.VIEW), default=0),
        "downloads": Sum("count", filter=Q(kind=CountKind.DOWNLOAD), default=0),
    }


def _titles(user: policy.Actor, ids: dict[str, set[int]]) -> dict[tuple[str, int], str]:
    titles: dict[tuple[str, int], str] = {}
    if ids["dataset"]:
        for pk, title in (
            policy.visible_datasets(user).filter(pk__in=ids["dataset"]).values_list("pk", "title")
        ):
            titles["dataset", pk] = title
    if ids["publication"]:
        rows = policy.visible_publications(user).filter(pk__in=ids["publication"])
        for pk, title, title_en in rows.values_list("pk", "title", "title_en"):
            titles["publication", pk] = title_en or title
    return titles


def _merge_countries(grouped) -> dict[tuple[str, int, str, str | None], dict[str, int]]:
    """Return the grouped counts by (item type, id, month, country), the countries of the
    items not read by country summed under None."""
    merged: dict[tuple[str, int, str, str | None], dict[str, int]] = {}
    for row in grouped:
        key = (
            ITEM_TYPES[CountSubject(row["subject"])],
            row["object_id"],
            row["month"].strftime("%Y-%m"),
            row["country"] if row["detailed"] else None,
        )
        figures = merged.setdefault(key, {"views": 0, "downloads": 0})
        figures["views"] += row["views"]
        figures["downloads"] += row["downloads"]
    return merged


def usage_figures(
    *,
    user: policy.Actor,
    year: int | None = None,
    country: str | None = None,
    item_type: str | None = None,
    item_id: int | None = None,
) -> list[dict[str, Any]]:
    """Return the views and downloads by item, month and country that ``user`` may read.

    ``country`` keeps the rows of readers of that country ("" for unknown readers): only
    items whose figures by country ``user`` reads have such rows. ``item_type`` is
    "dataset" or "publication"; ``item_id`` needs it. Rows are ordered by month, item
    type, item id and country. Three queries (focal points: four).
    """
    detailed = _detail_condition(user)
    counts = _visible_counts(user).annotate(
        detailed=Case(
            When(detailed, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )
    if year is not None:
        counts = counts.filter(day__year=year)
    if item_type is not None:
        subject = {name: subject for subject, name in ITEM_TYPES.items()}[item_type]
        counts = counts.filter(subject=subject)
        if item_id is not None:
            counts = counts.filter(object_id=item_id)
    if country is not None:
        counts = counts.filter(detailed, country=country)
    grouped = (
        counts.annotate(month=TruncMonth("day"))
        .values("subject", "object_id", "month", "country", "detailed")
        .annotate(**_sums())
        .order_by()
    )
    merged = _merge_countries(grouped)
    ids: dict[str, set[int]] = {"dataset": set(), "publication": set()}
    for kind, pk, _month, _country in merged:
        ids[kind].add(pk)
    titles = _titles(user, ids)
    rows = [
        {
            "item_type": kind,
            "item_id": pk,
            "title": titles.get((kind, pk), ""),
            "month": month,
            "country": reader_country,
            **figures,
        }
        for (kind, pk, month, reader_country), figures in merged.items()
    ]
    rows.sort(key=lambda r: (r["month"], r["item_type"], r["item_id"], r["country"] or ""))
    return rows


def usage_by_month(*, user: policy.Actor, year: int | None = None) -> list[dict[str, Any]]:
    """Return the views and downloads of all items ``user`` may see, by month (one query).

    Rows: ``{"month": "YYYY-MM", "views": int, "downloads": int}``, oldest first; no
    country, so that anyone may read it (the public summary).
    """
    counts = _visible_counts(user)
    if year is not None:
        counts = counts.filter(day__year=year)
    grouped = (
        counts.annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(**_sums())
        .order_by("month")
    )
    return [
        {
            "month": row["month"].strftime("%Y-%m"),
            "views": row["views"],
            "downloads": row["downloads"],
        }
        for row in grouped
    ]


def usage_years(*, user: policy.Actor) -> list[int]:
    """Return the years with counts of items ``user`` may see, newest first (one query)."""
    days = _visible_counts(user).dates("day", "year", order="DESC")
    return [day.year for day in days]


def month_start(month: str) -> date:
    """Return the first day of ``month`` ("YYYY-MM"), for dates drawn in the reader's language."""
    year, number = month.split("-")
    return date(int(year), int(number), 1)


def usage_table(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Return one item's ``usage_figures`` rows as a table: a column per readers' country
    (unknown last) and a row per month (newest first), each cell ``(views, downloads)``."""
    countries = sorted({row["country"] or "" for row in rows}, key=lambda code: (code == "", code))
    cells: dict[str, dict[str, tuple[int, int]]] = {}
    for row in rows:
        cells.setdefault(row["month"], {})[row["country"] or ""] = (row["views"], row["downloads"])
    months = []
    for month in sorted(cells, reverse=True):
        by_country = cells[month]
        months.append(
            {
                "month": month_start(month),
                "cells": [by_country.get(code, (0, 0)) for code in countries],
                "views": sum(views for views, _downloads in by_country.values()),
                "downloads": sum(downloads for _views, downloads in by_country.values()),
            }
        )
    return {"countries": countries, "months": months}
