"""REST API of the library and of events, under the same access policy as the pages.

Reads start from ``publications.selectors`` / ``access.policy``; writes go through
``publications.services``. A forbidden object answers 404 like a missing one; an action
the caller may see but not take answers 403. Files are downloaded through the portal's one
protected download view (``download_url``), never from a public address.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.urls import path
from drf_spectacular.plumbing import build_array_type, build_object_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
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
from neaspec_portal.schema import YearField, upload_files
from publications import cite, selectors, services
from publications.forms import (
    LANGUAGE_CODES,
    EventForm,
    doi_error,
    latest_year,
    upload_error,
    year_error,
)
from publications.models import Event, MaterialKind, Publication, Session, Visibility
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
    year = YearField(earliest=1900, latest=latest_year)  # the bounds of year_error, for the schema
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
    file = upload_files()


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
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser], pagination_class=None)
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


# --- Events -----------------------------------------------------------------------------------


class MaterialSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.SerializerMethodField()
    link = serializers.CharField()
    publication = serializers.IntegerField(source="publication_id", allow_null=True)
    speakers = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()

    def get_title(self, material) -> str:
        return material.publication.title if material.publication else material.title

    @extend_schema_field(PersonSerializer(many=True))
    def get_speakers(self, material) -> list[dict]:
        if material.publication is None:
            return []
        return [
            {"name": author.name, "affiliation": author.affiliation}
            for author in material.publication.authors.all()
        ]

    @extend_schema_field(PublicationFileSerializer(many=True))
    def get_files(self, material) -> list[dict]:
        publication = material.publication
        if publication is None:
            return []
        publication.can_download = publication.pk in self.context["downloadable"]
        context = {**self.context, "publication": publication}
        return PublicationFileSerializer(publication.links.all(), many=True, context=context).data


class SessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    order = serializers.IntegerField()
    moderators = serializers.CharField()
    description = serializers.CharField()
    materials = serializers.SerializerMethodField()

    @extend_schema_field(MaterialSerializer(many=True))
    def get_materials(self, session) -> list[dict]:
        return MaterialSerializer(session.materials.all(), many=True, context=self.context).data


class ParticipantRowSerializer(serializers.Serializer):
    country = serializers.CharField(
        allow_null=True, required=False, help_text="ISO code; null for partners and others."
    )
    women = serializers.IntegerField(min_value=0, max_value=100_000, default=0)
    men = serializers.IntegerField(min_value=0, max_value=100_000, default=0)
    other = serializers.IntegerField(min_value=0, max_value=100_000, default=0)


class ParticipantsSerializer(serializers.Serializer):
    rows = ParticipantRowSerializer(many=True)
    total = serializers.IntegerField(
        min_value=0, required=False, help_text="If given, the rows must add up to it."
    )

    def validate(self, data: dict) -> dict:
        members = {country.code for country in Country.objects.filter(is_member_state=True)}
        seen = set()
        for row in data["rows"]:
            code = (row.get("country") or "").upper() or None
            if code is not None and code not in members:
                raise serializers.ValidationError({"rows": f"Unknown member State code {code}."})
            if code in seen:
                raise serializers.ValidationError({"rows": f"{code or 'partners'} appears twice."})
            seen.add(code)
            row["country"] = code
        counted = sum(row["women"] + row["men"] + row["other"] for row in data["rows"])
        if "total" in data and counted != data["total"]:
            raise serializers.ValidationError(
                {"total": f"The rows add up to {counted}, not {data['total']}."}
            )
        return data


class EventSerializer(serializers.ModelSerializer):
    species = _codes(Species)
    sites = _codes(Site)
    countries = _codes(Country)
    participants_total = serializers.SerializerMethodField()
    participants_women = serializers.SerializerMethodField()
    participants_men = serializers.SerializerMethodField()
    participants_other = serializers.SerializerMethodField()
    participants_by_country = serializers.SerializerMethodField()
    sessions = serializers.SerializerMethodField()
    materials = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            *EventForm.Meta.fields,
            "participants_total",
            "participants_women",
            "participants_men",
            "participants_other",
            "participants_by_country",
            "sessions",
            "materials",
        ]

    def _figures(self, event) -> dict:
        return selectors.participant_figures(event)

    def get_participants_total(self, event) -> int:
        return self._figures(event)["total"]

    def get_participants_women(self, event) -> int:
        return self._figures(event)["women"]

    def get_participants_men(self, event) -> int:
        return self._figures(event)["men"]

    def get_participants_other(self, event) -> int:
        return self._figures(event)["other"]

    @extend_schema_field(ParticipantRowSerializer(many=True))
    def get_participants_by_country(self, event) -> list[dict]:
        return [
            {"country": row.country_id, "women": row.women, "men": row.men, "other": row.other}
            for row in event.participant_counts.all()
        ]

    @extend_schema_field(SessionSerializer(many=True))
    def get_sessions(self, event) -> list[dict]:
        if not hasattr(event, "general"):
            return []
        return SessionSerializer(event.sessions.all(), many=True, context=self.context).data

    @extend_schema_field(MaterialSerializer(many=True))
    def get_materials(self, event) -> list[dict]:
        """Return the materials of the whole event (those of a session are under it)."""
        if not hasattr(event, "general"):
            return []
        return MaterialSerializer(event.general, many=True, context=self.context).data

    def validate(self, data: dict) -> dict:
        start = data.get("start_date", getattr(self.instance, "start_date", None))
        end = data.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": "The last day is before the first day."})
        online = data.get("online", getattr(self.instance, "online", False))
        city = data.get("city", getattr(self.instance, "city", ""))
        if not online and not city.strip():
            raise serializers.ValidationError({"city": "Give the city, or set online to true."})
        return data


class SessionWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = ["id", "title", "order", "moderators", "description"]


class MaterialUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MaterialKind.choices)
    title = serializers.CharField(max_length=400)
    session = serializers.IntegerField(required=False, allow_null=True)
    speakers = serializers.JSONField(
        binary=True, required=False, help_text='JSON list of {"name", "affiliation"}, in order.'
    )
    file = upload_files(required=False)
    link = serializers.URLField(required=False, allow_blank=True, max_length=500)
    language = serializers.CharField(required=False, default="en")
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.PUBLIC)

    def validate_speakers(self, value) -> list[dict]:
        people = PersonSerializer(data=value or [], many=True)
        people.is_valid(raise_exception=True)
        return [dict(person) for person in people.validated_data]

    def validate_language(self, value: str) -> str:
        if value not in LANGUAGE_CODES:
            raise serializers.ValidationError("Give an ISO 639-1 code, e.g. en, ko, ru.")
        return value

    def validate(self, data: dict) -> dict:
        if data["kind"] == MaterialKind.RECORDING and not data.get("link"):
            raise serializers.ValidationError({"link": "A recording needs its link."})
        if data["kind"] != MaterialKind.RECORDING and not (data.get("file") or data.get("link")):
            raise serializers.ValidationError({"file": "Send the file(s) or a link."})
        errors = [message for upload in data.get("file", []) if (message := upload_error(upload))]
        if errors:
            raise serializers.ValidationError({"file": errors})
        return data


class EventViewSet(WritesNeedAccount, viewsets.GenericViewSet):
    """Events with their sessions and the materials the caller may see; the secretariat
    creates and edits them."""

    serializer_class = EventSerializer
    queryset = Event.objects.none()  # for the schema; events are read through the selectors

    def _context(self, events) -> dict:
        ids = [event.pk for event in events]
        downloadable = selectors.downloadable_publications(user=self.request.user, event_ids=ids)
        return {"request": self.request, "downloadable": downloadable}

    def _detail(self, pk) -> dict:
        event = selectors.event_detail(user=self.request.user, pk=pk)
        return EventSerializer(event, context=self._context([event])).data

    def _curator(self) -> None:
        if not policy.can_curate_events(self.request.user):
            raise exceptions.PermissionDenied("Only the secretariat edits events.")

    @extend_schema(parameters=params.openapi(selectors.EVENT_FILTERS))
    def list(self, request: Request) -> Response:
        filters = selectors.EventFilters.from_params(request.query_params, strict=True)
        found = selectors.with_agenda(
            selectors.events(filters=filters).order_by("-start_date", "-pk"), user=request.user
        )
        page = self.paginate_queryset(found)
        return self.get_paginated_response(
            EventSerializer(page, many=True, context=self._context(page)).data
        )

    def retrieve(self, request: Request, pk=None) -> Response:
        return Response(self._detail(pk))

    def create(self, request: Request) -> Response:
        self._curator()
        serializer = EventSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            event = services.event_save(actor=request.user, **serializer.validated_data)
        except (ValidationError, PermissionDenied) as error:
            _raise_as_api_error(error)
        return Response(self._detail(event.pk), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk=None) -> Response:
        event = selectors.event_for_edit(user=request.user, pk=pk)
        serializer = EventSerializer(event, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            services.event_save(actor=request.user, event=event, **serializer.validated_data)
        except (ValidationError, PermissionDenied) as error:
            _raise_as_api_error(error)
        return Response(self._detail(pk))

    @extend_schema(request=SessionWriteSerializer, responses={201: EventSerializer})
    @action(detail=True, methods=["post"])
    def sessions(self, request: Request, pk=None) -> Response:
        """Add a session to the agenda (secretariat)."""
        event = selectors.event_for_edit(user=request.user, pk=pk)
        serializer = SessionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.session_save(actor=request.user, event=event, **serializer.validated_data)
        return Response(self._detail(pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=ParticipantsSerializer, responses=EventSerializer)
    @action(detail=True, methods=["put"])
    def participants(self, request: Request, pk=None) -> Response:
        """Replace the participant counts by country and gender (secretariat)."""
        event = selectors.event_for_edit(user=request.user, pk=pk)
        serializer = ParticipantsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        counts = {
            row["country"]: (row["women"], row["men"], row["other"])
            for row in serializer.validated_data["rows"]
        }
        services.participants_set(actor=request.user, event=event, counts=counts)
        return Response(self._detail(pk))

    @extend_schema(
        request={"multipart/form-data": MaterialUploadSerializer},
        responses={201: EventSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def materials(self, request: Request, pk=None) -> Response:
        """Attach a presentation or report (files ``file``, several allowed) or a recording
        (``link``) to the event or one of its sessions (secretariat)."""
        event = selectors.event_for_edit(user=request.user, pk=pk)
        data = {key: request.data.get(key) for key in request.data if key != "file"}
        data["file"] = request.FILES.getlist("file")
        serializer = MaterialUploadSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        oversize = oversize_upload_messages(request._request)
        if oversize:
            raise exceptions.ValidationError({"file": oversize})
        values = serializer.validated_data
        session = None
        if values.get("session") is not None:
            session = selectors.session_of(event=event, pk=values["session"])
        try:
            services.material_add(
                actor=request.user,
                event=event,
                kind=values["kind"],
                title=values["title"],
                session=session,
                speakers=values.get("speakers") or [],
                uploads=values.get("file", []),
                link=values.get("link", ""),
                language=values["language"],
                visibility=values["visibility"],
            )
        except (ValidationError, PermissionDenied) as error:
            _raise_as_api_error(error)
        return Response(self._detail(pk), status=status.HTTP_201_CREATED)


router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False
router.include_root_view = False
router.register("publications", PublicationViewSet, basename="publication")
router.register("events", EventViewSet, basename="event")

urlpatterns = [
    path("publications/<int:pk>/cite/", PublicationCiteView.as_view(), name="publication-cite"),
    *router.urls,
]
