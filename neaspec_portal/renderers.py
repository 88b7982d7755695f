"""How the API chooses the form of its answers: GeoJSON beside DRF's JSON, and a 406 for a
form it cannot give."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.settings import api_settings


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's content negotiation, with ``?format=`` of an unknown form refused as a 406.

    DRF answers 404 there, as for a ``.xyz`` suffix of a URL; this API has no suffixes, and
    "Not found" for an object that exists misleads. An ``Accept`` header it cannot satisfy
    is already a 406: ``?format=`` now reads the same.
    """

    def filter_renderers(self, renderers: list[BaseRenderer], format: str) -> list[BaseRenderer]:
        chosen = [renderer for renderer in renderers if renderer.format == format]
        if not chosen:
            formats = ", ".join(str(renderer.format) for renderer in renderers)
            raise exceptions.NotAcceptable(
                _("Give format= one of: %(formats)s.") % {"formats": formats}
            )
        return chosen


class IgnoreFormatParameter(DefaultContentNegotiation):
    """Content negotiation that leaves ``?format=`` to the view, where it names a citation
    style (``bibtex``, ``ris``...) rather than a renderer; the view refuses an unknown one
    with a 400 that lists the styles."""

    class settings:  # noqa: N801 (stands in for api_settings)
        URL_FORMAT_OVERRIDE = None
        DEFAULT_RENDERER_CLASSES = api_settings.DEFAULT_RENDERER_CLASSES


class GeoJSONRenderer(JSONRenderer):
    """Render GeoJSON as ``application/geo+json`` (RFC 7946), the type GeoJSON clients ask for.

    An error is not GeoJSON: it goes out as ``application/json``, with the body every other
    API error has, so that one content type describes each body.
    """

    media_type = "application/geo+json"
    format = "geojson"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict[str, Any] | None = None,
    ) -> bytes:
        response = (renderer_context or {}).get("response")
        if response is not None and response.exception:
            response["Content-Type"] = "application/json"
        return super().render(data, accepted_media_type, renderer_context)


#: GeoJSON first (what ``*/*`` gets), and plain JSON for clients that ask only for that.
GEOJSON_RENDERERS = [GeoJSONRenderer, JSONRenderer]
