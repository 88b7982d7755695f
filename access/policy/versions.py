"""Versions of a dataset: who starts one, who deletes a draft, which versions a user sees.

Each version is a ``Dataset`` row of its own (``series`` points at the first version), so
every other rule (metadata, downloads, review) applies to it unchanged; grants and access
requests target the series (``grants.series_root``). The owner side of a dataset is its
uploader and collaborators and the focal points of its owner and co-owner countries.
"""

from django.db.models import Count, Q, QuerySet

from access.policy.datasets import is_dataset_contributor, visible_datasets
from access.policy.roles import Actor, focal_point_countries, is_secretariat, is_verified
from datasets.models import Dataset, DatasetStatus


def can_withdraw(user: Actor, dataset: Dataset) -> bool:
    """Return True when ``user`` may withdraw ``dataset``: the owner side, once published.

    Withdrawal is the emergency brake (``datasets.withdrawal``): whoever answers for the
    data may pull it at once; only the secretariat brings it back.
    """
    return dataset.status == DatasetStatus.PUBLISHED and is_owner_side(user, dataset)


def is_owner_side(user: Actor, dataset: Dataset) -> bool:
    """Return True for the uploader, collaborators and focal points of the owner countries.

    Uses the prefetched co-owners and collaborators when they are.
    """
    if not is_verified(user):
        return False
    if focal_point_countries(user).intersection(dataset.country_codes()):
        return True
    return is_dataset_contributor(user, dataset)


def can_start_version(user: Actor, dataset: Dataset) -> bool:
    """Return True when ``user`` may start a new version of ``dataset``: the owner side, on
    the current published version. Whether a draft is already open is the service's
    question (a conflict, not a right)."""
    return (
        dataset.status == DatasetStatus.PUBLISHED
        and dataset.superseded_at is None
        and is_owner_side(user, dataset)
    )


def can_delete_draft(user: Actor, dataset: Dataset) -> bool:
    """Return True when ``user`` is on the owner side of ``dataset``, who deletes its drafts.

    Whether ``dataset`` is still a draft is the service's question (409, not 404).
    """
    return is_owner_side(user, dataset)


def series_versions(user: Actor, dataset: Dataset) -> QuerySet[Dataset]:
    """Return the versions of ``dataset``'s series that ``user`` may see, newest first, with
    ``can_download`` and ``file_count``."""
    root = dataset.series_root_id
    return (
        visible_datasets(user)
        .filter(Q(pk=root) | Q(series_id=root))
        .annotate(file_count=Count("files"))
        .order_by("-version")
    )


def can_restore(user: Actor, dataset: Dataset) -> bool:
    """Return True when ``user`` may restore the withdrawn ``dataset``: the secretariat."""
    return dataset.status == DatasetStatus.WITHDRAWN and is_secretariat(user)
