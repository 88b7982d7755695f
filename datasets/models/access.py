"""Access beyond a dataset's level: expiring grants and the requests that lead to them.

Who may see or download what is decided by ``access.policy`` alone.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from datasets.models.core import SHORT_TEXT, Dataset

#: A grant counts while it is neither revoked nor expired.
_LIVE = models.Q(revoked_at__isnull=True)


class AccessGrant(models.Model):
    """An explicit, expiring right to download one dataset, for a user or a group.

    The matching django-guardian permission row says *who*; this row says *until when*
    and keeps the history (who granted, who revoked).
    """

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="dataset_grants",
    )
    group = models.ForeignKey(
        "auth.Group", on_delete=models.CASCADE, null=True, blank=True, related_name="dataset_grants"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: When the notice that the grant ends soon was sent (once per grant).
    expiry_notice_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, group__isnull=True)
                | models.Q(user__isnull=True, group__isnull=False),
                name="grant_to_user_or_group",
            )
        ]
        indexes = [
            models.Index(fields=["dataset", "expires_at"]),
            # The soonest live grant of an account or a group (policy.next_grant_expiry):
            # the first entry past now, rather than all of a holder's grants sorted.
            models.Index(fields=["user", "expires_at"], condition=_LIVE, name="grant_live_user"),
            models.Index(fields=["group", "expires_at"], condition=_LIVE, name="grant_live_group"),
        ]

    def __str__(self) -> str:
        return f"{self.dataset} → {self.user or self.group}"

    @property
    def grantee(self):
        return self.user or self.group

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    GRANTED = "granted", _("Granted")
    DECLINED = "declined", _("Declined")


class Recommendation(models.TextChoices):
    NONE = "", _("No recommendation")
    GRANT = "grant", _("Grant")
    DECLINE = "decline", _("Decline")


class AccessRequest(models.Model):
    """A verified user's request to download a dataset they may not download by its level."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="access_requests")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_requests"
    )
    purpose = models.TextField(_("purpose"))
    intended_use = models.TextField(_("intended use of the data"), blank=True)
    wanted_until = models.DateField(_("needed until"))
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    grant = models.OneToOneField(
        AccessGrant, on_delete=models.SET_NULL, null=True, blank=True, related_name="request"
    )
    #: The uploader's advice to whoever decides; the requester does not read it.
    recommendation = models.CharField(
        _("recommendation"), max_length=10, choices=Recommendation.choices, blank=True
    )
    recommendation_comment = models.TextField(
        _("comment on the recommendation"),
        blank=True,
        max_length=SHORT_TEXT,
        validators=[MaxLengthValidator(SHORT_TEXT)],
    )
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recommended_at = models.DateTimeField(_("recommended"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "requester"],
                condition=models.Q(status="pending"),
                name="one_open_request_per_dataset",
            )
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.dataset}"
