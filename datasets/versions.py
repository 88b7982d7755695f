"""Versions of a dataset: start a new one from the current version, delete a draft, and
make a newly published version the current one.

What a new version copies and what it shares:

- copied (new rows, the owner edits them freely): the metadata, the tags (species, sites,
  co-owners, collaborators), one ``DataFile`` row per file with its processing results
  (columns, rows, dates, extent, species, warnings, extracted text), and the located
  records read from the files (``Occurrence``) and their public form;
- shared (never copied): the stored bytes of each file and of its thumbnail. A blob is
  deleted only when no row names it any more (``datasets.blobs``), so removing or
  replacing a file in a new version, or deleting a draft, leaves earlier versions whole;
- not carried: status, review rounds and decisions, dates of submission and publication,
  the change note. Access grants and requests are not copied either: they are held on the
  series (its first version) and count for every version (``access.policy.series_root``).
"""

from django.db import transaction
from django.db.models import Max, Model, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from access import policy
from access.services import audit_record
from accounts.models import User
from datasets import blobs, locations
from datasets.models import (
    EDITABLE_STATUSES,
    DataFile,
    Dataset,
    DatasetStatus,
)
from neaspec_portal.api_errors import Conflict
from search.services import index_dataset_on_commit

#: Fields a new version does not take from the one it starts from.
_NOT_COPIED = {
    "id",
    "status",
    "review_round",
    "created_at",
    "updated_at",
    "submitted_at",
    "published_at",
    "withdrawn_reason",
    "version",
    "series",
    "change_note",
    "superseded_at",
}
#: Fields of a file row that belong to the row, not to the stored file and what it holds.
_FILE_NOT_COPIED = {"id", "dataset", "uploaded_at", "duplicate_of", "lease_expires_at", "queued_at"}


def _series(root_id: int):
    return Dataset.objects.filter(Q(pk=root_id) | Q(series_id=root_id))


def _copy_fields(model: type[Model], source: Model, skip: set[str]) -> dict:
    return {
        field.attname: getattr(source, field.attname)
        for field in model._meta.concrete_fields
        if field.name not in skip
    }


def _copy_files(source: Dataset, target: Dataset) -> int:
    """Give ``target`` a row per file of ``source`` naming the same blobs; return how many."""
    copied = 0
    for data_file in DataFile.objects.filter(dataset=source).order_by("uploaded_at", "pk"):
        twin = DataFile.objects.create(
            dataset=target, **_copy_fields(DataFile, data_file, _FILE_NOT_COPIED)
        )
        locations.copy_records(source_file=data_file.pk, target=twin)
        copied += 1
    # The public form is decided again for the new rows (the same rule gives the same form).
    locations.generalize_dataset(target)
    return copied


@transaction.atomic
def dataset_start_version(*, actor: User, dataset: Dataset, change_note: str = "") -> Dataset:
    """Start a draft of the next version of ``dataset``, a copy of its current version.

    The owner side only (``policy.can_start_version``), one open draft per series: a
    second answers ``Conflict`` naming the open one. The actor joins the collaborators, so
    that a focal point who starts a version may edit it (and, four eyes, not decide on it).
    """
    dataset = policy.access_dataset(actor, dataset.pk)
    if not policy.can_start_version(actor, dataset):
        raise Http404("No such dataset to start a version of.")
    root_id = dataset.series_root_id
    # Lock the first version: two starts at once queue here, and the second sees the first.
    Dataset.objects.select_for_update().filter(pk=root_id).first()
    dataset = Dataset.objects.get(pk=dataset.pk)
    if dataset.superseded_at is not None or dataset.status != DatasetStatus.PUBLISHED:
        raise Conflict(_("A newer version of this dataset was published meanwhile."))
    open_draft = _series(root_id).filter(status__in=[*EDITABLE_STATUSES, DatasetStatus.SUBMITTED])
    draft = open_draft.values_list("pk", flat=True).first()
    if draft is not None:
        raise Conflict(
            _("A new version of this dataset is already being prepared."), {"draft": draft}
        )
    latest = _series(root_id).aggregate(latest=Max("version"))["latest"] or 1
    new = Dataset(**_copy_fields(Dataset, dataset, _NOT_COPIED))
    new.series_id, new.version, new.change_note = root_id, latest + 1, change_note
    new.full_clean(exclude=["uploader", "owner_country"])
    new.save()
    for name in ("species", "sites", "co_owner_countries", "collaborators", "protocols"):
        getattr(new, name).set(getattr(dataset, name).all())
    if actor.pk != new.uploader_id:
        new.collaborators.add(actor)
    files = _copy_files(dataset, new)
    audit_record(
        actor=actor,
        action="dataset.version",
        obj=new,
        country=new.owner_country_id,
        detail={"from": dataset.pk, "version": new.version, "files": files},
    )
    index_dataset_on_commit(new.pk)
    return new


def series_supersede(*, dataset: Dataset) -> list[int]:
    """Mark the other published versions of ``dataset``'s series superseded by it, which was
    just published; return their ids. Called inside the review service's transaction, whose
    audit row names the publication."""
    earlier = (
        _series(dataset.series_root_id)
        .filter(status=DatasetStatus.PUBLISHED, superseded_at__isnull=True)
        .exclude(pk=dataset.pk)
    )
    ids = list(earlier.values_list("pk", flat=True))
    if ids:
        Dataset.objects.filter(pk__in=ids).update(superseded_at=timezone.now())
        for pk in ids:
            index_dataset_on_commit(pk)
    return ids


@transaction.atomic
def dataset_delete_draft(*, actor: User, dataset: Dataset) -> None:
    """Delete a draft (or returned) dataset that was never published, with its files.

    The owner side only; anyone else is told it does not exist. A dataset past its draft
    answers ``Conflict``. Blobs go once committed, unless another version names them.
    """
    dataset = policy.access_dataset(actor, dataset.pk)
    if not policy.can_delete_draft(actor, dataset):
        raise Http404("No such dataset.")
    if dataset.status not in EDITABLE_STATUSES or dataset.published_at is not None:
        raise Conflict(_("Only a draft can be deleted; withdraw a published dataset instead."))
    files = list(DataFile.objects.filter(dataset=dataset).values_list("file", "thumbnail"))
    audit_record(
        actor=actor,
        action="dataset.delete",
        obj=dataset,
        country=dataset.owner_country_id,
        detail={
            "title": dataset.title,
            "version": dataset.version,
            "series": dataset.series_id,
            "files": len(files),
        },
    )
    dataset.delete()
    names = [name for pair in files for name in pair]
    blobs.delete_on_commit_unless_named(DataFile._meta.get_field("file").storage, names)
