"""The citation of one publication in the API, as BibTeX, RIS or CSL-JSON."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from neaspec_portal import params
from publications import cite, selectors


class IgnoreFormatParameter(DefaultContentNegotiation):
    """Content negotiation that leaves ``?format=`` to the view (it names a citation style)."""

    class settings:  # noqa: N801 (stands in for api_settings)
        URL_FORMAT_OVERRIDE = None
        DEFAULT_RENDERER_CLASSES = api_settings.DEFAULT_RENDERER_CLASSES


CITATION_FORMAT = params.choice("format", cite.FORMATS, default="bibtex", description="Style.")


class PublicationCiteView(APIView):
    """The citation of one publication as BibTeX, RIS or CSL-JSON."""

    content_negotiation_class = IgnoreFormatParameter

    @extend_schema(
        operation_id="publications_cite",
        parameters=params.openapi([CITATION_FORMAT]),
        responses={
            (200, "application/x-bibtex"): OpenApiTypes.STR,
            (200, "application/x-research-info-systems"): OpenApiTypes.STR,
            (200, "application/vnd.citationstyles.csl+json"): OpenApiTypes.OBJECT,
            404: OpenApiResponse(description="No such publication, or not visible to you."),
        },
    )
    def get(self, request: Request, pk: int):
        style = params.read(request.query_params, [CITATION_FORMAT], strict=True)["format"]
        publication = selectors.publication_detail(user=request.user, pk=pk)
        render_citation, content_type, extension = cite.FORMATS[style]
        response = HttpResponse(
            render_citation(publication), content_type=f"{content_type}; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="neaspec-{publication.pk}.{extension}"'
        )
        return response
