"""What a table looks like, stored when its file is processed: column profile and first rows.

Pages and the API read these rows, never the file: a preview of a 1 GB table costs one
indexed read. The first rows are kept in two forms, decided once at processing time by
``datasets.locations.public_preview``: exact, for people who may download the files, and
public, in which the coordinates of sensitive species are generalized or withheld by the
same rules as the map's public form, and other location columns of those rows are blank.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from datasets.models.core import DataFile

#: Rows kept for the preview, and rows read to judge the columns' types and fill rates.
PREVIEW_ROWS = 100
PROFILE_SAMPLE = 10_000


class ColumnType(models.TextChoices):
    EMPTY = "empty", _("Empty")
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    DATE = "date", _("Date")
    BOOLEAN = "boolean", _("Yes / no")
    TEXT = "text", _("Text")


class FilePreview(models.Model):
    """The stored profile and first rows of one table file of a dataset."""

    data_file = models.OneToOneField(
        DataFile, on_delete=models.CASCADE, primary_key=True, related_name="preview"
    )
    #: [{"name", "type" (ColumnType), "filled" (0..1)}], judged on ``sampled`` rows.
    columns = models.JSONField(default=list)
    sampled = models.PositiveIntegerField(default=0)
    #: The first rows as written: a list of lists of strings.
    exact_rows = models.JSONField(default=list)
    #: The same rows in public form: {"cells": [...], "withheld": reason or "",
    #: "grid": degrees or None, "public_from": ISO date or None}; a blanked cell is None.
    public_rows = models.JSONField(default=list)
    #: Indexes of the columns that may say where a record is (``locations.location_columns``).
    location_columns = models.JSONField(default=list)

    class Meta:
        verbose_name = _("file preview")
        verbose_name_plural = _("file previews")

    def __str__(self) -> str:
        return f"preview of file {self.data_file_id}"
