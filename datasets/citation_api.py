"""The citation of one dataset version in the API: text, BibTeX, RIS, CSL-JSON or DataCite XML."""

from django.http import HttpResponse
from drf_spectacular.plumbing import build_array_type, build_object_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from datasets import cite, selectors
from datasets.datacite import FORMATS
from neaspec_portal import params
from neaspec_portal.renderers import IgnoreFormatParameter

CITATION_FORMAT = params.choice(
    "format", FORMATS, default="text", description="Citation style; DataCite is kernel-4 XML."
)


def citation_response(dataset, style: str, *, disposition: str) -> HttpResponse:
    """Return the citation of ``dataset`` in ``style`` (a key of ``FORMATS``) as a file."""
    render, content_type, extension = FORMATS[style]
    response = HttpResponse(
        render(cite.citation_of(dataset)), content_type=f"{content_type}; charset=utf-8"
    )
    name = f"neaspec-dataset-{dataset.pk}-v{dataset.version}.{extension}"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


class DatasetCiteView(APIView):
    """The citation of one dataset version; 404 to whoever may not see the dataset."""

    content_negotiation_class = IgnoreFormatParameter

    @extend_schema(
        operation_id="datasets_cite",
        parameters=params.openapi([CITATION_FORMAT]),
        responses={
            (200, "text/plain"): OpenApiTypes.STR,
            (200, "application/x-bibtex"): OpenApiTypes.STR,
            (200, "application/x-research-info-systems"): OpenApiTypes.STR,
            # CSL-JSON is a list of items, here of one.
            (200, "application/vnd.citationstyles.csl+json"): build_array_type(build_object_type()),
            (200, "application/vnd.datacite.datacite+xml"): OpenApiTypes.STR,
        },
    )
    def get(self, request: Request, pk: int):
        style = params.read(request.query_params, [CITATION_FORMAT], strict=True)["format"]
        dataset = selectors.dataset_for_citation(user=request.user, pk=pk)
        return citation_response(dataset, style, disposition="inline")
