"""Protected downloads: the only way raw bytes leave the server.

The view asks the access policy, writes the audit row, and then either streams the file
(development), hands it to nginx with ``X-Accel-Redirect`` (local storage in production), or
redirects to a URL of the private bucket signed for ``AWS_QUERYSTRING_EXPIRE`` seconds (S3;
docs/decisions/object-storage.md), so that Django spends a few milliseconds per download
whatever the file's size.

A dataset's file goes out named ``<dataset-slug>_v<version>_<file>``
(``dataset_file_name``), so that files saved from several datasets and versions stay
apart; the archive of a version (``archive``) holds every file of it the requester may
download, streamed as a zip, each file audited and counted as a download.
"""

import mimetypes
import posixpath
from collections.abc import Iterator, Sequence
from urllib.parse import quote
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from access import policy
from access.services import client_ip
from datasets import access_services
from datasets.models import DataFile, Dataset
from datasets.stored_files import StoredSource
from datasets.zip_stream import Pipe

#: A slug longer than this is cut: the whole name must stay readable in a file manager.
SLUG_LENGTH = 60
#: Bytes read from a stored file between two hand-overs to the response.
ARCHIVE_CHUNK = 256 * 1024


def protected_file_response(stored_file, *, download_name: str) -> HttpResponseBase:
    """Return a response that sends ``stored_file`` as an attachment named ``download_name``."""
    content_type = (
        stored_file_content_type(download_name)
        if not getattr(stored_file, "content_type", "")
        else stored_file.content_type
    )
    response: HttpResponseBase
    if settings.PROTECTED_DOWNLOADS == "presigned":
        response = HttpResponseRedirect(_signed_url(stored_file, content_type, download_name))
    elif settings.PROTECTED_DOWNLOADS == "accel":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.PROTECTED_DOWNLOADS_PREFIX + quote(
            stored_file.file.name
        )
    else:
        # From a bucket too: read by ranges as it is sent, not downloaded first.
        stream = StoredSource.of(stored_file.file).open()
        response = FileResponse(stream, content_type=content_type)
    response["Content-Disposition"] = attachment(download_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _signed_url(stored_file, content_type: str, download_name: str) -> str:
    """Return a URL of the bucket that sends the file, as an attachment, for a short while."""
    field_file = stored_file.file
    return field_file.storage.url(
        field_file.name,
        parameters={
            "ResponseContentDisposition": attachment(download_name),
            "ResponseContentType": content_type,
        },
        expire=settings.AWS_QUERYSTRING_EXPIRE,
    )


def stored_file_content_type(name: str) -> str:
    guessed, _encoding = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"


def attachment(name: str) -> str:
    """Return a Content-Disposition that saves the response as ``name`` (any script)."""
    name = "".join(ch for ch in name if ch.isprintable()) or "download"
    ascii_name = name.encode("ascii", "ignore").decode() or "download"
    ascii_name = ascii_name.replace('"', "").replace("\\", "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def dataset_slug(dataset: Dataset) -> str:
    """Return the dataset's title as a file-name slug: English title first, then original."""
    slug = slugify(dataset.title_en) or slugify(dataset.title, allow_unicode=True)
    return slug[:SLUG_LENGTH].strip("-_") or f"dataset-{dataset.pk}"


def dataset_file_name(dataset: Dataset, name: str) -> str:
    """Return ``<dataset-slug>_v<version>_<name>``: what a file of ``dataset`` is saved as."""
    return f"{dataset_slug(dataset)}_v{dataset.version}_{name}"


def data_file_download_name(data_file: DataFile) -> str:
    """Return the name a data file is saved under (a publication's file keeps its own)."""
    if data_file.dataset is None:
        return data_file.original_name
    return dataset_file_name(data_file.dataset, data_file.original_name)


@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Send one raw data file to a user the policy allows; 404 to everyone else."""
    data_file = policy.access_data_file(request.user, pk)
    access_services.download_record(
        actor=request.user, data_file=data_file, ip_address=client_ip(request)
    )
    return protected_file_response(data_file, download_name=data_file_download_name(data_file))


@require_GET
def archive(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Send a zip of the version's files the user may download; 404 when there is none."""
    return archive_response(request, policy.access_dataset(request.user, pk))


def archive_response(request: HttpRequest, dataset: Dataset) -> StreamingHttpResponse:
    """Audit and count each file the caller may download, and stream them as one zip.

    Raise Http404 when the caller may download no file of ``dataset`` (none uploaded, or
    not theirs to have), the same answer as for a missing dataset.
    """
    data_files = policy.downloadable_files(request.user, dataset)
    if not data_files:
        raise Http404("No file to download.")
    ip_address = client_ip(request)
    for data_file in data_files:
        data_file.dataset = dataset
        access_services.download_record(
            actor=request.user, data_file=data_file, ip_address=ip_address
        )
    response = StreamingHttpResponse(_archive_chunks(data_files), content_type="application/zip")
    response["Content-Disposition"] = attachment(dataset_file_name(dataset, "files.zip"))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def archive_member_names(data_files: Sequence[DataFile]) -> list[str]:
    """Return a distinct, path-free member name for each file, in order ("a.csv", "a (2).csv")."""
    names: list[str] = []
    taken: set[str] = set()
    for data_file in data_files:
        base = posixpath.basename(data_file.original_name.replace("\\", "/")) or "file"
        stem, dot, extension = base.rpartition(".")
        if not dot:
            stem, extension = base, ""
        name, number = base, 1
        while name.lower() in taken:
            number += 1
            name = f"{stem} ({number}){dot}{extension}"
        taken.add(name.lower())
        names.append(name)
    return names


def _archive_chunks(data_files: Sequence[DataFile]) -> Iterator[bytes]:
    pipe = Pipe()
    with ZipFile(pipe, mode="w", compression=ZIP_DEFLATED) as bundle:
        for data_file, name in zip(data_files, archive_member_names(data_files), strict=True):
            info = ZipInfo(name, date_time=data_file.uploaded_at.timetuple()[:6])
            info.compress_type = ZIP_DEFLATED
            with (
                StoredSource.of(data_file.file).open() as source,
                bundle.open(info, mode="w", force_zip64=True) as member,
            ):
                while chunk := source.read(ARCHIVE_CHUNK):
                    member.write(chunk)
                    yield pipe.take()
    yield pipe.take()


@require_GET
def thumbnail(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Send a file's thumbnail under the same policy as the file itself."""
    data_file = policy.access_data_file(request.user, pk)
    if not data_file.thumbnail:
        raise Http404("No thumbnail.")
    response = FileResponse(data_file.thumbnail.open("rb"), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
