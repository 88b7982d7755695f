"""Writes of datasets: creation, files, the review workflow, access requests and grants.

Each service is atomic, takes the acting user, writes an audit row and tells the people
affected by email once the transaction commits. Authorization is asked of ``access.policy``.
"""

from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access import policy
from access.services import audit_record
from accounts.models import User
from datasets import blobs, locations, protocols, versions
from datasets.doi import doi_request_on_commit
from datasets.file_store import files_store
from datasets.models import (
    LIST_LIMITS,
    REASON_TEXT,
    SHORT_TEXT,
    AccessGrant,
    AccessRequest,
    DataFile,
    Dataset,
    DatasetStatus,
    Decision,
    FileState,
    RequestStatus,
    ReviewDecision,
)
from datasets.withdrawal import dataset_restore as dataset_restore
from datasets.withdrawal import dataset_withdraw as dataset_withdraw
from neaspec_portal.bounds import check_lengths
from neaspec_portal.mail import send_templated_email
from search.services import index_dataset_on_commit

#: Default length of a grant when the focal point does not choose a date.
DEFAULT_GRANT_DAYS = 365

#: Many-to-many fields a dataset form or the API may set: tags, then people and links.
M2M_FIELDS: tuple[str, ...] = ("species", "sites", "targets", "themes")
M2M_FIELDS += ("co_owner_countries", "collaborators", "protocols")


