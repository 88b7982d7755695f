"""Upload handling that never holds a large file in memory and stops oversize files early.

Django streams each upload to a temporary file past ``FILE_UPLOAD_MAX_MEMORY_SIZE``; this
handler sits in front and skips a file as soon as it passes ``MAX_UPLOAD_SIZE``, so a 5 GB
mistake costs no disk space. The skipped files are remembered on the request so the page
or API can say which file was too large, while the other files of the same upload go on.
"""

from collections.abc import Iterable
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from datasets.file_store import Document, files_store
from datasets.messages import file_report
from datasets.models import DataFile, Dataset
from datasets.storage import file_too_large_message
from neaspec_portal.typing import AuthenticatedRequest


class _NotedRequest(HttpRequest):
    """Describe a request on which the handler notes the skipped files (name, bytes so far)."""

    oversize_uploads: list[tuple[str, int]]


class OversizeUploadHandler(FileUploadHandler):
    """Skip any uploaded file larger than ``settings.MAX_UPLOAD_SIZE``."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.MAX_UPLOAD_SIZE:
            request = cast(_NotedRequest, self.request)  # Django always passes the request
            skipped = getattr(request, "oversize_uploads", [])
            skipped.append((self.file_name, self.received))
            request.oversize_uploads = skipped
            raise SkipFile(f"{self.file_name} is larger than MAX_UPLOAD_SIZE")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def oversize_upload_messages(request: HttpRequest) -> list[str]:
    """Return one message per file of this request that was skipped for its size."""
    return [
        file_too_large_message(name, size)
        for name, size in getattr(request, "oversize_uploads", [])
    ]


def upload_answer(
    request: HttpRequest, *, added: list[DataFile], errors: list[str], page: str
) -> HttpResponse:
    """Answer an upload of several files: JSON for the progress-bar script, else a redirect.

    ``page`` is the URL the plain form returns to, where the messages are shown.
    """
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {
                "added": [{"id": f.pk, "name": f.original_name, "size": f.size} for f in added],
                "errors": [str(text) for text in errors],
            },
            status=400 if errors and not added else 200,
        )
    for text in errors:
        messages.error(request, text)
    if added:
        messages.success(
            request, _("%(count)d file(s) added; they are being checked.") % {"count": len(added)}
        )
    return redirect(page)


def files_posted(
    request: AuthenticatedRequest, *, target: Dataset | Document, page: str
) -> HttpResponse:
    """Store the files posted in ``files`` on ``target``, all or none, and answer the page.

    Shared by the files pages of datasets and publications, so that both refuse and report
    alike; ``page`` is the files page the plain form returns to.
    """
    uploads = request.FILES.getlist("files")  # parses the body, noting oversize files
    added, errors = [], []
    try:
        added = files_store(
            actor=request.user,
            target=target,
            uploads=uploads,
            refused=oversize_upload_messages(request),
        )
    except ValidationError as error:
        errors = error.messages
    return upload_answer(request, added=added, errors=errors, page=page)


def file_states_answer(files: Iterable[DataFile], *, with_values: bool) -> JsonResponse:
    """Return the processing state of ``files`` for a files page to poll.

    ``with_values``: whether the reader may download the files, and so read messages that
    quote their cells (``datasets.messages``).
    """
    answer = []
    for data_file in files:
        report = file_report(data_file, with_values=with_values)
        answer.append(
            {
                "id": data_file.pk,
                "state": data_file.state,
                "label": str(data_file.get_state_display()),
                "error": report.error,
                "problems": report.problems,
            }
        )
    return JsonResponse({"files": answer})
