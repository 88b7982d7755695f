"""REST API of datasets, under the same access policy as the pages.

Reads start from ``datasets.selectors`` / ``access.policy``; writes go through
``datasets.services``, whose refusals become 400, 403, 404 or 409 in the one exception
handler (``neaspec_portal.api_errors``). A forbidden object answers 404 like a missing
one; an action the caller may see but not take answers 403.
"""

import functools

from django.conf import settings
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from access import policy
from access.services import client_ip
from datasets import access_services, counts, downloads, selectors, services, versions
from datasets.citation_api import DatasetCiteView
from datasets.exports import camtrap, dwca
from datasets.exports.services import dataset_export_record
from datasets.file_store import files_store
from datasets.models import CountKind, CountSubject, Method
from datasets.serializers import (
    AccessRequestCreateSerializer,
    AccessRequestSerializer,
    DataFileSerializer,
    DatasetDetailSerializer,
    DatasetSerializer,
    DecisionSerializer,
    GrantSerializer,
    GrantUntilSerializer,
    ReasonSerializer,
    VersionSerializer,
    VersionStartSerializer,
)
from datasets.uploads import oversize_upload_messages
from neaspec_portal import page_cache, params
from neaspec_portal.renderers import GEOJSON_RENDERERS
from neaspec_portal.schema import GEOJSON_RESPONSES, upload_files

MINE = params.flag("mine", description="Only the caller's own datasets, in every state.")


class DatasetPagination(params.StrictPageNumberPagination):
    """Pages of datasets; the unfiltered list's count is kept, as the page's is: every
    reader lists the same rows (``policy.listed_datasets``)."""

    def paginate_queryset(self, queryset, request: Request, view=None):
        unfiltered = set(request.query_params) <= {self.page_query_param}
        self.django_paginator_class = (
            functools.partial(page_cache.KeptCountPaginator, name=selectors.LISTED_COUNT)
            if settings.FAST_PAGES and unfiltered
            else Paginator
        )
        return super().paginate_queryset(queryset, request, view)


