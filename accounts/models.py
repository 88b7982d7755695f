"""People: accounts with their affiliation, verification state and focal-point appointments."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from species.models import Country


class AccountStatus(models.TextChoices):
    PENDING = "pending", _("Pending verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Not verified")


class User(AbstractUser):
    """An account; affiliated with a member State, or with a partner organisation and no country.

    Role questions (is this person a focal point of X? may they verify Y?) are answered by
    ``access.policy``, never here.
    """

    email = models.EmailField(_("email address"))
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("member State"),
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AccountStatus.choices, default=AccountStatus.PENDING
    )
    verified_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    is_secretariat = models.BooleanField(
        _("secretariat"), default=False, help_text=_("ESCAP staff running the hub.")
    )
    preferred_language = models.CharField(_("preferred language"), max_length=10, blank=True)

    # Per-object cache of focal-point countries, set by ``access.policy.focal_point_countries``.
    _focal_point_countries: frozenset[str]

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]  # stubs omit AbstractUser.Meta
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile")

    @property
    def is_partner(self) -> bool:
        """Return True for an account affiliated with a partner organisation, not a State."""
        return self.country_id is None

    @property
    def affiliation(self) -> str:
        """Return the affiliation as people read it: organisation, country."""
        parts = [self.organisation, self.country.name if self.country is not None else ""]
        return ", ".join(part for part in parts if part)


class FocalPoint(models.Model):
    """The appointment of an account as a national focal point of a member State."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="focal_points", verbose_name=_("account")
    )
    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="focal_points", verbose_name=_("country")
    )
    appointed_at = models.DateTimeField(_("appointed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")
        constraints = [
            models.UniqueConstraint(fields=["user", "country"], name="unique_focal_point")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.country_id}"
