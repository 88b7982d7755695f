"""Storing uploaded files: one mechanism for dataset files and publication files alike."""

import hashlib
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from accounts.models import User
from datasets.models import DataFile, Dataset


def safe_display_name(name: str) -> str:
    """Return the base name of an uploaded file without path parts or control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>|:*?')
    return (cleaned.strip(" .") or "file")[:255]


def file_too_large_message(name: str, size: int) -> str:
    """Return the message shown for a file over ``settings.MAX_UPLOAD_SIZE``."""
    return _("%(name)s is %(size).1f GiB; the largest file the hub accepts is %(limit).1f GiB.") % {
        "name": name,
        "size": size / 1024**3,
        "limit": settings.MAX_UPLOAD_SIZE / 1024**3,
    }


def _checksum(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def stored_file_create(
    *, actor: User, upload: UploadedFile, dataset: Dataset | None = None
) -> DataFile:
    """Copy ``upload`` in chunks to storage under a generated name; return its pending row.

    Django has already streamed the upload to a temporary file, so nothing large is ever
    held in memory. The caller authorizes and writes the audit row.
    """
    # A received upload always has a name and a size; the stubs allow None for both.
    name, size = cast(str, upload.name), cast(int, upload.size)
    if size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(file_too_large_message(name, size))
    if size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    data_file = DataFile(
        dataset=dataset,
        original_name=safe_display_name(name),
        size=size,
        sha256=_checksum(upload),
        uploaded_by=actor,
    )
    data_file.file.save(upload.name, upload, save=False)
    data_file.save()
    return data_file
