"""Styled error pages that never show a traceback."""

import base64
import hashlib
import logging
import re

from csp.decorators import csp_update
from django.conf import settings
from django.core.exceptions import TooManyFilesSent
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"
logger = logging.getLogger(__name__)
INLINE_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer a request Django refused while reading it (``SuspiciousOperation``, ``BadRequest``).

    Too many files in one upload is refused as JSON naming the limit, for the API and for the
    upload pages alike: the body is read before any view (the CSRF check reads the form),
    so no view could answer it.
    """
    if isinstance(exception, TooManyFilesSent):
        message = _("Send at most %(count)d files in one upload.") % {
            "count": settings.DATA_UPLOAD_MAX_NUMBER_FILES
        }
        return JsonResponse({"detail": message, "added": [], "errors": [message]}, status=400)
    if _is_api(request):
        return JsonResponse({"detail": _("The request could not be read.")}, status=400)
    return defaults.bad_request(request, exception)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer an address nothing serves: the styled page, or under the API its JSON error."""
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer a refused request: the styled page in the reader's language, or JSON under the API.

    The page says what the person can do next (sign in, ask a focal point) and never why in
    terms of someone else's data.
    """
    if _is_api(request):
        return JsonResponse({"detail": _("You do not have permission to do this.")}, status=403)
    return render(request, "403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Answer a form Django refused for its CSRF check: most often a page left open too long."""
    if _is_api(request):
        return JsonResponse(
            {"detail": _("The form expired. Reload the page and try again.")}, status=403
        )
    return render(request, "403_csrf.html", status=403)


def _is_api(request: HttpRequest) -> bool:
    # API clients read JSON errors, as the OpenAPI schema documents them
    # (neaspec_portal/schema.py), also for addresses that match no API route.
    return request.path_info.startswith(API_PREFIX)


#: What the 500 page says if even its template cannot be rendered: plain, in six languages.
FALLBACK_500 = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Server error</title>'
    "</head><body><h1>Server error</h1><p>Please try again in a few minutes. "
    '<span lang="zh-hans">服务器出错，请稍后重试。</span> '
    '<span lang="ja">サーバーエラーです。</span> '
    '<span lang="ko">서버 오류입니다.</span> <span lang="mn">Серверийн алдаа.</span> '
    '<span lang="ru">Ошибка сервера.</span></p><p><a href="/">Home</a></p></body></html>'
)


def server_error(request: HttpRequest) -> HttpResponseBase:
    """Answer a failure with a page in the reader's language that cannot fail in turn.

    No request context (the failure may come from a context processor), no database (it
    may be what failed), no static files (the page carries its own style): the language
    is the one the locale middleware chose, the words come from the compiled catalogues.
    If even that fails, a fixed page in the six languages answers.
    """
    language = getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE
    if _is_api(request):
        with translation.override(language):
            detail = _("Something went wrong on our side. Please try again in a few minutes.")
        return JsonResponse({"detail": detail}, status=500)
    content = _server_error_page(language)

    # The page carries its own stylesheet so that it looks right even when static files are
    # what failed. The Content-Security-Policy allows exactly that stylesheet, by its hash.
    @csp_update({"style-src": inline_style_hashes(content)})
    def respond(request: HttpRequest) -> HttpResponseBase:
        return HttpResponseServerError(content)

    return respond(request)


def _server_error_page(language: str) -> str:
    try:
        with translation.override(language):
            return loader.get_template("500.html").render(
                {
                    "language_code": translation.get_language(),
                    "language_bidi": translation.get_language_bidi(),
                }
            )
    except Exception:  # the page of last resort must answer whatever broke
        logger.exception("The 500 page could not be rendered; the fixed page answers.")
        return FALLBACK_500


def inline_style_hashes(html: str) -> list[str]:
    """Return the CSP sources (``'sha256-…'``) of the inline ``<style>`` elements of ``html``."""
    digests = [hashlib.sha256(body.encode()).digest() for body in INLINE_STYLE.findall(html)]
    return [f"'sha256-{base64.b64encode(digest).decode()}'" for digest in digests]
