"""Writes around access requests beyond granting and declining: the uploader's
recommendation, the focal point's delegation to the uploader, and the notice that a grant
ends soon; and the record of each raw-file download. Each is audited; mail leaves after the
commit.
"""

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access import policy
from access.services import audit_record
from accounts.models import AccountStatus, User
from datasets import counts
from datasets.models import (
    SHORT_TEXT,
    AccessGrant,
    AccessRequest,
    DataFile,
    Dataset,
    Recommendation,
)
from neaspec_portal.mail import send_templated_email

#: How long before a grant ends its holder is told.
EXPIRY_NOTICE_DAYS = 14


@transaction.atomic
def access_request_recommend(
    *, actor: User, access_request: AccessRequest, recommendation: str, comment: str = ""
) -> AccessRequest:
    """Record the uploader's recommendation on a pending request, for whoever decides."""
    access_request = policy.access_request_to_recommend(actor, access_request.pk)
    if recommendation not in (Recommendation.GRANT, Recommendation.DECLINE):
        raise ValidationError(_("Recommend granting or declining."))
    MaxLengthValidator(SHORT_TEXT)(comment)
    access_request.recommendation = recommendation
    access_request.recommendation_comment = comment.strip()
    access_request.recommended_by = actor
    access_request.recommended_at = timezone.now()
    access_request.save(
        update_fields=[
            "recommendation",
            "recommendation_comment",
            "recommended_by",
            "recommended_at",
        ]
    )
    audit_record(
        actor=actor,
        action="access.recommend",
        obj=access_request,
        country=access_request.dataset.owner_country_id,
        detail={"recommendation": recommendation, "comment": access_request.recommendation_comment},
    )
    return access_request


@transaction.atomic
def dataset_access_delegate(*, actor: User, dataset: Dataset, uploader_answers: bool) -> Dataset:
    """Let the uploader of ``dataset`` answer its access requests, or stop letting them."""
    dataset = policy.access_dataset(actor, dataset.pk)
    if not policy.can_delegate_access(actor, dataset):
        raise PermissionDenied(_("Only focal points of the owner country decide who answers."))
    dataset.uploader_answers_requests = uploader_answers
    dataset.save(update_fields=["uploader_answers_requests", "updated_at"])
    audit_record(
        actor=actor,
        action="access.delegate" if uploader_answers else "access.undelegate",
        obj=dataset,
        country=dataset.owner_country_id,
        detail={"uploader": dataset.uploader.username},
    )
    return dataset


def _holders(grant_row: AccessGrant) -> list[User]:
    if grant_row.user is not None:
        return [grant_row.user]
    members = User.objects.filter(groups=grant_row.group_id, is_active=True)
    return list(members.filter(status=AccountStatus.VERIFIED))


def grant_expiry_notify(*, grant_id: int) -> bool:
    """Tell the holder(s) of a grant that it ends within ``EXPIRY_NOTICE_DAYS``, once.

    The notice is claimed with a conditional update, so that two runs send it once; return
    whether this run sent it.
    """
    now = timezone.now()
    with transaction.atomic():
        claimed = AccessGrant.objects.filter(
            pk=grant_id,
            expiry_notice_sent_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
            expires_at__lte=now + timedelta(days=EXPIRY_NOTICE_DAYS),
        ).update(expiry_notice_sent_at=now)
        if not claimed:
            return False
        grant_row = AccessGrant.objects.select_related("dataset", "user", "group").get(pk=grant_id)
        audit_record(
            actor=None,
            action="access.expiry_notice",
            obj=grant_row.dataset,
            country=grant_row.dataset.owner_country_id,
            detail={"grant": grant_row.pk, "until": grant_row.expires_at.date().isoformat()},
        )
        send_templated_email(
            recipients=_holders(grant_row),
            template="grant-expiring",
            context={"grant": grant_row, "dataset": grant_row.dataset},
        )
    return True


def grants_expiring_soon() -> list[int]:
    """Return the ids of grants ending within ``EXPIRY_NOTICE_DAYS`` whose notice is unsent."""
    now = timezone.now()
    return list(
        AccessGrant.objects.filter(
            expiry_notice_sent_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
            expires_at__lte=now + timedelta(days=EXPIRY_NOTICE_DAYS),
        )
        .order_by("expires_at")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def download_record(
    *, actor: User | AnonymousUser, data_file: DataFile, ip_address: str | None
) -> None:
    """Write the audit row of a raw-file download, and count it (by country, not person).

    Both in one transaction: both or neither, and one commit (one flush of the log) where
    two cost the download's answer twice the wait.
    """
    counts.count_download(data_file=data_file, reader=actor)
    audit_record(
        actor=actor,
        action="file.download",
        obj=data_file,
        country=data_file.dataset.owner_country_id if data_file.dataset is not None else "",
        ip_address=ip_address,
        detail={"dataset": data_file.dataset_id, "name": data_file.original_name},
    )
