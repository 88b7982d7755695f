"""What the programme aims at: targets the secretariat sets, such as frontline staff trained.

The figures themselves are not stored here: they are added up from events' participant
counts (``programme.selectors``). A target is data, not a constant, so that the secretariat
changes it (in the admin, audited) when the programme's plan changes.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetMeasure(models.TextChoices):
    FRONTLINE_TRAINED = "frontline_trained", _("Frontline staff trained")


class ProgrammeTarget(models.Model):
    """How many of ``measure`` the programme means to reach from ``start_year`` to ``end_year``."""

    measure = models.CharField(_("measure"), max_length=40, choices=TargetMeasure.choices)
    value = models.PositiveIntegerField(_("target value"))
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Where the target was agreed, e.g. the 2024 workshop's recommendations."),
    )

    class Meta:
        ordering = ["measure", "-start_year"]
        verbose_name = _("programme target")
        verbose_name_plural = _("programme targets")
        constraints = [
            models.UniqueConstraint(fields=["measure", "start_year"], name="one_target_per_start"),
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="target_years_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()}: {self.value} ({self.start_year}–{self.end_year})"

    def clean(self) -> None:
        """Refuse a period that ends before it starts or lies outside 1900–2100."""
        errors = {}
        for name in ("start_year", "end_year"):
            year = getattr(self, name)
            if year is not None and not 1900 <= year <= 2100:
                errors[name] = _("Give a year from 1900 to 2100.")
        if self.start_year and self.end_year and self.end_year < self.start_year:
            errors["end_year"] = _("The last year is before the first year.")
        if errors:
            raise ValidationError(errors)
