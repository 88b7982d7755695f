"""``/api/v1/reports/usage/``: views and downloads by item, month and country.

Anyone may ask; each caller hears of the items they may see. The figures by country of
readers go to those who answer for an item (the owner side of a dataset, the uploader and
the focal points of a publication's country) and to the secretariat; every other visible
item has one row per month with ``country`` null (all countries together). Items the
caller may not see are in no row and no sum (``datasets.usage``).
"""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from datasets import usage
from neaspec_portal import params

#: The query parameters of the usage report.
USAGE_FILTERS = (
    params.year(description="Year of the views and downloads, e.g. 2026."),
    params.country(),
    params.choice("type", list(usage.ITEM_TYPES.values()), description="Kind of item."),
    params.integer("id", minimum=1, maximum=2**31 - 1, description="Item id; needs type."),
)


class UsageRowSerializer(serializers.Serializer):
    """One item's views and downloads in one month, from one country (or all)."""

    item_type = serializers.ChoiceField(choices=list(usage.ITEM_TYPES.values()))
    item_id = serializers.IntegerField()
    title = serializers.CharField()
    month = serializers.CharField(help_text="YYYY-MM.")
    country = serializers.CharField(
        allow_null=True,
        allow_blank=True,
        help_text="Readers' country; empty for visitors and accounts of no member State; "
        "null when the row sums all countries (the caller may read only totals of the item).",
    )
    views = serializers.IntegerField()
    downloads = serializers.IntegerField(help_text="File downloads and exports.")


class UsageReportView(APIView):
    """Views and downloads by item, month and country, for the items the caller may see."""

    @extend_schema(
        parameters=params.openapi(USAGE_FILTERS), responses=UsageRowSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        query = params.read(request.query_params, USAGE_FILTERS, strict=True)
        if query["id"] is not None and not query["type"]:
            raise params.InvalidParameters({"id": [_("Give type too: dataset or publication.")]})
        rows = usage.usage_figures(
            user=request.user,
            year=query["year"],
            country=query["country"] or None,
            item_type=query["type"] or None,
            item_id=query["id"],
        )
        return Response(UsageRowSerializer(rows, many=True).data)


urlpatterns = [
    path("reports/usage/", UsageReportView.as_view(), name="report-usage"),
]
