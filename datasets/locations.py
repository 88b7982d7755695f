"""The public form of occurrence records, decided once when they are stored.

``generalize_file`` turns the exact records of one file into ``PublicOccurrence`` rows in
one SQL statement, in the transaction that stores them. Each record takes the rule of its
species (``Species.public_grid``: a grid in degrees, 0 for "as recorded", None for
"withheld"); camera stations are withheld, collar fixes wait 180 days after the group's
last fix, and collar fixes without a date are withheld. A record whose name could not be
resolved to a species takes the strictest rule among its dataset's species and never less
than the coarsest grid (``COARSEST_GRID``): the policy fails closed.

Everything shown to people who may not download a dataset is read from those rows; the
rules change only with a species' sensitivity or a dataset's species, and then
``generalize_dataset`` (or the ``generalize_occurrences`` command) decides again.
"""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import Max

from datasets.models import (
    DataFile,
    Dataset,
    FilePreview,
    Occurrence,
    PublicOccurrence,
    RecordContext,
    Withheld,
)
from datasets.processing.tabular.columns import LATITUDE, LONGITUDE
from datasets.processing.tabular.columns import _first as first_column
from species.models import STRICTNESS, Species

#: The coarsest public grid: the least an unresolved name is generalized to.
COARSEST_GRID = Decimal("0.1")
#: Collar fixes younger than this are withheld from people without download rights.
COLLAR_EMBARGO = timedelta(days=180)

Rule = Decimal | None  # a grid in degrees (0 = as recorded), or None = withheld


def _stricter(first: Rule, second: Rule) -> Rule:
    if first is None or second is None:
        return None
    return max(first, second)


def fallback_rule(species: list[Species]) -> Rule:
    """Return the rule for unresolved names in a dataset tagged with ``species``."""
    rule: Rule = COARSEST_GRID
    for item in species:
        rule = _stricter(rule, item.public_grid)
    return rule


def species_by_strictness() -> list[Species]:
    """Return every species, from the least to the most sensitive (for name resolution)."""
    order = {category.value: index for index, category in enumerate(STRICTNESS)}
    return sorted(Species.objects.all(), key=lambda item: (order[item.sensitivity], item.pk))


_INSERT = """
INSERT INTO {public} (dataset_id, data_file_id, species_id, year, month, first_date, last_date,
                      context, latitude, longitude, grid, withheld, public_from, records)
SELECT dataset_id, data_file_id, species_id, year, month, min(event_date), max(event_date),
       context, latitude, longitude, grid, withheld,
       CASE WHEN context = %(collar)s THEN max(event_date) + %(embargo)s END,
       count(*)
FROM (
    SELECT o.dataset_id, o.data_file_id, o.species_id, o.event_date, o.context,
           extract(year FROM o.event_date)::smallint AS year,
           extract(month FROM o.event_date)::smallint AS month,
           rule.withheld,
           CASE WHEN rule.withheld <> '' THEN NULL ELSE rule.grid::float8 END AS grid,
           CASE WHEN rule.withheld <> '' THEN NULL
                WHEN rule.grid = 0 THEN o.latitude
                ELSE (round(o.latitude::numeric / rule.grid) * rule.grid)::float8 END AS latitude,
           CASE WHEN rule.withheld <> '' THEN NULL
                WHEN rule.grid = 0 THEN o.longitude
                ELSE (round(o.longitude::numeric / rule.grid) * rule.grid)::float8 END AS longitude
    FROM {occurrence} o
    LEFT JOIN unnest(%(species)s::bigint[], %(grids)s::numeric[]) AS r(species_id, grid)
           ON r.species_id = o.species_id
    CROSS JOIN LATERAL (
        SELECT CASE
                 WHEN o.context = %(camera)s THEN %(withheld_camera)s
                 WHEN o.context = %(collar)s AND o.event_date IS NULL THEN %(withheld_collar)s
                 WHEN (CASE WHEN r.species_id IS NULL THEN %(fallback)s::numeric ELSE r.grid END)
                      IS NULL THEN %(withheld_species)s
                 ELSE '' END AS withheld,
               CASE WHEN r.species_id IS NULL THEN %(fallback)s::numeric ELSE r.grid END AS grid
    ) AS rule
    WHERE o.data_file_id = %(file)s
) AS decided
GROUP BY dataset_id, data_file_id, species_id, year, month, context, latitude, longitude, grid,
         withheld
"""


