"""Deleting stored blobs that versions of a dataset may share.

A new version of a dataset gets new ``DataFile`` rows that name the same stored blobs
(file and thumbnail) as the version it was started from: no byte is copied. A blob is
therefore deleted only once no row names it any more, and the question is asked after the
transaction that dropped the row commits, so that two versions dropping their rows at the
same time cannot both keep the blob (the later one sees the earlier one's row gone).
"""

from functools import partial

from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Q

from datasets.models import DataFile


def is_named(name: str) -> bool:
    """Return True when some row names ``name`` as its file or its thumbnail."""
    return DataFile.objects.filter(Q(file=name) | Q(thumbnail=name)).exists()


def delete_unless_named(storage: Storage, name: str) -> None:
    """Delete the blob ``name`` from ``storage`` unless a row still names it."""
    if name and not is_named(name):
        storage.delete(name)


def delete_on_commit_unless_named(storage: Storage, names: list[str]) -> None:
    """Once the transaction commits, delete each of ``names`` that no row names any more."""
    for name in names:
        if name:
            transaction.on_commit(partial(delete_unless_named, storage, name))
