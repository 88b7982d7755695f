"""Public profiles: what a researcher chooses to show of themselves to everyone.

A profile is private until its owner opts in (``is_public``); only the profiles
``access.policy.visible_profiles`` hands out are ever shown, listed or linked.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from people import rules
from species.models import Country, Species, Theme

#: The longest biography, in characters.
MAX_BIO = 2000


class Profile(models.Model):
    """What one account shows of itself in the expert directory, when it chooses to."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="public_profile",
        verbose_name=_("account"),
    )
    is_public = models.BooleanField(
        _("show my profile publicly"),
        default=False,
        help_text=_("Off by default. When on, anyone can see this profile in the directory."),
    )
    display_name = models.CharField(
        _("name"), max_length=200, help_text=_("As it appears on your publications.")
    )
    affiliation = models.CharField(_("affiliation"), max_length=300, blank=True)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country"),
    )
    expertise = models.ManyToManyField(
        Theme, related_name="experts", blank=True, verbose_name=_("expertise")
    )
    expertise_note = models.CharField(
        _("expertise in your words"),
        max_length=300,
        blank=True,
        help_text=_("E.g. camera-trap survey design, crane counts, population genetics."),
    )
    species = models.ManyToManyField(
        Species, related_name="experts", blank=True, verbose_name=_("species")
    )
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("ISO 639-1 codes.")
    )
    orcid = models.CharField(
        _("ORCID iD"),
        max_length=19,
        blank=True,
        help_text=_("16 characters, e.g. 0000-0002-1825-0097; the checksum is verified."),
    )
    bio = models.TextField(
        _("about"), blank=True, max_length=MAX_BIO, validators=[MaxLengthValidator(MAX_BIO)]
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["display_name", "pk"]
        verbose_name = _("public profile")
        verbose_name_plural = _("public profiles")
        indexes = [models.Index(fields=["is_public", "display_name"])]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("people:detail", args=[self.pk])

    def clean(self) -> None:
        """Normalize the ORCID iD; refuse a bad checksum, unknown languages or an empty name."""
        self.orcid = rules.orcid_normalize(self.orcid or "")
        self.display_name = (self.display_name or "").strip()
        errors = {}
        if message := rules.orcid_error(self.orcid):
            errors["orcid"] = message
        if message := rules.languages_error(self.languages):
            errors["languages"] = message
        if errors:
            raise ValidationError(errors)

    @property
    def orcid_url(self) -> str:
        return f"https://orcid.org/{self.orcid}" if self.orcid else ""