def write_public_form(
    connection,
    *,
    data_file_id: int,
    rules: dict[int, Rule],
    fallback: Rule,
    public_table: str,
    occurrence_table: str,
) -> int:
    """Insert the public form of one file's records; return how many rows were made.

    ``rules`` maps species ids to their rule, ``fallback`` is the rule of unresolved names.
    The tables are named, so that a migration can run this with its own models.
    """
    species_ids = list(rules)
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT.format(
                public=connection.ops.quote_name(public_table),
                occurrence=connection.ops.quote_name(occurrence_table),
            ),
            {
                "file": data_file_id,
                "species": species_ids,
                # A species whose locations are withheld has no grid: NULL in the array.
                "grids": [None if rules[pk] is None else str(rules[pk]) for pk in species_ids],
                "fallback": None if fallback is None else str(fallback),
                "camera": RecordContext.CAMERA_STATION.value,
                "collar": RecordContext.COLLAR_FIX.value,
                "embargo": COLLAR_EMBARGO.days,
                "withheld_camera": Withheld.CAMERA_STATION.value,
                "withheld_collar": Withheld.COLLAR_FIX.value,
                "withheld_species": Withheld.SPECIES.value,
            },
        )
        return cursor.rowcount


def generalize_file(data_file: DataFile, *, species: list[Species] | None = None) -> int:
    """Replace the public form of ``data_file``'s records; return how many rows it has.

    ``species`` are the dataset's species (read when not given): they decide the rule of
    names that were not resolved.
    """
    if species is None:
        species = list(Species.objects.filter(datasets=data_file.dataset_id))
    with transaction.atomic():
        PublicOccurrence.objects.filter(data_file_id=data_file.pk).delete()
        made = write_public_form(
            connection,
            data_file_id=data_file.pk,
            rules={item.pk: item.public_grid for item in Species.objects.all()},
            fallback=fallback_rule(species),
            public_table=PublicOccurrence._meta.db_table,
            occurrence_table=Occurrence._meta.db_table,
        )
        _refresh_public_preview(data_file)
        return made


def _refresh_public_preview(data_file: DataFile) -> None:
    """Decide again the public form of the file's stored preview rows, by the same rules.

    A species whose sensitivity changed, or a dataset's species, change the preview too.
    """
    preview = FilePreview.objects.filter(data_file_id=data_file.pk).first()
    if preview is None:
        return
    header = [column["name"] for column in preview.columns]
    preview.public_rows = public_preview(
        data_file,
        preview.exact_rows,
        header=header,
        lat=first_column(header, LATITUDE),
        lon=first_column(header, LONGITUDE),
    )
    preview.save(update_fields=["public_rows"])


def generalize_dataset(dataset: Dataset) -> int:
    """Decide again the public form of every record of ``dataset``; return the rows made."""
    species = list(dataset.species.all())
    return sum(
        generalize_file(data_file, species=species)
        for data_file in DataFile.objects.filter(dataset=dataset).only("pk", "dataset_id")
    )


def generalize_all() -> int:
    """Decide again the public form of every stored record; return the rows made."""
    return sum(
        generalize_dataset(dataset)
        for dataset in Dataset.objects.filter(files__isnull=False).distinct()
    )


def copy_records(*, source_file: int, target: DataFile) -> None:
    """Copy the exact records read from ``source_file`` to ``target`` (a new version's row
    for the same stored file), in the database; its public form is built by the caller."""
    model = Occurrence
    quote = connection.ops.quote_name
    columns = [
        quote(field.column)
        for field in model._meta.concrete_fields
        if field.name not in ("id", "dataset", "data_file")
    ]
    table, listed = quote(model._meta.db_table), ", ".join(columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (dataset_id, data_file_id, {listed}) "  # noqa: S608 - names from _meta
            f"SELECT %s, %s, {listed} FROM {table} WHERE data_file_id = %s",
            [target.dataset_id, target.pk, source_file],
        )


