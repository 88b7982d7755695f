"""REST API of datasets, under the same access policy as the pages.

Reads start from ``datasets.selectors`` / ``access.policy``; writes go through
``datasets.services``. A forbidden object answers 404 like a missing one; an action the
caller may see but not take answers 403.
"""

from typing import NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from access import policy
from access.services import client_ip
from datasets import downloads, selectors, services
from datasets.messages import FileReport, file_report, species_scientific_names
from datasets.models import DataFile, Dataset, Decision
from datasets.uploads import oversize_upload_messages
from neaspec_portal import params
from neaspec_portal.renderers import GEOJSON_RENDERERS
from neaspec_portal.schema import GEOJSON_RESPONSES, upload_files
from species.models import Country, Site, Species


def _raise_as_api_error(error: ValidationError | PermissionDenied) -> NoReturn:
    if isinstance(error, PermissionDenied):
        raise exceptions.PermissionDenied(str(error) or None) from error
    raise exceptions.ValidationError({"detail": error.messages}) from error


class DataFileSerializer(serializers.ModelSerializer):
    """A file and what processing says of it; cell values only to those who may download."""

    name = serializers.CharField(source="original_name")
    download_url = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()
    problems = serializers.SerializerMethodField()
    names = serializers.SerializerMethodField()

    class Meta:
        model = DataFile
        fields = [
            "id",
            "name",
            "size",
            "state",
            "error",
            "warnings",
            "problems",
            "names",
            "download_url",
        ]

    def _report(self, data_file) -> FileReport:
        report = getattr(data_file, "report", None)
        if report is None:
            dataset = self.context.get("dataset") or data_file.dataset
            with_values = bool(getattr(dataset, "can_download", False))
            if data_file.name_matches and "species_names" not in self.context:
                self.context["species_names"] = species_scientific_names()
            report = data_file.report = file_report(
                data_file,
                with_values=with_values,
                species_names=self.context.get("species_names", {}),
            )
        return report

    def get_error(self, data_file) -> str:
        return self._report(data_file).error

    def get_warnings(self, data_file) -> list[str]:
        return self._report(data_file).warnings

    def get_problems(self, data_file) -> list[str]:
        return self._report(data_file).problems

    def get_names(self, data_file) -> list[str]:
        return self._report(data_file).names

    def get_download_url(self, data_file) -> str | None:
        """Return the file's download address, or None when the caller may not fetch it."""
        dataset = self.context.get("dataset") or data_file.dataset
        if not policy.can_download_file(self.context["request"].user, dataset, data_file):
            return None
        return self.context["request"].build_absolute_uri(f"/api/v1/files/{data_file.pk}/download/")


class DatasetSerializer(serializers.ModelSerializer):
    owner_country = serializers.CharField(source="owner_country_id", read_only=True)
    co_owner_countries = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Country.objects.all(), required=False
    )
    species = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Species.objects.all(), required=False
    )
    sites = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Site.objects.all(), required=False
    )
    files = serializers.SerializerMethodField()
    can_download = serializers.BooleanField(read_only=True)
    uploader = serializers.CharField(source="uploader.username", read_only=True)

    class Meta:
        model = Dataset
        fields = [
            "id",
            "title",
            "title_en",
            "abstract",
            "method",
            "temporal_start",
            "temporal_end",
            "status",
            "access_level",
            "licence",
            "licence_terms",
            "citation",
            "contact_name",
            "contact_email",
            "owner_country",
            "co_owner_countries",
            "species",
            "sites",
            "files",
            "can_download",
            "uploader",
            "created_at",
            "published_at",
        ]
        read_only_fields = ["status", "created_at", "published_at"]

    def get_files(self, dataset) -> list[dict]:
        context = {**self.context, "dataset": dataset}
        return DataFileSerializer(dataset.files.all(), many=True, context=context).data

    def validate(self, attrs: dict) -> dict:
        licence = attrs.get("licence", getattr(self.instance, "licence", None))
        terms = attrs.get("licence_terms", getattr(self.instance, "licence_terms", ""))
        if licence == "custom" and not terms:
            raise serializers.ValidationError({"licence_terms": "Write the custom licence terms."})
        return attrs


class ReviewDecisionSerializer(serializers.Serializer):
    """One step of the review trail: which country decided what, and when.

    ``decider`` and ``comment`` are null for callers off the owner side (see
    ``access.policy.can_read_review_comments``); a decision without a comment has "".
    """

    country = serializers.CharField(source="country_id")
    decision = serializers.ChoiceField(choices=Decision.choices)
    review_round = serializers.IntegerField()
    at = serializers.DateTimeField()
    decider = serializers.SerializerMethodField()
    comment = serializers.SerializerMethodField()

    def get_decider(self, decision) -> str | None:
        return decision.decider.username if self.context["can_read_review_comments"] else None

    def get_comment(self, decision) -> str | None:
        return decision.comment if self.context["can_read_review_comments"] else None


