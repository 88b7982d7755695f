"""The one upload service: the files of a request become files of a dataset or a publication.

Every surface (the dataset files page and API, the publication form, files page and API,
and event materials) stores uploads through ``files_store``, so they share one behaviour:

- all or nothing per request: every file is checked before any is stored, and one refused
  file refuses the whole request, with one message per refused file;
- no orphans: a blob is written inside the transaction that writes its row, and the blobs
  of a transaction that rolls back are deleted (``atomic_with_blobs``), so no failure, in
  the database, in a service run later in the same transaction or in the page cache, can
  leave a stored file without its row; a row is never saved before its blob is written;
- processing is queued once the transaction commits (``queue.enqueue_on_commit``).

Django has no "on rollback" hook: ``atomic_with_blobs`` records the blobs written inside
its block and deletes them when the block raises; a nested block that succeeds hands its
blobs to the outer one, whose rollback deletes them in turn.
"""

import contextlib
import contextvars
import hashlib
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any, Protocol, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from access import policy
from access.services import audit_record
from accounts.models import User
from datasets.models import DataFile, Dataset
from datasets.processing.queue import enqueue_on_commit
from datasets.storage import file_too_large_message, safe_display_name
from search.services import index_publication_on_commit


class Document(Protocol):
    """What the store needs of a publication (``publications.models.Publication``), named
    without importing it: datasets sit below publications in the import graph."""

    pk: Any
    owner_country_id: Any
    links: Any  # its PublicationFile rows


#: The multipart field of the API that carries files; errors about files are under it.
FILE_FIELD = "file"
#: Documents (publications, event materials): what a name ends with, and for DOCX and PPTX
#: the part their zip must hold.
DOCUMENT_EXTENSIONS = (".pdf", ".docx", ".pptx")
OFFICE_PARTS = {".docx": "word/document.xml", ".pptx": "ppt/presentation.xml"}

#: The blobs written by the transaction in progress, for the outermost ``atomic_with_blobs``.
_stored: contextvars.ContextVar[list[tuple[Storage, str]] | None] = contextvars.ContextVar(
    "stored_blobs", default=None
)


@contextlib.contextmanager
def atomic_with_blobs() -> Iterator[None]:
    """Run the block in a transaction (a savepoint when nested); if it raises, delete the
    blobs it stored, which its rollback orphaned.

    When the block succeeds inside an outer ``atomic_with_blobs``, its blobs pass to the
    outer block, which deletes them if it rolls back in turn. Wrap a whole service that
    stores files with it (e.g. creating a publication with its files), not only the storing.
    """
    parent = _stored.get()
    stored: list[tuple[Storage, str]] = []
    token = _stored.set(stored)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for storage, name in stored:
            storage.delete(name)
        raise
    finally:
        _stored.reset(token)
    if parent is not None:
        parent.extend(stored)


def _checksum(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _blob_and_row(actor: User, upload: UploadedFile, dataset: Dataset | None) -> DataFile:
    """Write ``upload`` under a generated name, record the blob for deletion on rollback,
    then save its pending row: a failure at any point leaves nothing behind."""
    data_file = DataFile(
        dataset=dataset,
        original_name=safe_display_name(cast(str, upload.name)),
        size=cast(int, upload.size),
        sha256=_checksum(upload),
        uploaded_by=actor,
    )
    data_file.file.save(upload.name, upload, save=False)
    stored = _stored.get()
    if stored is not None:  # always set inside files_store; see atomic_with_blobs
        stored.append((data_file.file.storage, data_file.file.name))
    data_file.save()
    return data_file


def document_error(upload: UploadedFile) -> str | None:
    """Return why ``upload`` is not a PDF, DOCX or PPTX file, judged from its name and bytes.

    The processing pipeline checks the real type again later; this refuses the obvious
    mistakes while the person is still there.
    """
    name = cast(str, upload.name)  # a received upload always has a name
    extension = next((ext for ext in DOCUMENT_EXTENSIONS if name.lower().endswith(ext)), None)
    if extension is None:
        return _("%(name)s: only PDF, DOCX and PPTX files are accepted.") % {"name": name}
    head = upload.read(8)
    upload.seek(0)
    if extension == ".pdf":
        return (
            None if head.startswith(b"%PDF-") else _("%(name)s is not a PDF file.") % {"name": name}
        )
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        names = set()
    finally:
        upload.seek(0)
    if OFFICE_PARTS[extension] not in names:
        return _("%(name)s is not a %(kind)s document.") % {
            "name": name,
            "kind": extension[1:].upper(),
        }
    return None


def _upload_error(upload: UploadedFile, *, documents: bool) -> str | None:
    name, size = cast(str, upload.name), cast(int, upload.size)
    if size > settings.MAX_UPLOAD_SIZE:
        return file_too_large_message(name, size)
    if size == 0:
        return _("%(name)s is empty.") % {"name": name}
    return document_error(upload) if documents else None


def uploads_check(
    *, uploads: Sequence[UploadedFile], documents: bool, refused: Sequence[str] = ()
) -> None:
    """Refuse the request unless it brings 1 to ``settings.DATA_UPLOAD_MAX_NUMBER_FILES``
    acceptable files; the error lists every refused file under ``FILE_FIELD``.

    ``refused``: messages about files already dropped while the request was read (too
    large, ``datasets.uploads.oversize_upload_messages``); they refuse the request too.
    ``documents``: only PDF, DOCX and PPTX are accepted (publications, event materials).
    """
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
    if limit is not None and len(uploads) > limit:
        message = _("Send at most %(count)d files in one upload.") % {"count": limit}
        raise ValidationError({FILE_FIELD: [message]})
    errors = list(refused)
    errors += [error for upload in uploads if (error := _upload_error(upload, documents=documents))]
    if errors:
        raise ValidationError({FILE_FIELD: errors})
    if not uploads:
        raise ValidationError({FILE_FIELD: [_("Choose at least one file.")]})


def _editable_target(actor: User, target: Dataset | Document) -> Dataset | Document:
    if isinstance(target, Dataset):
        return policy.access_editable_dataset(actor, target.pk)
    publication = policy.access_publication(actor, target.pk)
    if not policy.can_edit_publication(actor, publication):
        raise PermissionDenied(_("You cannot add files to this publication."))
    return publication


def files_store(
    *,
    actor: User,
    target: Dataset | Document,
    uploads: Sequence[UploadedFile],
    refused: Sequence[str] = (),
) -> list[DataFile]:
    """Store ``uploads`` as pending files of ``target`` (a dataset or a publication), all or
    none; return the new files in the order given.

    Checks first (``uploads_check``), then writes each blob and its row in one transaction
    whose blobs are deleted if it rolls back (``atomic_with_blobs``); processing is queued on
    commit. The caller may wrap more work in an outer ``atomic_with_blobs``.
    """
    target = _editable_target(actor, target)
    dataset = target if isinstance(target, Dataset) else None
    document = None if isinstance(target, Dataset) else target
    uploads_check(uploads=uploads, documents=document is not None, refused=refused)
    stored = []
    with atomic_with_blobs():
        for upload in uploads:
            data_file = _blob_and_row(actor, upload, dataset)
            if document is not None:
                document.links.create(data_file=data_file)
            audit_record(
                actor=actor,
                action="file.upload",
                obj=data_file,
                country=target.owner_country_id or "",
                detail={
                    "dataset" if dataset else "publication": target.pk,
                    "size": data_file.size,
                    "sha256": data_file.sha256,
                },
            )
            enqueue_on_commit(data_file.pk)
            stored.append(data_file)
        if document is not None:
            index_publication_on_commit(document.pk)
    return stored
