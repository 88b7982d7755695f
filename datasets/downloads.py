"""Protected downloads: the only way raw bytes leave the server.

The view asks the access policy, writes the audit row, and then either streams the file
(development), hands it to nginx with ``X-Accel-Redirect`` (local storage in production), or
redirects to a URL of the private bucket signed for ``AWS_QUERYSTRING_EXPIRE`` seconds (S3;
docs/decisions/object-storage.md), so that Django spends a few milliseconds per download
whatever the file's size.
"""

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.views.decorators.http import require_GET

from access import policy
from access.services import client_ip
from datasets import services
from datasets.stored_files import StoredSource


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
    response["Content-Disposition"] = _attachment(download_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _signed_url(stored_file, content_type: str, download_name: str) -> str:
    """Return a URL of the bucket that sends the file, as an attachment, for a short while."""
    field_file = stored_file.file
    return field_file.storage.url(
        field_file.name,
        parameters={
            "ResponseContentDisposition": _attachment(download_name),
            "ResponseContentType": content_type,
        },
        expire=settings.AWS_QUERYSTRING_EXPIRE,
    )


def stored_file_content_type(name: str) -> str:
    guessed, _encoding = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"


def _attachment(name: str) -> str:
    name = "".join(ch for ch in name if ch.isprintable()) or "download"
    ascii_name = name.encode("ascii", "ignore").decode() or "download"
    ascii_name = ascii_name.replace('"', "").replace("\\", "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Send one raw data file to a user the policy allows; 404 to everyone else."""
    data_file = policy.access_data_file(request.user, pk)
    services.download_record(actor=request.user, data_file=data_file, ip_address=client_ip(request))
    return protected_file_response(data_file, download_name=data_file.original_name)


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