class DatasetDetailSerializer(DatasetSerializer):
    """A dataset with its review trail; lists leave the trail out."""

    decisions = serializers.SerializerMethodField()

    class Meta(DatasetSerializer.Meta):
        fields = [*DatasetSerializer.Meta.fields, "decisions"]

    @extend_schema_field(ReviewDecisionSerializer(many=True))
    def get_decisions(self, dataset) -> list[dict]:
        readable = policy.can_read_review_comments(self.context["request"].user, dataset)
        context = {**self.context, "can_read_review_comments": readable}
        return ReviewDecisionSerializer(dataset.decisions.all(), many=True, context=context).data


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class AccessRequestCreateSerializer(serializers.Serializer):
    purpose = serializers.CharField()
    intended_use = serializers.CharField(required=False, allow_blank=True, default="")
    wanted_until = serializers.DateField()


class AccessRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    dataset = serializers.IntegerField(source="dataset_id")
    requester = serializers.CharField(source="requester.username")
    purpose = serializers.CharField()
    intended_use = serializers.CharField()
    wanted_until = serializers.DateField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class GrantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    dataset = serializers.IntegerField(source="dataset_id")
    user = serializers.CharField(source="user.username", allow_null=True, default=None)
    group = serializers.CharField(source="group.name", allow_null=True, default=None)
    granted_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()


class GrantUntilSerializer(serializers.Serializer):
    until = serializers.DateField(required=False)


MINE = params.flag("mine", description="Only the caller's own datasets, in every state.")


class DatasetViewSet(viewsets.GenericViewSet):
    """Datasets the caller may see; ``?mine=1`` lists the caller's own in every state."""

    serializer_class = DatasetSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_serializer_class(self):
        # One dataset comes with its review trail; a list does without (no query per page).
        return DatasetSerializer if self.action == "list" else DatasetDetailSerializer

    def get_queryset(self):
        user = self.request.user
        mine = params.read(self.request.query_params, [MINE], strict=True)["mine"]
        if mine and user.is_authenticated:
            datasets = selectors.my_datasets(user=user)
        else:
            filters = selectors.DatasetFilters.from_params(self.request.query_params, strict=True)
            datasets = selectors.dataset_list(user=user, filters=filters)
        return selectors.with_files(datasets)

    @extend_schema(parameters=params.openapi([MINE, *selectors.DATASET_FILTERS]))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk=None) -> Response:
        return Response(
            self.get_serializer(selectors.dataset_detail(user=request.user, pk=pk)).data
        )

    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            dataset = services.dataset_create(actor=request.user, **serializer.validated_data)
        except (ValidationError, PermissionDenied) as error:
            _raise_as_api_error(error)
        dataset = selectors.dataset_detail(user=request.user, pk=dataset.pk)
        return Response(self.get_serializer(dataset).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk=None) -> Response:
        dataset = policy.access_dataset(request.user, pk)
        serializer = self.get_serializer(dataset, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            services.dataset_update(
                actor=request.user, dataset=dataset, **serializer.validated_data
            )
        except (ValidationError, PermissionDenied) as error:
            _raise_as_api_error(error)
        return Response(
            self.get_serializer(selectors.dataset_detail(user=request.user, pk=pk)).data
        )

    @extend_schema(
        request={"multipart/form-data": inline_serializer("FileUpload", {"file": upload_files()})},
        responses={201: DataFileSerializer(many=True)},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser], pagination_class=None)
    def files(self, request: Request, pk=None) -> Response:
        """Upload one or several files (multipart field ``file``)."""
        dataset = policy.access_dataset(request.user, pk)
        uploads = request.FILES.getlist("file")
        errors = oversize_upload_messages(request._request)
        added = []
        for upload in uploads:
            try:
                added.append(
                    services.data_file_add(actor=request.user, dataset=dataset, upload=upload)
                )
            except (ValidationError, PermissionDenied) as error:
                if isinstance(error, PermissionDenied):
                    _raise_as_api_error(error)
                errors.extend(error.messages)
        if errors or not added:
            raise exceptions.ValidationError({"file": errors or ["Send at least one file."]})
        return Response(
            DataFileSerializer(
                added, many=True, context={"request": request, "dataset": dataset}
            ).data,
            status=status.HTTP_201_CREATED,
        )

    def _act(self, request: Request, pk, run) -> Response:
        dataset = policy.access_dataset(request.user, pk)
        try:
            run(dataset)
        except (ValidationError, PermissionDenied) as error:
            _raise_as_api_error(error)
        return Response(
            self.get_serializer(selectors.dataset_detail(user=request.user, pk=pk)).data
        )

    @extend_schema(request=None, responses=DatasetDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk=None) -> Response:
        return self._act(
            request, pk, lambda d: services.dataset_submit(actor=request.user, dataset=d)
        )

    @extend_schema(request=DecisionSerializer, responses=DatasetDetailSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk=None) -> Response:
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._act(
            request,
            pk,
            lambda d: services.dataset_review(actor=request.user, dataset=d, **body.validated_data),
        )

    @extend_schema(request=ReasonSerializer, responses=DatasetDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk=None) -> Response:
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._act(
            request,
            pk,
            lambda d: services.dataset_withdraw(
                actor=request.user, dataset=d, **body.validated_data
            ),
        )

    @extend_schema(request=AccessRequestCreateSerializer, responses={201: AccessRequestSerializer})
    @action(detail=True, methods=["post"], url_path="access-requests")
    def access_requests(self, request: Request, pk=None) -> Response:
        body = AccessRequestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        dataset = policy.access_dataset(request.user, pk)
        try:
            created = services.access_request_create(
                actor=request.user, dataset=dataset, **body.validated_data
            )
        except (ValidationError, PermissionDenied) as error:
            _raise_as_api_error(error)
        return Response(AccessRequestSerializer(created).data, status=status.HTTP_201_CREATED)


