"""REST API of the library, under the same access policy as the pages (events: ``events_api``).

Reads start from ``publications.selectors`` / ``access.policy``; writes go through
``publications.services``, whose refusals (400, 403, 404, 409 for a known DOI) are mapped
once by ``neaspec_portal.api_errors``. A forbidden object answers 404 like a missing one;
an action the caller may see but not take answers 403. Files are downloaded through the
portal's one protected download view (``download_url``), never from a public address.
The serializers of the library are in ``publications.serializers``, its citations in
``publications.citation_api``.
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from access import policy
from datasets import counts
from datasets.file_store import files_store
from datasets.models import CountKind, CountSubject
from datasets.uploads import oversize_upload_messages
from neaspec_portal import params
from publications import selectors, services
from publications.citation_api import PublicationCiteView
from publications.serializers import (
    DuplicatesFoundSerializer,
    PublicationFileSerializer,
    PublicationFilesUploadSerializer,
    PublicationSerializer,
    ReviewSerializer,
)


class WritesNeedAccount:
    """Reads are open (the policy filters them); writes need a signed-in account."""

    def get_permissions(self):
        if self.request.method in SAFE_METHODS:
            return []
        return [IsAuthenticated()]


#: Which part of the library the list shows: the caller's uploads, or their review queue.
LIBRARY_PARTS = (
    params.flag("mine", description="Only the caller's uploads, in every state."),
    params.flag("to_review", description="Only those waiting for the caller's review."),
)


class PublicationViewSet(WritesNeedAccount, viewsets.GenericViewSet):
    """The library: published publications the caller may see, and their own uploads."""

    serializer_class = PublicationSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        user, query = self.request.user, self.request.query_params
        part = params.read(query, LIBRARY_PARTS, strict=True)
        if part["mine"]:
            found = selectors.my_publications(user=user)
        elif part["to_review"]:
            found = selectors.review_queue(user=user)
        else:
            filters = selectors.PublicationFilters.from_params(query, strict=True)
            found = selectors.publication_list(user=user, filters=filters)
        return selectors.with_everything(found)

    def _detail(self, pk) -> dict:
        publication = selectors.publication_detail(user=self.request.user, pk=pk)
        return self.get_serializer(publication).data

    @extend_schema(parameters=params.openapi([*selectors.PUBLICATION_FILTERS, *LIBRARY_PARTS]))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk=None) -> Response:
        data = self._detail(pk)
        # A read of the record through the API is a view, as on the page (by country only).
        counts.count_add(
            subject=CountSubject.PUBLICATION,
            object_id=data["id"],
            kind=CountKind.VIEW,
            reader=request.user,
        )
        return Response(data)

    @extend_schema(responses={201: PublicationSerializer, 409: DuplicatesFoundSerializer})
    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        publication = services.publication_create(actor=request.user, **serializer.validated_data)
        return Response(self._detail(publication.pk), status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: PublicationSerializer, 409: DuplicatesFoundSerializer})
    def partial_update(self, request: Request, pk=None) -> Response:
        publication = policy.access_publication(request.user, pk)
        serializer = self.get_serializer(publication, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.publication_update(
            actor=request.user, publication=publication, **serializer.validated_data
        )
        return Response(self._detail(pk))

    @extend_schema(
        request={"multipart/form-data": PublicationFilesUploadSerializer},
        responses={201: PublicationFileSerializer(many=True)},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser], pagination_class=None)
    def files(self, request: Request, pk=None) -> Response:
        """Add one or several files (multipart field ``file``): PDF, DOCX or PPTX, all or
        none."""
        added = files_store(
            actor=request.user,
            target=policy.access_publication(request.user, pk),
            uploads=request.FILES.getlist("file"),
            refused=oversize_upload_messages(request._request),
        )
        links = [data_file.publication_link for data_file in added]
        publication = selectors.publication_detail(user=request.user, pk=pk)
        context = {"request": request, "publication": publication}
        return Response(
            PublicationFileSerializer(links, many=True, context=context).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ReviewSerializer, responses=PublicationSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk=None) -> Response:
        """Publish (``approve``) or return (``return``, with a comment) a submitted one."""
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        publication = policy.access_publication(request.user, pk)
        services.publication_review(
            actor=request.user, publication=publication, **body.validated_data
        )
        return Response(self._detail(pk))


router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False
router.include_root_view = False
router.register("publications", PublicationViewSet, basename="publication")

urlpatterns = [
    path("publications/<int:pk>/cite/", PublicationCiteView.as_view(), name="publication-cite"),
    *router.urls,
]