class DatasetViewSet(viewsets.GenericViewSet):
    """Datasets the caller may see; ``?mine=1`` lists the caller's own in every state."""

    serializer_class = DatasetSerializer
    pagination_class = DatasetPagination
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
        return selectors.with_protocol_ids(selectors.with_files(datasets), user=user)

    @extend_schema(parameters=params.openapi([MINE, *selectors.DATASET_FILTERS]))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk=None) -> Response:
        dataset = selectors.dataset_detail(user=request.user, pk=pk)
        # A read of the record through the API is a view, as on the page (by country only).
        counts.count_add(
            subject=CountSubject.DATASET,
            object_id=dataset.pk,
            kind=CountKind.VIEW,
            reader=request.user,
        )
        return Response(self.get_serializer(dataset).data)

    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        dataset = services.dataset_create(actor=request.user, **serializer.validated_data)
        dataset = selectors.dataset_detail(user=request.user, pk=dataset.pk)
        return Response(self.get_serializer(dataset).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk=None) -> Response:
        dataset = policy.access_dataset(request.user, pk)
        serializer = self.get_serializer(dataset, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.dataset_update(actor=request.user, dataset=dataset, **serializer.validated_data)
        return Response(
            self.get_serializer(selectors.dataset_detail(user=request.user, pk=pk)).data
        )

    @extend_schema(
        request={"multipart/form-data": inline_serializer("FileUpload", {"file": upload_files()})},
        responses={201: DataFileSerializer(many=True)},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser], pagination_class=None)
    def files(self, request: Request, pk=None) -> Response:
        """Upload one or several files (multipart field ``file``), all or none."""
        dataset = policy.access_dataset(request.user, pk)
        added = files_store(
            actor=request.user,
            target=dataset,
            uploads=request.FILES.getlist("file"),
            refused=oversize_upload_messages(request._request),
        )
        return Response(
            DataFileSerializer(
                added, many=True, context={"request": request, "dataset": dataset}
            ).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, pk=None) -> Response:
        """Delete a draft: the owner side only (404 for others), 409 once submitted."""
        dataset = policy.access_dataset(request.user, pk)
        versions.dataset_delete_draft(actor=request.user, dataset=dataset)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(methods=["GET"], request=None, responses=VersionSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=VersionStartSerializer,
        responses={201: DatasetDetailSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def versions(self, request: Request, pk=None) -> Response:
        """List the versions of the dataset's series the caller may see, newest first; or
        start a new draft version of the current one (the owner side)."""
        dataset = policy.access_dataset(request.user, pk)
        if request.method == "GET":
            rows = selectors.dataset_versions(user=request.user, dataset=dataset)
            return Response(VersionSerializer(rows, many=True, context={"request": request}).data)
        body = VersionStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        new = versions.dataset_start_version(
            actor=request.user, dataset=dataset, **body.validated_data
        )
        detail = selectors.dataset_detail(user=request.user, pk=new.pk)
        return Response(self.get_serializer(detail).data, status=status.HTTP_201_CREATED)

    def _act(self, request: Request, pk, run) -> Response:
        dataset = policy.access_dataset(request.user, pk)
        run(dataset)
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

    @extend_schema(request=None, responses=DatasetDetailSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk=None) -> Response:
        """Publish a withdrawn dataset again and rebuild its public copies (the secretariat)."""
        return self._act(
            request, pk, lambda d: services.dataset_restore(actor=request.user, dataset=d)
        )

    @extend_schema(request=AccessRequestCreateSerializer, responses={201: AccessRequestSerializer})
    @action(detail=True, methods=["post"], url_path="access-requests")
    def access_requests(self, request: Request, pk=None) -> Response:
        body = AccessRequestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        dataset = policy.access_dataset(request.user, pk)
        created = services.access_request_create(
            actor=request.user, dataset=dataset, **body.validated_data
        )
        return Response(AccessRequestSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiResponse(
                bytes,
                "Darwin Core Archive (meta.xml, occurrence.txt, eml.xml): exact coordinates "
                "for people who may download the files, the public form for everyone else.",
            )
        }
    )
    @action(detail=True, methods=["get"], url_path="export/dwca", pagination_class=None)
    def export_dwca(self, request: Request, pk=None) -> StreamingHttpResponse:
        """Stream the dataset's occurrences as a Darwin Core Archive; an audited download."""
        dataset = policy.access_dataset(request.user, pk)
        return export_response(request, dataset, "dwca")

    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiResponse(
                bytes,
                "A zip of every file of this version the caller may download, named "
                "<dataset-slug>_v<version>_files.zip; each file is audited as a download.",
            )
        }
    )
    @action(detail=True, methods=["get"], url_path="archive", pagination_class=None)
    def archive(self, request: Request, pk=None) -> StreamingHttpResponse:
        """Stream the files of this version that the caller may download, as one zip."""
        dataset = policy.access_dataset(request.user, pk)
        return downloads.archive_response(request, dataset)

    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiResponse(
                bytes,
                "Camtrap DP 1.0.2 package (datapackage.json, deployments.csv, media.csv, "
                "observations.csv) of a camera-trap dataset: exact places for people who may "
                "download the files, the public form for everyone else (withheld camera "
                "stations left out). 404 for a dataset of another method.",
            )
        }
    )
    @action(detail=True, methods=["get"], url_path="export/camtrap-dp", pagination_class=None)
    def export_camtrap_dp(self, request: Request, pk=None) -> StreamingHttpResponse:
        """Stream a camera-trap dataset as a Camtrap DP package; an audited download."""
        dataset = policy.access_dataset(request.user, pk)
        if dataset.method != Method.CAMERA_TRAPS:
            raise NotFound(_("Only a camera-trap dataset has a Camtrap DP export."))
        return export_response(request, dataset, "camtrap-dp")


def export_response(request, dataset, export_format: str) -> StreamingHttpResponse:
    """Audit the export of ``dataset`` in ``export_format`` for the caller and stream it."""
    dataset_export_record(
        actor=request.user,
        dataset=dataset,
        export_format=export_format,
        exact=policy.exports_exact(request.user, dataset),
        ip_address=client_ip(request),
    )
    chunks = (
        camtrap.package_chunks(request.user, dataset)
        if export_format == "camtrap-dp"
        else dwca.archive_chunks(request.user, dataset)
    )
    response = StreamingHttpResponse(chunks, content_type="application/zip")
    response["Content-Disposition"] = downloads.attachment(
        downloads.dataset_file_name(dataset, f"{export_format}.zip")
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


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
        grant_row = services.access_request_grant(
            actor=request.user,
            access_request=access_request,
            until=body.validated_data.get("until"),
        )
        return Response(GrantSerializer(grant_row).data)

    @extend_schema(request=ReasonSerializer, responses=AccessRequestSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk=None) -> Response:
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        access_request = policy.access_access_request(request.user, pk)
        declined = services.access_request_decline(
            actor=request.user, access_request=access_request, **body.validated_data
        )
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

    @extend_schema(
        responses={
            (200, "*/*"): OpenApiResponse(bytes, "The file, in its own type."),
            302: OpenApiResponse(
                description="With files in a bucket: the Location header is a URL of the "
                "file signed for a short while (AWS_QUERYSTRING_EXPIRE seconds)."
            ),
        }
    )
    def get(self, request: Request, pk: int):
        data_file = policy.access_data_file(request.user, pk)
        access_services.download_record(
            actor=request.user, data_file=data_file, ip_address=client_ip(request)
        )
        return downloads.protected_file_response(
            data_file, download_name=downloads.data_file_download_name(data_file)
        )


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
    path("datasets/<int:pk>/cite/", DatasetCiteView.as_view(), name="dataset-cite"),
    *router.urls,
]