class AccessRequestViewSet(viewsets.GenericViewSet):
    """Pending access requests on the datasets of the caller's countries (focal points)."""

    serializer_class = AccessRequestSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return policy.access_requests_to_answer(self.request.user).order_by("created_at")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=GrantUntilSerializer, responses=GrantSerializer)
    @action(detail=True, methods=["post"])
    def grant(self, request: Request, pk=None) -> Response:
        body = GrantUntilSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        access_request = policy.access_access_request(request.user, pk)
        try:
            grant_row = services.access_request_grant(
                actor=request.user,
                access_request=access_request,
                until=body.validated_data.get("until"),
            )
        except (ValidationError, PermissionDenied) as error:
            _raise_as_api_error(error)
        return Response(GrantSerializer(grant_row).data)

    @extend_schema(request=ReasonSerializer, responses=AccessRequestSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk=None) -> Response:
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        access_request = policy.access_access_request(request.user, pk)
        try:
            declined = services.access_request_decline(
                actor=request.user, access_request=access_request, **body.validated_data
            )
        except (ValidationError, PermissionDenied) as error:
            _raise_as_api_error(error)
        return Response(AccessRequestSerializer(declined).data)


class GrantViewSet(viewsets.GenericViewSet):
    """Active grants on the datasets of the caller's countries (focal points)."""

    serializer_class = GrantSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return policy.managed_grants(self.request.user).order_by("expires_at")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=None, responses=GrantSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk=None) -> Response:
        grant_row = policy.access_grant(request.user, pk)
        return Response(
            GrantSerializer(services.grant_revoke(actor=request.user, grant_row=grant_row)).data
        )


class FileDownloadView(APIView):
    """Send one raw file to a caller the policy allows; 404 to everyone else."""

    @extend_schema(responses={(200, "*/*"): OpenApiResponse(bytes, "The file, in its own type.")})
    def get(self, request: Request, pk: int):
        data_file = policy.access_data_file(request.user, pk)
        services.download_record(
            actor=request.user, data_file=data_file, ip_address=client_ip(request)
        )
        return downloads.protected_file_response(data_file, download_name=data_file.original_name)


#: The query parameters of the occurrences endpoint.
OCCURRENCE_FILTERS = (
    params.code("species", description="Species code, e.g. TIGER_AMUR."),
    params.integer("dataset", minimum=1, maximum=2**31 - 1),
    params.year(description="Year of the event date, e.g. 2023."),
    params.bbox(),
)


class OccurrenceView(APIView):
    """Occurrence points as GeoJSON; sensitive species generalized for people without rights."""

    renderer_classes = GEOJSON_RENDERERS

    @extend_schema(parameters=params.openapi(OCCURRENCE_FILTERS), responses=GEOJSON_RESPONSES)
    def get(self, request: Request) -> Response:
        query = params.read(request.query_params, OCCURRENCE_FILTERS, strict=True)
        features = policy.occurrences_for(
            request.user,
            dataset=query["dataset"],
            species=query["species"] or None,
            year=query["year"],
            bbox=query["bbox"],
        )
        return Response({"type": "FeatureCollection", "features": features})


router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False
router.include_root_view = False
router.register("datasets", DatasetViewSet, basename="dataset")
router.register("access-requests", AccessRequestViewSet, basename="access-request")
router.register("grants", GrantViewSet, basename="grant")

urlpatterns = [
    path("files/<int:pk>/download/", FileDownloadView.as_view(), name="file-download"),
    path("occurrences/", OccurrenceView.as_view(), name="occurrences"),
    *router.urls,
]
