"""Styled error pages that never show a traceback."""

import base64
import hashlib
import re

from csp.decorators import csp_update
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

INLINE_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponseBase:
    # Rendered without a RequestContext: the failure may come from a context processor.
    content = loader.get_template("500.html").render()

    # The page carries its own stylesheet so that it looks right even when static files are
    # what failed. The Content-Security-Policy allows exactly that stylesheet, by its hash.
    @csp_update({"style-src": inline_style_hashes(content)})
    def respond(request: HttpRequest) -> HttpResponseBase:
        return HttpResponseServerError(content)

    return respond(request)


def inline_style_hashes(html: str) -> list[str]:
    """Return the CSP sources (``'sha256-…'``) of the inline ``<style>`` elements of ``html``."""
    digests = [hashlib.sha256(body.encode()).digest() for body in INLINE_STYLE.findall(html)]
    return [f"'sha256-{base64.b64encode(digest).decode()}'" for digest in digests]
