"""People: accounts with their affiliation, verification state and focal-point appointments."""

from datetime import datetime

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


class ApiToken(models.Model):
    """A key to the REST API. Only the SHA-256 digest of the key is stored: it is shown once.

    A token works until it expires or is revoked, and only while its owner's password is the
    one it was made under (``password_marker``), so that any password change ends it.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("account")
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(_("SHA-256 of the key"), max_length=64, unique=True)
    prefix = models.CharField(_("begins with"), max_length=8)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    second_factor = models.BooleanField(
        _("made with a second factor"),
        default=False,
        help_text=_("A code from the owner's authenticator was given when it was made."),
    )
    password_marker = models.CharField(max_length=128, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, at: datetime) -> bool:
        """Return True when the token is neither revoked nor expired at ``at``."""
        return self.revoked_at is None and self.expires_at > at