#: Words in a column's name that mark it as saying where a record is (lower case). In the
#: public form of a generalized or withheld row such columns are blank: failing closed, a
#: column named like a place ("localityRemarks", "utm_easting") is blanked too.
LOCATION_WORDS = (
    "lat",
    "lon",
    "lng",
    "coord",
    "locality",
    "location",
    "wkt",
    "geom",
    "easting",
    "northing",
    "utm",
    "gps",
)


def location_columns(header: list[str]) -> set[int]:
    """Return the indexes of the columns of ``header`` that may say where a record is."""
    return {
        index
        for index, name in enumerate(header)
        if any(word in name.lower() for word in LOCATION_WORDS)
    }


def _on_grid(value: float, grid: Decimal) -> str:
    """Return ``value`` on ``grid`` as the public form's SQL rounds it (half away from 0)."""
    steps = (Decimal(repr(value)) / grid).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return str((steps * grid).normalize())


def public_preview(
    data_file: DataFile,
    rows: list[list[str]],
    *,
    header: list[str],
    lat: int | None,
    lon: int | None,
) -> list[dict]:
    """Return the public form of the first ``rows`` of ``data_file``'s table.

    Each row takes the rule its stored record took in ``generalize_file``: the species'
    grid, withheld (a withheld species, a camera station, a collar fix without a date), or
    the fallback of unresolved names. A generalized row gives its point on the grid; a
    withheld row, and a row that has no stored record, give no location at all; in both,
    every other location column is blank. A collar fix shows only from ``public_from``,
    180 days after the file's last fix of its species (never earlier than on the map).
    """
    numbers = range(2, len(rows) + 2)  # row numbers as the profile counts them (header = 1)
    records = {
        row: (species_id, context, day)
        for row, species_id, context, day in Occurrence.objects.filter(
            data_file_id=data_file.pk, row__in=numbers
        ).values_list("row", "species_id", "context", "event_date")
    }
    rules: dict[int, Rule] = {item.pk: item.public_grid for item in Species.objects.all()}
    fallback = fallback_rule(list(Species.objects.filter(datasets=data_file.dataset_id)))
    last_fix = dict(
        Occurrence.objects.filter(data_file_id=data_file.pk, context=RecordContext.COLLAR_FIX)
        .values_list("species_id")
        .annotate(last=Max("event_date"))
        .values_list("species_id", "last")
    )
    places = location_columns(header)
    public = []
    for number, cells in zip(numbers, rows, strict=True):
        record = records.get(number)
        entry: dict = {"withheld": "", "grid": None, "public_from": None}
        if record is None:
            rule: Rule = None
            entry["withheld"] = Withheld.SPECIES.value if _has_place(cells, places) else ""
        else:
            species_id, context, day = record
            rule = rules.get(species_id, fallback) if species_id else fallback
            if context == RecordContext.CAMERA_STATION:
                rule, entry["withheld"] = None, Withheld.CAMERA_STATION.value
            elif context == RecordContext.COLLAR_FIX and day is None:
                rule, entry["withheld"] = None, Withheld.COLLAR_FIX.value
            elif rule is None:
                entry["withheld"] = Withheld.SPECIES.value
            if context == RecordContext.COLLAR_FIX and day is not None:
                last = last_fix.get(species_id) or day
                entry["public_from"] = (last + COLLAR_EMBARGO).isoformat()
        entry["cells"] = _public_cells(cells, rule, places, lat=lat, lon=lon)
        entry["grid"] = float(rule) if rule else None
        public.append(entry)
    return public


def _has_place(cells: list[str], places: set[int]) -> bool:
    return any(index < len(cells) and cells[index].strip() for index in places)


def _public_cells(
    cells: list[str], rule: Rule, places: set[int], *, lat: int | None, lon: int | None
) -> list[str | None]:
    """Return ``cells`` with location columns on ``rule``'s grid, or blank (None)."""
    if rule == 0:
        return list(cells)
    public: list[str | None] = [
        None if index in places and value.strip() else value for index, value in enumerate(cells)
    ]
    if rule is not None:
        for index in (lat, lon):
            if index is not None and index < len(cells) and cells[index].strip():
                try:
                    public[index] = _on_grid(float(cells[index]), rule)
                except ValueError:
                    public[index] = None  # not a number the grid can take: nothing shown
    return public
