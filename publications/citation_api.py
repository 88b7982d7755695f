"""The citation of one publication in the API, as BibTeX, RIS or CSL-JSON."""

from django.http import HttpResponse
from drf_spectacular.plumbing import build_array_type, build_object_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from neaspec_portal import params
from neaspec_portal.renderers import IgnoreFormatParameter
from publications import cite, selectors

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
            # CSL-JSON is a list of items, here of one.
            (200, "application/vnd.citationstyles.csl+json"): build_array_type(build_object_type()),
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
