"""Counting views and downloads of datasets and publications, by country, not by person.

A view or a download adds one to the day's row of its object, country and kind, in one
``INSERT … ON CONFLICT DO UPDATE``: no read first, no race between two readers, and no model
signal, so that counting a view does not start a new generation of the visitors' page cache
(``neaspec_portal.page_cache``). The country is the reader's account's; a visitor and an
account of no member State count as unknown. Nothing about the person is stored.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from datasets.models import CountKind, CountSubject, DailyCount

_UPSERT = """
INSERT INTO {table} (subject, object_id, day, country, kind, count)
VALUES (%s, %s, %s, %s, %s, 1)
ON CONFLICT (subject, object_id, day, country, kind)
DO UPDATE SET count = {table}.count + 1
"""


def count_add(*, subject: CountSubject, object_id: int, kind: CountKind, reader) -> None:
    """Add one ``kind`` of ``object_id`` today, under the country of ``reader``'s account."""
    country = (getattr(reader, "country_id", None) or "") if reader.is_authenticated else ""
    table = connection.ops.quote_name(DailyCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            _UPSERT.format(table=table),
            [subject.value, object_id, timezone.localdate(), country, kind.value],
        )


def count_download(*, data_file, reader) -> None:
    """Add one download of the dataset or publication ``data_file`` belongs to."""
    if data_file.dataset_id is not None:
        subject, object_id = CountSubject.DATASET, data_file.dataset_id
    else:
        link = getattr(data_file, "publication_link", None)
        if link is None:
            return
        subject, object_id = CountSubject.PUBLICATION, link.publication_id
    count_add(subject=subject, object_id=object_id, kind=CountKind.DOWNLOAD, reader=reader)


@dataclass
class Counts:
    """The views and downloads of one object, downloads also by country ("" = unknown)."""

    views: int = 0
    downloads: int = 0
    downloads_by_country: list[tuple[str, int]] = field(default_factory=list)


def counts_for(*, subject: CountSubject, object_id: int) -> Counts:
    """Return the views and downloads of ``object_id`` so far (one query)."""
    rows = (
        DailyCount.objects.filter(subject=subject, object_id=object_id)
        .values("kind", "country")
        .annotate(total=Sum("count"))
        .order_by()
    )
    counts = Counts()
    by_country: dict[str, int] = {}
    for row in rows:
        if row["kind"] == CountKind.VIEW:
            counts.views += row["total"]
        else:
            counts.downloads += row["total"]
            by_country[row["country"]] = by_country.get(row["country"], 0) + row["total"]
    counts.downloads_by_country = sorted(
        by_country.items(), key=lambda item: (-item[1], item[0] == "", item[0])
    )
    return counts
