"""Writes of the exports: an export is a download, audited like one."""

from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from access.services import audit_record
from accounts.models import User
from datasets import counts
from datasets.models import CountKind, CountSubject, Dataset


@transaction.atomic
def dataset_export_record(
    *,
    actor: User | AnonymousUser,
    dataset: Dataset,
    export_format: str,
    exact: bool,
    ip_address: str | None,
) -> None:
    """Write the audit row of an export of ``dataset`` (a download: counted with them).

    ``exact`` says whether it held exact coordinates or the public form.
    """
    counts.count_add(
        subject=CountSubject.DATASET, object_id=dataset.pk, kind=CountKind.DOWNLOAD, reader=actor
    )
    audit_record(
        actor=actor,
        action="dataset.export",
        obj=dataset,
        country=dataset.owner_country_id,
        ip_address=ip_address,
        detail={"dataset": dataset.pk, "format": export_format, "exact": exact},
    )
