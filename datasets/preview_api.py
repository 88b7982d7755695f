"""REST API of what a dataset holds, read from what processing stored, never from its files.

``GET datasets/{id}/profile/``: each file's columns (types, fill rate), rows, date range,
species and name-matching report, and the dataset's points in the form the caller may see.
``GET files/{id}/preview/``: a table's columns and first rows (at most 100), exact for people
who may download the files, otherwise in the public form of the location rules. Both answer
404 for a dataset the caller may not see, like a missing one.
"""

from django.urls import path, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from access import policy
from datasets import profile_selectors


class ColumnSerializer(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.CharField(help_text="empty, integer, decimal, date, boolean or text.")
    filled = serializers.FloatField(help_text="Share of the sampled rows with a value (0–1).")


class SpeciesRowsSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    scientific_name = serializers.CharField()
    individuals = serializers.IntegerField(
        help_text="Individuals counted (individualCount, else 1 a row)."
    )


class FileProfileSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="data_file.pk")
    name = serializers.CharField(source="data_file.original_name")
    state = serializers.CharField(source="data_file.state")
    detected_type = serializers.CharField(source="data_file.detected_type")
    row_count = serializers.IntegerField(source="data_file.row_count", allow_null=True)
    date_start = serializers.DateField(source="data_file.date_start", allow_null=True)
    date_end = serializers.DateField(source="data_file.date_end", allow_null=True)
    columns = ColumnSerializer(many=True)
    sampled = serializers.IntegerField(help_text="Rows the column types and fill rates read.")
    species = SpeciesRowsSerializer(many=True)
    names = serializers.ListField(
        child=serializers.CharField(), help_text="The name-matching report, one line per name."
    )
    preview_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    def get_preview_url(self, item) -> str | None:
        return reverse("api:file-preview", args=[item.data_file.pk]) if item.has_preview else None

    def get_thumbnail_url(self, item) -> str | None:
        return reverse("datasets:thumbnail", args=[item.data_file.pk]) if item.thumbnail else None


class DatasetProfileSerializer(serializers.Serializer):
    dataset = serializers.IntegerField(source="dataset.pk")
    exact = serializers.BooleanField(
        help_text="True when the caller may download the files and reads exact values."
    )
    files = FileProfileSerializer(many=True)
    species = SpeciesRowsSerializer(many=True)
    bbox = serializers.ListField(
        child=serializers.FloatField(),
        allow_null=True,
        help_text="West, south, east, north of the exact points; only for people who may "
        "download (others get the points' public form from occurrences_url).",
    )
    occurrences_url = serializers.SerializerMethodField()

    def get_occurrences_url(self, profile) -> str:
        return f"{reverse('api:occurrences')}?dataset={profile.dataset.pk}"


class PreviewSerializer(serializers.Serializer):
    file = serializers.IntegerField(source="data_file.pk")
    name = serializers.CharField(source="data_file.original_name")
    row_count = serializers.IntegerField(source="data_file.row_count", allow_null=True)
    exact = serializers.BooleanField()
    columns = ColumnSerializer(many=True)
    rows = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(allow_null=True)),
        help_text="At most 100 rows; a location withheld from the caller is null.",
    )
    notes = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text="Per row (public form only): dataGeneralizations and informationWithheld.",
    )


class DatasetProfileView(APIView):
    """The profile of a dataset the caller may see, as stored by processing."""

    @extend_schema(responses=DatasetProfileSerializer)
    def get(self, request: Request, pk: int) -> Response:
        dataset = policy.access_dataset(request.user, pk)
        profile = profile_selectors.dataset_profile(
            user=request.user, dataset=dataset, with_points=False
        )
        return Response(DatasetProfileSerializer(profile).data)


class FilePreviewView(APIView):
    """The columns and first rows of a table file, in the form the caller may see."""

    @extend_schema(responses=PreviewSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(PreviewSerializer(policy.access_file_preview(request.user, pk)).data)


urlpatterns = [
    path("datasets/<int:pk>/profile/", DatasetProfileView.as_view(), name="dataset-profile"),
    path("files/<int:pk>/preview/", FilePreviewView.as_view(), name="file-preview"),
]
