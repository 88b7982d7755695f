"""The located records read from data files: exact, and in their public form.

Exact coordinates (``Occurrence``) are read only through ``access.policy``'s occurrence
section; what anyone may see is ``PublicOccurrence``, decided once when a file is stored.
"""

from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from datasets.models.core import DataFile, Dataset
from species.models import Species


class RecordContext(models.TextChoices):
    OBSERVATION = "observation", _("Observation")
    CAMERA_STATION = "camera_station", _("Camera station")
    COLLAR_FIX = "collar_fix", _("Collar fix")


class Occurrence(models.Model):
    """One located record read from a data file, with its exact coordinates.

    Read only for people who may download the dataset's files, through
    ``access.policy.occurrences_for``; everyone else reads ``PublicOccurrence``.
    """

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="occurrences")
    data_file = models.ForeignKey(DataFile, on_delete=models.CASCADE, related_name="occurrences")
    species = models.ForeignKey(
        Species, on_delete=models.SET_NULL, null=True, blank=True, related_name="occurrences"
    )
    scientific_name = models.CharField(max_length=200, blank=True)
    event_date = models.DateField(null=True, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    row = models.PositiveIntegerField()
    context = models.CharField(
        max_length=20, choices=RecordContext.choices, default=RecordContext.OBSERVATION
    )

    class Meta:
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        indexes = [
            models.Index(fields=["dataset", "species"]),
            models.Index(fields=["species", "event_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.scientific_name} {self.event_date} ({self.dataset_id})"


class Withheld(models.TextChoices):
    """Why the public form of some records has no point at all."""

    SHOWN = "", _("Shown")
    SPECIES = "species", _("Locations of this species are withheld")
    CAMERA_STATION = "camera_station", _("Camera-station coordinates are withheld")
    COLLAR_FIX = "collar_fix", _("Collar fixes without a date are withheld")


class PublicOccurrenceQuerySet(models.QuerySet):
    def shown(self, today: date | None = None) -> "PublicOccurrenceQuerySet":
        """Return the rows that have a public point today (collar embargoes over)."""
        today = today or timezone.localdate()
        return self.filter(withheld=Withheld.SHOWN).filter(
            models.Q(public_from__isnull=True) | models.Q(public_from__lte=today)
        )


class PublicOccurrence(models.Model):
    """The public form of occurrence records, decided once when they are stored.

    One row stands for the records of a file that share a species, a month, a context and a
    public point: the point on the species' grid (``grid`` degrees, 0 for a species that is
    not sensitive), or none at all (``withheld``). Collar fixes show only from
    ``public_from``, 180 days after the group's last fix. The table has no exact column, so
    that nothing computed from it (filters, counts, extents, clusters) can depend on where
    a record really is. Built by ``datasets.locations``; names that could not be resolved
    take the strictest rule of their dataset and never less than the coarsest grid.
    """

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+")
    data_file = models.ForeignKey(DataFile, on_delete=models.CASCADE, related_name="+")
    species = models.ForeignKey(
        Species, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    year = models.SmallIntegerField(null=True, blank=True)
    month = models.SmallIntegerField(null=True, blank=True)
    first_date = models.DateField(null=True, blank=True)
    last_date = models.DateField(null=True, blank=True)
    context = models.CharField(
        max_length=20, choices=RecordContext.choices, default=RecordContext.OBSERVATION
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    grid = models.FloatField(null=True, blank=True)
    withheld = models.CharField(max_length=20, choices=Withheld.choices, blank=True)
    public_from = models.DateField(null=True, blank=True)
    records = models.PositiveIntegerField()

    objects = PublicOccurrenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("public occurrence")
        verbose_name_plural = _("public occurrences")
        indexes = [
            models.Index(fields=["dataset", "species", "year"]),
            models.Index(fields=["species", "year"]),
            models.Index(fields=["latitude", "longitude"]),
            models.Index(fields=["data_file"]),
        ]

    def __str__(self) -> str:
        return f"{self.species_id} {self.year}-{self.month} ×{self.records} ({self.dataset_id})"