def _apply_fields(dataset: Dataset, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        if name not in M2M_FIELDS:
            setattr(dataset, name, value)


def _named_collaborators(dataset: Dataset, fields: dict[str, Any]) -> None:
    """Turn collaborators named by username or email into verified accounts, in place."""
    named = fields.get("collaborators")
    if named is None or not all(isinstance(name, str) for name in named):
        return
    accounts, unknown = policy.find_collaborators(list(named))
    if unknown:
        raise ValidationError(
            {
                "collaborators": _("No verified account has this username or email: %(names)s")
                % {"names": ", ".join(unknown)}
            }
        )
    fields["collaborators"] = [user for user in accounts if user.pk != dataset.uploader_id]


def _collaborator_change(dataset: Dataset, before: set[str]) -> dict[str, list[str]]:
    after = set(dataset.collaborators.values_list("username", flat=True))
    return {"added": sorted(after - before), "removed": sorted(before - after)}


def _apply_relations(dataset: Dataset, fields: dict[str, Any], *, actor: User) -> None:
    protocols.followed_protocols(actor=actor, fields=fields)
    for name in M2M_FIELDS:
        if name in fields:
            values = list(fields[name])
            codes = {getattr(value, "code", value) for value in values}
            if name == "co_owner_countries" and dataset.owner_country_id in codes:
                raise ValidationError(
                    {"co_owner_countries": _("The owner country cannot also be a co-owner.")}
                )
            getattr(dataset, name).set(values)


@transaction.atomic
def dataset_create(*, actor: User, **fields: Any) -> Dataset:
    """Create a draft dataset owned by the uploader's country (verified members only)."""
    if not policy.is_member_state_researcher(actor):
        raise PermissionDenied(_("Only verified accounts of a member State create datasets."))
    # A member State researcher always has a country.
    check_lengths(fields, LIST_LIMITS)
    dataset = Dataset(uploader=actor, owner_country_id=cast(str, actor.country_id))
    _named_collaborators(dataset, fields)
    _apply_fields(dataset, {k: v for k, v in fields.items() if k != "owner_country"})
    dataset.full_clean(exclude=["uploader", "owner_country"])
    dataset.save()
    _apply_relations(dataset, fields, actor=actor)
    audit_record(
        actor=actor, action="dataset.create", obj=dataset, country=dataset.owner_country_id
    )
    index_dataset_on_commit(dataset.pk)
    return dataset


@transaction.atomic
def dataset_update(*, actor: User, dataset: Dataset, **fields: Any) -> Dataset:
    """Change the metadata of a draft or returned dataset."""
    dataset = policy.access_editable_dataset(actor, dataset.pk)
    fields.pop("owner_country", None)
    check_lengths(fields, LIST_LIMITS)
    _named_collaborators(dataset, fields)
    before = set(dataset.collaborators.values_list("username", flat=True))
    _apply_fields(dataset, fields)
    dataset.full_clean(exclude=["uploader", "owner_country"])
    dataset.save()
    _apply_relations(dataset, fields, actor=actor)
    if "species" in fields:
        # Unresolved names take the strictest rule of the dataset's species.
        locations.generalize_dataset(dataset)
    audit_record(
        actor=actor,
        action="dataset.update",
        obj=dataset,
        country=dataset.owner_country_id,
        detail={"fields": sorted(fields), "collaborators": _collaborator_change(dataset, before)},
    )
    index_dataset_on_commit(dataset.pk)
    return dataset


def data_file_add(*, actor: User, dataset: Dataset, upload: UploadedFile) -> DataFile:
    """Store one ``upload`` as a pending file of ``dataset`` (``file_store.files_store``)."""
    return files_store(actor=actor, target=dataset, uploads=[upload])[0]


@transaction.atomic
def data_file_delete(*, actor: User, data_file: DataFile) -> None:
    """Remove a file from a draft or returned dataset, and its bytes once committed unless
    another version still uses them."""
    dataset = policy.access_editable_dataset(actor, data_file.dataset_id)
    audit_record(
        actor=actor,
        action="file.delete",
        obj=data_file,
        country=dataset.owner_country_id,
        detail={"dataset": dataset.pk, "name": data_file.original_name},
    )
    storage = data_file.file.storage
    names = [data_file.file.name, data_file.thumbnail.name]
    data_file.delete()
    # Another version of the dataset may name the same blobs (``datasets.blobs``).
    blobs.delete_on_commit_unless_named(storage, names)


#: How many file names a refusal quotes at most.
MAX_NAMED_FILES = 10


def _file_names(names: list[str]) -> str:
    shown = ", ".join(names[:MAX_NAMED_FILES])
    return shown + ", …" if len(names) > MAX_NAMED_FILES else shown


def _check_files_read(dataset: Dataset) -> None:
    """Refuse to submit ``dataset`` while any of its files is not read successfully.

    A failed file is not data: reviewers would be asked to approve what nobody can open
    (and they are not offered it), so it is removed or replaced first. A file still
    pending or processing is refused too, with a word to wait: reviewers decide on what
    the files hold (rows, dates, extent, species), which is known only once they are read,
    and a file that failed after its dataset was submitted would slip past the first rule.
    Reading takes seconds to minutes, and the sweeper retries a stuck file.
    """
    unread = list(
        dataset.files.exclude(state=FileState.READY)
        .order_by("uploaded_at", "pk")
        .values_list("state", "original_name")
    )
    failed = [name for state, name in unread if state == FileState.FAILED]
    waiting = [name for state, name in unread if state != FileState.FAILED]
    errors = []
    if failed:
        errors.append(
            _("Remove or replace the files that could not be read: %(names)s")
            % {"names": _file_names(failed)}
        )
    if waiting:
        errors.append(
            _("Wait until these files have been checked, then submit again: %(names)s")
            % {"names": _file_names(waiting)}
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def dataset_submit(*, actor: User, dataset: Dataset) -> Dataset:
    """Send a draft or returned dataset to the focal points of its owner and co-owners.

    Refuse while a file failed or is not read yet (``_check_files_read`` says why).
    """
    dataset = policy.access_editable_dataset(actor, dataset.pk)
    if not dataset.files.exists():
        raise ValidationError(_("Add at least one file before submitting."))
    _check_files_read(dataset)
    dataset.status = DatasetStatus.SUBMITTED
    dataset.review_round += 1
    dataset.submitted_at = timezone.now()
    dataset.save(update_fields=["status", "review_round", "submitted_at", "updated_at"])
    audit_record(
        actor=actor, action="dataset.submit", obj=dataset, country=dataset.owner_country_id
    )
    send_templated_email(
        recipients=policy.dataset_deciders(dataset),
        template="dataset-submitted",
        context={"dataset": dataset},
    )
    index_dataset_on_commit(dataset.pk)
    return dataset


@transaction.atomic
def dataset_review(
    *, actor: User, dataset: Dataset, decision: str, comment: str = "", country: str | None = None
) -> Dataset:
    """Record a decision and move the dataset on when it is settled.

    ``actor`` decides for the countries ``policy.review_countries`` names: as their focal
    point, or as the secretariat for a country with no other deciding focal point; never
    on a dataset they uploaded or collaborate on (four eyes). Approval needs every country
    (owner and co-owners); a request for changes or a rejection by any of them ends the
    round at once.
    """
    dataset = Dataset.objects.select_for_update().get(
        pk=policy.access_dataset(actor, dataset.pk).pk
    )
    allowed = _deciding_countries(actor=actor, dataset=dataset, country=country)
    if decision != Decision.APPROVE and not comment.strip():
        raise ValidationError({"comment": _("Say what should change, or why it is rejected.")})
    MaxLengthValidator(SHORT_TEXT)(comment)
    for code in [country] if country else allowed:
        ReviewDecision.objects.create(
            dataset=dataset,
            review_round=dataset.review_round,
            country_id=code,
            decider=actor,
            decision=decision,
            comment=comment,
        )
    _settle_round(dataset=dataset, decision=decision)
    audit_record(
        actor=actor,
        action=f"dataset.{decision}",
        obj=dataset,
        country=dataset.owner_country_id,
        detail={"comment": comment, "status": dataset.status},
    )
    send_templated_email(
        recipients=[dataset.uploader],
        template="dataset-decision",
        context={"dataset": dataset, "decision": decision, "comment": comment, "actor": actor},
    )
    index_dataset_on_commit(dataset.pk)
    return dataset


def _deciding_countries(*, actor: User, dataset: Dataset, country: str | None) -> list[str]:
    """Return the countries ``actor`` decides for now; raise PermissionDenied if none.

    A contributor who would otherwise review is told why, so that they ask a colleague.
    """
    allowed = policy.review_countries(actor, dataset)
    if (
        not allowed
        and dataset.status == DatasetStatus.SUBMITTED
        and policy.can_review_datasets(actor)
        and policy.is_dataset_contributor(actor, dataset)
    ):
        raise PermissionDenied(
            _(
                "Nobody decides on a dataset they uploaded or collaborate on: another focal "
                "point of its country decides, or the secretariat when there is none."
            )
        )
    if not allowed or (country is not None and country not in allowed):
        raise PermissionDenied(_("You cannot decide on this submission."))
    return allowed


def _settle_round(*, dataset: Dataset, decision: str) -> None:
    """Move ``dataset`` on after ``decision``: any refusal ends the round, every approval
    publishes it."""
    decided = set(
        dataset.decisions.filter(
            review_round=dataset.review_round, decision=Decision.APPROVE
        ).values_list("country_id", flat=True)
    )
    if decision == Decision.REQUEST_CHANGES:
        dataset.status = DatasetStatus.CHANGES_REQUESTED
    elif decision == Decision.REJECT:
        dataset.status = DatasetStatus.REJECTED
    elif decided >= set(dataset.country_codes()):
        dataset.status = DatasetStatus.PUBLISHED
        dataset.published_at = timezone.now()
    dataset.save(update_fields=["status", "published_at", "updated_at"])
    if dataset.status == DatasetStatus.PUBLISHED:
        doi_request_on_commit(dataset)
        versions.series_supersede(dataset=dataset)


@transaction.atomic
def access_request_create(
    *, actor: User, dataset: Dataset, purpose: str, intended_use: str, wanted_until: date
) -> AccessRequest:
    """Ask the owner country's focal points for access to a dataset's raw files."""
    dataset = policy.access_dataset(actor, dataset.pk)
    if not policy.can_request_access(actor, dataset):
        raise PermissionDenied(_("You can already download this dataset, or cannot ask for it."))
    if wanted_until <= timezone.localdate():
        raise ValidationError(_("The date must be in the future."))
    MaxLengthValidator(SHORT_TEXT)(purpose)
    MaxLengthValidator(SHORT_TEXT)(intended_use)
    _check_within_grant_limit(wanted_until)
    # Access is asked of the series, like grants: it counts for every version.
    dataset = policy.series_root(dataset)
    if AccessRequest.objects.filter(
        dataset=dataset, requester=actor, status=RequestStatus.PENDING
    ).exists():
        raise ValidationError(_("You asked already; the focal points have not answered yet."))
    request = AccessRequest.objects.create(
        dataset=dataset,
        requester=actor,
        purpose=purpose,
        intended_use=intended_use,
        wanted_until=wanted_until,
    )
    audit_record(
        actor=actor, action="access.request", obj=request, country=dataset.owner_country_id
    )
    send_templated_email(
        recipients=policy.access_request_answerers(dataset),
        template="access-requested",
        context={"request": request, "dataset": dataset},
    )
    return request


def _check_within_grant_limit(until: date) -> None:
    """Refuse an end of access beyond ``settings.GRANT_MAX_DAYS`` from today."""
    latest = timezone.localdate() + timedelta(days=settings.GRANT_MAX_DAYS)
    if until > latest:
        raise ValidationError(
            _(
                "Access lasts at most %(days)d days: choose a date no later than %(latest)s; "
                "it can be granted again when it ends."
            )
            % {"days": settings.GRANT_MAX_DAYS, "latest": latest.isoformat()}
        )


def _check_grant_end(until: date) -> None:
    if until <= timezone.localdate():
        raise ValidationError(_("The grant must end in the future."))
    _check_within_grant_limit(until)


def _end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


@transaction.atomic
def access_request_grant(
    *, actor: User, access_request: AccessRequest, until: date | None = None
) -> AccessGrant:
    """Grant a pending request until ``until`` (default: one year, at most
    ``settings.GRANT_MAX_DAYS``) and tell the requester."""
    access_request = policy.access_access_request(actor, access_request.pk)
    until = until or timezone.localdate() + timedelta(days=DEFAULT_GRANT_DAYS)
    _check_grant_end(until)
    grant_row = policy.grant(
        dataset=access_request.dataset,
        user=access_request.requester,
        until=_end_of_day(until),
        granted_by=actor,
    )
    access_request.status = RequestStatus.GRANTED
    access_request.decided_by = actor
    access_request.decided_at = timezone.now()
    access_request.grant = grant_row
    access_request.save(update_fields=["status", "decided_by", "decided_at", "grant"])
    audit_record(
        actor=actor,
        action="access.grant",
        obj=access_request.dataset,
        country=access_request.dataset.owner_country_id,
        detail={"user": access_request.requester.username, "until": until.isoformat()},
    )
    send_templated_email(
        recipients=[access_request.requester],
        template="access-granted",
        context={"request": access_request, "dataset": access_request.dataset, "until": until},
    )
    return grant_row


@transaction.atomic
def access_request_decline(
    *, actor: User, access_request: AccessRequest, reason: str
) -> AccessRequest:
    """Decline a pending request with a reason the requester reads."""
    access_request = policy.access_access_request(actor, access_request.pk)
    if not reason.strip():
        raise ValidationError(_("Give the reason for declining."))
    MaxLengthValidator(REASON_TEXT)(reason)
    access_request.status = RequestStatus.DECLINED
    access_request.decided_by = actor
    access_request.decided_at = timezone.now()
    access_request.decision_reason = reason
    access_request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit_record(
        actor=actor,
        action="access.decline",
        obj=access_request.dataset,
        country=access_request.dataset.owner_country_id,
        detail={"user": access_request.requester.username, "reason": reason},
    )
    send_templated_email(
        recipients=[access_request.requester],
        template="access-declined",
        context={"request": access_request, "dataset": access_request.dataset, "reason": reason},
    )
    return access_request


@transaction.atomic
def group_grant(*, actor: User, dataset: Dataset, group: Group, until: date) -> AccessGrant:
    """Grant a group (a project team) the download of ``dataset`` until ``until``."""
    dataset = policy.access_dataset(actor, dataset.pk)
    if not policy.can_manage_access(actor, dataset):
        raise PermissionDenied(_("Only focal points of the owner country grant access."))
    _check_grant_end(until)
    grant_row = policy.grant(
        dataset=dataset, group=group, until=_end_of_day(until), granted_by=actor
    )
    audit_record(
        actor=actor,
        action="access.grant",
        obj=dataset,
        country=dataset.owner_country_id,
        detail={"group": group.name, "until": until.isoformat()},
    )
    return grant_row


@transaction.atomic
def grant_revoke(*, actor: User, grant_row: AccessGrant) -> AccessGrant:
    """Revoke an active grant; the holder's next request is refused."""
    grant_row = policy.access_grant(actor, grant_row.pk)
    policy.revoke(grant_row=grant_row, revoked_by=actor)
    audit_record(
        actor=actor,
        action="access.revoke",
        obj=grant_row.dataset,
        country=grant_row.dataset.owner_country_id,
        detail={"grantee": str(grant_row.grantee)},
    )
    if grant_row.user:
        send_templated_email(
            recipients=[grant_row.user],
            template="access-revoked",
            context={"dataset": grant_row.dataset},
        )
    return grant_row


def grants_expire() -> int:
    """Clean up expired grants (expiry itself works on every request); return how many."""
    with transaction.atomic():
        return policy.expire_grants()
