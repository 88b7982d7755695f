"""Projects and networks: what the secretariat runs with member States and partners.

A project names its countries, partner organisations, people, sites, species, KMGBF
targets and themes, its period, and the datasets, publications and events that belong to
it. The links live here, so the other apps' models stay as they are; what a viewer sees of
the linked items is ``access.policy``'s call.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from datasets.models import Dataset
from publications.models import Event, Publication
from species.models import Country, KmgbfTarget, Site, Species, Theme

#: The longest description, in characters.
MAX_DESCRIPTION = 20_000


class ProjectKind(models.TextChoices):
    PROJECT = "project", _("Project")
    NETWORK = "network", _("Network")


class Project(models.Model):
    """A project or a monitoring network, curated by the secretariat."""

    slug = models.SlugField(
        _("short name in the address"),
        max_length=80,
        unique=True,
        help_text=_("Lower-case letters, digits and hyphens, e.g. amur-tiger-network."),
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ProjectKind.choices, default=ProjectKind.PROJECT
    )
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=MAX_DESCRIPTION,
        validators=[MaxLengthValidator(MAX_DESCRIPTION)],
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(
        _("end"), null=True, blank=True, help_text=_("Leave empty while it runs.")
    )
    partners = models.TextField(
        _("partner organisations"), blank=True, help_text=_("One organisation per line.")
    )
    url = models.URLField(_("web address"), max_length=500, blank=True)
    countries = models.ManyToManyField(
        Country, related_name="projects", blank=True, verbose_name=_("member countries")
    )
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="projects", blank=True, verbose_name=_("people")
    )
    sites = models.ManyToManyField(Site, related_name="projects", blank=True)
    species = models.ManyToManyField(Species, related_name="projects", blank=True)
    targets = models.ManyToManyField(
        KmgbfTarget, related_name="projects", blank=True, verbose_name=_("KMGBF targets")
    )
    themes = models.ManyToManyField(Theme, related_name="projects", blank=True)
    datasets = models.ManyToManyField(Dataset, related_name="projects", blank=True)
    publications = models.ManyToManyField(Publication, related_name="projects", blank=True)
    events = models.ManyToManyField(Event, related_name="projects", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="project_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.slug])

    def clean(self) -> None:
        """Refuse a project that ends before it starts."""
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end is before the start.")})

    @property
    def partner_list(self) -> list[str]:
        """Return the partner organisations, one per line, without empty lines."""
        return [line.strip() for line in self.partners.splitlines() if line.strip()]
