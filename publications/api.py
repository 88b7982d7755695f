"""REST API of the library, under the same access policy as the pages (events: ``events_api``).

Reads start from ``publications.selectors`` / ``access.policy``; writes go through
``publications.services``. A forbidden object answers 404 like a missing one; an action
the caller may see but not take answers 403. Files are downloaded through the portal's one
protected download view (``download_url``), never from a public address.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from access import policy
from datasets.uploads import oversize_upload_messages
from neaspec_portal import params
from publications import cite, selectors, services
from publications.forms import LANGUAGE_CODES, doi_error, upload_error, year_error
from publications.models import Publication
from species.models import Country, KmgbfTarget, Site, Species, Theme


def _raise_as_api_error(error: ValidationError | PermissionDenied):
    if isinstance(error, PermissionDenied):
        raise exceptions.PermissionDenied(str(error) or None) from error
    raise exceptions.ValidationError({"detail": error.messages}) from error


def _codes(model, many=True, slug="code", **kwargs):
    return serializers.SlugRelatedField(
        slug_field=slug, many=many, queryset=model.objects.all(), required=False, **kwargs
    )


def _download_url(request: Request, data_file) -> str:
    return request.build_absolute_uri(f"/api/v1/files/{data_file.pk}/download/")


class PersonSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    affiliation = serializers.CharField(max_length=300, required=False, allow_blank=True)

    def validate_name(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("Give the name.")
        return value.strip()


class PublicationFileSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="data_file.pk")
    name = serializers.CharField(source="data_file.original_name")
    size = serializers.IntegerField(source="data_file.size")
    state = serializers.CharField(source="data_file.state")
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, link) -> str | None:
        if not getattr(self.context.get("publication"), "can_download", False):
            return None
        return _download_url(self.context["request"], link.data_file)


class PublicationSerializer(serializers.ModelSerializer):
    authors = PersonSerializer(many=True, required=False)
    species = _codes(Species)
    sites = _codes(Site)
    countries = _codes(Country)
    targets = _codes(KmgbfTarget, slug="number")
    themes = _codes(Theme)
    files = serializers.SerializerMethodField()
    review_comment = serializers.SerializerMethodField()
    can_download = serializers.BooleanField(read_only=True)
    confirm_duplicate = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="Save even though the DOI is already in the library (else 409).",
    )

    class Meta:
        model = Publication
        fields = [
            "id",
            "title",
            "title_en",
            "abstract",
            "type",
            "year",
            "language",
            "doi",
            "url",
            "visibility",
            "status",
            "authors",
            "species",
            "sites",
            "countries",
            "targets",
            "themes",
            "files",
            "can_download",
            "featured",
            "review_comment",
            "created_at",
            "published_at",
            "confirm_duplicate",
        ]
        read_only_fields = ["status", "featured", "created_at", "published_at"]

    def get_review_comment(self, publication) -> str | None:
        """Return the reviewer's comment to those it is written for; None to everyone else."""
        if policy.can_read_publication_review(self.context["request"].user, publication):
            return publication.review_comment
        return None

    @extend_schema_field(PublicationFileSerializer(many=True))
    def get_files(self, publication) -> list[dict]:
        context = {**self.context, "publication": publication}
        return PublicationFileSerializer(publication.links.all(), many=True, context=context).data

    def validate_year(self, value: int) -> int:
        if message := year_error(value):
            raise serializers.ValidationError(message)
        return value

    def validate_doi(self, value: str) -> str:
        doi = services.doi_normalize(value)
        if message := doi_error(doi):
            raise serializers.ValidationError(message)
        return doi

    def validate_language(self, value: str) -> str:
        if value not in LANGUAGE_CODES:
            raise serializers.ValidationError(
                "Give an ISO 639-1 code, e.g. en, zh, ja, ko, mn, ru."
            )
        return value

    def validate_authors(self, value: list) -> list:
        return [dict(author) for author in value]


class DuplicateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    year = serializers.IntegerField()
    doi = serializers.CharField()


class DuplicatesFoundSerializer(serializers.Serializer):
    detail = serializers.CharField()
    duplicates = DuplicateSerializer(many=True)


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "return"])
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class PublicationFilesUploadSerializer(serializers.Serializer):
    file = serializers.ListField(child=serializers.FileField(), help_text="One or more files.")


def _check_duplicates(request: Request, doi: str, confirmed: bool, exclude_pk=None) -> None:
    """Answer 409 with the publications that already carry ``doi``, unless confirmed."""
    if confirmed or not doi:
        return
    found = list(
        services.probable_duplicates(user=request.user, doi=doi, exclude_pk=exclude_pk)[:10]
    )
    if found:
        body = {
            "detail": "This DOI is already in the library; send confirm_duplicate=true to save.",
            "duplicates": DuplicateSerializer(found, many=True).data,
        }
        raise DuplicateDoi(body)


class DuplicateDoi(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This DOI is already in the library."

    def __init__(self, body: dict) -> None:
        super().__init__(body["detail"])
        self.detail = body


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
        return Response(self._detail(pk))

    @extend_schema(responses={201: PublicationSerializer, 409: DuplicatesFoundSerializer})
    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        _check_duplicates(request, values.get("doi", ""), values.pop("confirm_duplicate"))
        try:
            publication = services.publication_create(actor=request.user, **values)
        except (ValidationError, PermissionDenied) as error:
            _raise_as_api_error(error)
        return Response(self._detail(publication.pk), status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: PublicationSerializer, 409: DuplicatesFoundSerializer})
    def partial_update(self, request: Request, pk=None) -> Response:
        publication = policy.access_publication(request.user, pk)
        serializer = self.get_serializer(publication, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        confirmed = values.pop("confirm_duplicate", False)
        _check_duplicates(request, values.get("doi", ""), confirmed, exclude_pk=publication.pk)
        try:
            services.publication_update(actor=request.user, publication=publication, **values)
        except (ValidationError, PermissionDenied) as error:
            _raise_as_api_error(error)
        return Response(self._detail(pk))

    @extend_schema(
        request={"multipart/form-data": PublicationFilesUploadSerializer},
        responses={201: PublicationFileSerializer(many=True)},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def files(self, request: Request, pk=None) -> Response:
        """Add one or several files (multipart field ``file``): PDF, DOCX or PPTX."""
        publication = policy.access_publication(request.user, pk)
        if not policy.can_edit_publication(request.user, publication):
            raise exceptions.PermissionDenied("You cannot add files to this publication.")
        uploads = request.FILES.getlist("file")
        errors = oversize_upload_messages(request._request)
        errors += [message for upload in uploads if (message := upload_error(upload))]
        if errors or not uploads:
            raise exceptions.ValidationError({"file": errors or ["Send at least one file."]})
        added = []
        for upload in uploads:
            try:
                added.append(
                    services.publication_file_add(
                        actor=request.user, publication=publication, upload=upload
                    )
                )
            except (ValidationError, PermissionDenied) as error:
                _raise_as_api_error(error)
        publication = selectors.publication_detail(user=request.user, pk=pk)
        context = {"request": request, "publication": publication}
        return Response(
            PublicationFileSerializer(added, many=True, context=context).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ReviewSerializer, responses=PublicationSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk=None) -> Response:
        """Publish (``approve``) or return (``return``, with a comment) a submitted one."""
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        publication = policy.access_publication(request.user, pk)
        try:
            services.publication_review(
                actor=request.user, publication=publication, **body.validated_data
            )
        except (ValidationError, PermissionDenied) as error:
            _raise_as_api_error(error)
        return Response(self._detail(pk))


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


router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False
router.include_root_view = False
router.register("publications", PublicationViewSet, basename="publication")

urlpatterns = [
    path("publications/<int:pk>/cite/", PublicationCiteView.as_view(), name="publication-cite"),
    *router.urls,
]
