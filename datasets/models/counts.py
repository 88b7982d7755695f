"""Daily counts of views and downloads, by country of the reader, never by person."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CountKind(models.TextChoices):
    VIEW = "view", _("View")
    DOWNLOAD = "download", _("Download")


class CountSubject(models.TextChoices):
    DATASET = "dataset", _("Dataset")
    PUBLICATION = "publication", _("Publication")


class DailyCount(models.Model):
    """How often one dataset or publication was viewed or downloaded on one day.

    One row per object, day, country of the reader (blank: a visitor, or an account of no
    member State) and kind; a view or a download adds one to it (``datasets.counts``). No
    row names a person, and the object is named by id so that publications can be counted
    here too (their models sit above these).
    """

    subject = models.CharField(max_length=12, choices=CountSubject.choices)
    object_id = models.PositiveIntegerField()
    day = models.DateField()
    country = models.CharField(max_length=2, blank=True)
    kind = models.CharField(max_length=10, choices=CountKind.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily count")
        verbose_name_plural = _("daily counts")
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "object_id", "day", "country", "kind"],
                name="one_count_per_object_day_country_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.object_id} {self.day} {self.country or '?'} {self.kind}"
