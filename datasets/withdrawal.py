"""Withdrawal, the emergency brake, and restoring a withdrawn dataset.

Withdrawing takes the dataset out of every list and stops its downloads and grants (the
policy reads the status), and at once removes every copy made from its files for others
to see: the public form of its records (maps), its thumbnails, the text extracted from
its files and its search document; the page cache starts a new generation. What the
owner side keeps is the data itself: the files, their rows and the exact records, which
only the owner side reads while withdrawn. Restoring (the secretariat) publishes it again
and hands its files to processing, which rebuilds what withdrawal removed.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.utils.translation import gettext as _

from access import policy
from access.services import audit_record
from accounts.models import User
from datasets import blobs
from datasets.models import REASON_TEXT, DataFile, Dataset, DatasetStatus, FileState
from datasets.models.occurrences import PublicOccurrence
from datasets.processing.queue import enqueue_on_commit
from neaspec_portal import page_cache
from neaspec_portal.mail import send_templated_email
from search.models import SearchDocument
from search.services import index_dataset_on_commit


def _purge_public_copies(dataset: Dataset) -> dict[str, int]:
    """Remove what was derived from ``dataset``'s files for others to see; return counts."""
    files = DataFile.objects.filter(dataset=dataset)
    thumbnails = [name for name in files.values_list("thumbnail", flat=True) if name]
    public_rows, _kinds = PublicOccurrence.objects.filter(dataset=dataset).delete()
    files.update(thumbnail="", extracted_text="")
    documents, _kinds = SearchDocument.objects.filter(dataset=dataset).delete()
    # Another version may still show the same thumbnails (``datasets.blobs``).
    blobs.delete_on_commit_unless_named(DataFile._meta.get_field("thumbnail").storage, thumbnails)
    transaction.on_commit(page_cache.bump)
    return {"public_records": public_rows, "thumbnails": len(thumbnails), "documents": documents}


@transaction.atomic
def dataset_withdraw(*, actor: User, dataset: Dataset, reason: str) -> Dataset:
    """Withdraw a published dataset: it leaves every list, its grants stop working and its
    public copies go at once (see the module's docstring)."""
    dataset = policy.access_dataset(actor, dataset.pk)
    if not policy.can_withdraw(actor, dataset):
        raise PermissionDenied(
            _(
                "Only the uploader, collaborators and focal points of the owner countries "
                "withdraw a dataset."
            )
        )
    if not reason.strip():
        raise ValidationError(_("Give the reason for withdrawing."))
    MaxLengthValidator(REASON_TEXT)(reason)
    dataset.status = DatasetStatus.WITHDRAWN
    dataset.withdrawn_reason = reason
    dataset.save(update_fields=["status", "withdrawn_reason", "updated_at"])
    purged = _purge_public_copies(dataset)
    audit_record(
        actor=actor,
        action="dataset.withdraw",
        obj=dataset,
        country=dataset.owner_country_id,
        detail={"reason": reason, "purged": purged},
    )
    send_templated_email(
        recipients=[dataset.uploader],
        template="dataset-withdrawn",
        context={"dataset": dataset, "reason": reason},
    )
    return dataset


@transaction.atomic
def dataset_restore(*, actor: User, dataset: Dataset) -> Dataset:
    """Publish a withdrawn dataset again (the secretariat) and rebuild its public copies:
    its files are processed again, which reindexes it once they are read."""
    dataset = policy.access_dataset(actor, dataset.pk)
    if not policy.can_restore(actor, dataset):
        raise PermissionDenied(_("Only the secretariat restores a withdrawn dataset."))
    reason = dataset.withdrawn_reason
    dataset.status = DatasetStatus.PUBLISHED
    dataset.withdrawn_reason = ""
    dataset.save(update_fields=["status", "withdrawn_reason", "updated_at"])
    files = list(DataFile.objects.filter(dataset=dataset).values_list("pk", flat=True))
    DataFile.objects.filter(pk__in=files).update(
        state=FileState.PENDING, attempts=0, queued_at=None, lease_expires_at=None
    )
    for file_id in files:
        enqueue_on_commit(file_id)
    audit_record(
        actor=actor,
        action="dataset.restore",
        obj=dataset,
        country=dataset.owner_country_id,
        detail={"withdrawn_reason": reason, "files": len(files)},
    )
    index_dataset_on_commit(dataset.pk)
    return dataset
