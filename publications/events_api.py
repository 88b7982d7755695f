"""REST API of events: the public record, and the secretariat's curation.

Reads start from ``publications.selectors``; writes go through
``publications.events_services``, the same services the secretariat's pages call, so a rule
cannot differ between page and API. Serializers here only parse; a service's refusal
reaches the client through the one exception handler (``neaspec_portal.api_errors``): 400
with the name of the parameter at fault (``files``, ``speakers``, ``counts``, ...), 403
when only the secretariat may act.
"""

from collections.abc import Callable

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from access import policy
from datasets.file_store import document_error
from datasets.uploads import oversize_upload_messages
from neaspec_portal import bounds, params
from neaspec_portal.bounds import too_many
from neaspec_portal.parsers import DepthLimitedJSONField
from neaspec_portal.schema import upload_files
from publications import events_services, selectors
from publications.api import WritesNeedAccount
from publications.events_forms import EventForm
from publications.events_services import MAX_COUNT, MAX_SPEAKERS, MAX_TAGS, MAX_TEXT
from publications.models import Event, MaterialKind, Session, Visibility
from publications.rules import LANGUAGE_CODES
from publications.serializers import PersonSerializer, PublicationFileSerializer
from species.models import Country, KmgbfTarget, Site, Species, Theme


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
    starts_at = serializers.DateTimeField(allow_null=True)
    ends_at = serializers.DateTimeField(allow_null=True)
    moderators = serializers.CharField()
    description = serializers.CharField()
    materials = serializers.SerializerMethodField()

    @extend_schema_field(MaterialSerializer(many=True))
    def get_materials(self, session) -> list[dict]:
        return MaterialSerializer(session.materials.all(), many=True, context=self.context).data


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": MAX_COUNT})
class CountField(serializers.IntegerField):
    """A number of participants; ``participants_set`` refuses one out of its bounds."""


class ParticipantRowSerializer(serializers.Serializer):
    country = serializers.CharField(
        allow_null=True,
        required=False,
        max_length=8,
        help_text="ISO code; null for partners and others.",
    )
    women = CountField(default=0)
    men = CountField(default=0)
    other = CountField(default=0)


class ParticipantsSerializer(serializers.Serializer):
    """Participants by country and gender; refusals of the counts come under ``counts``."""

    rows = ParticipantRowSerializer(many=True)
    total = serializers.IntegerField(
        required=False, allow_null=True, help_text="If given, the rows must add up to it."
    )

    def validate(self, data: dict) -> dict:
        counts: dict[str | None, tuple[int, int, int]] = {}
        for row in data["rows"]:
            code = (row.get("country") or "").upper() or None
            if code in counts:
                raise serializers.ValidationError({"rows": f"{code or 'partners'} appears twice."})
            counts[code] = (row["women"], row["men"], row["other"])
        return {"counts": counts, "total": data.get("total")}


class EventSerializer(serializers.ModelSerializer):
    species = bounds.codes(Species.objects.all(), max_items=MAX_TAGS)
    sites = bounds.codes(Site.objects.all(), max_items=MAX_TAGS)
    countries = bounds.codes(Country.objects.all(), max_items=MAX_TAGS)
    targets = bounds.codes(KmgbfTarget.objects.all(), max_items=MAX_TAGS, slug="number")
    themes = bounds.codes(Theme.objects.all(), max_items=MAX_TAGS)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=MAX_TEXT)
    outcomes = serializers.CharField(required=False, allow_blank=True, max_length=MAX_TEXT)
    participants_total = serializers.SerializerMethodField()
    participants_women = serializers.SerializerMethodField()
    participants_men = serializers.SerializerMethodField()
    participants_other = serializers.SerializerMethodField()
    participants_by_country = serializers.SerializerMethodField()
    sessions = serializers.SerializerMethodField()
    materials = serializers.SerializerMethodField()

    class Meta:
        model = Event
        read_only_fields = ["status", "published_at"]
        fields = [
            "id",
            "status",
            "published_at",
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
            for row in selectors.counts_by_country(event.participant_counts.all())
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


class SessionWriteSerializer(serializers.ModelSerializer):
    description = serializers.CharField(required=False, allow_blank=True, max_length=MAX_TEXT)

    class Meta:
        model = Session
        fields = ["id", "title", "order", "starts_at", "ends_at", "moderators", "description"]


class SpeakerSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    affiliation = serializers.CharField(max_length=300, required=False, allow_blank=True)


class MaterialUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MaterialKind.choices)
    title = serializers.CharField(max_length=400)
    session = serializers.IntegerField(required=False, allow_null=True)
    speakers = DepthLimitedJSONField(
        binary=True, required=False, help_text='JSON list of {"name", "affiliation"}, in order.'
    )
    file = upload_files(required=False)
    link = serializers.URLField(required=False, allow_blank=True, max_length=500)
    language = serializers.CharField(required=False, default="en", max_length=8)
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.PUBLIC)

    def validate_speakers(self, value) -> list[dict]:
        if not isinstance(value, list):
            raise serializers.ValidationError('Send a JSON list of {"name", "affiliation"}.')
        if message := too_many(value, MAX_SPEAKERS):
            raise serializers.ValidationError(message)
        people = SpeakerSerializer(data=value, many=True)
        people.is_valid(raise_exception=True)
        return [
            {"name": person.get("name", "").strip(), "affiliation": person.get("affiliation", "")}
            for person in people.validated_data
        ]

    def validate_language(self, value: str) -> str:
        if value not in LANGUAGE_CODES:
            raise serializers.ValidationError("Give an ISO 639-1 code, e.g. en, ko, ru.")
        return value

    def validate_file(self, value: list) -> list:
        errors = [message for upload in value if (message := document_error(upload))]
        if errors:
            raise serializers.ValidationError(errors)
        return value


class MaterialOrderSerializer(serializers.Serializer):
    material_ids = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Ids of the event's materials in their new order; those left out follow.",
    )


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

    def _edit(
        self,
        request: Request,
        pk,
        parser: type[serializers.Serializer],
        service: Callable[..., object],
        *,
        created: bool = False,
    ) -> Response:
        """Parse the body with ``parser``, hand it to ``service`` for the event, answer with
        the event: the one path of the curation actions that take a plain body."""
        event = selectors.event_for_edit(user=request.user, pk=pk)
        serializer = parser(data=request.data)
        serializer.is_valid(raise_exception=True)
        service(actor=request.user, event=event, **serializer.validated_data)
        answer = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(self._detail(pk), status=answer)

    def _curator(self) -> None:
        """Answer 403 before reading the body of someone who may not curate events."""
        if not policy.can_curate_events(self.request.user):
            raise exceptions.PermissionDenied("Only the secretariat edits events.")

    @extend_schema(parameters=params.openapi(selectors.EVENT_FILTERS))
    def list(self, request: Request) -> Response:
        filters = selectors.EventFilters.from_params(request.query_params, strict=True)
        found = selectors.with_agenda(
            selectors.events(user=request.user, filters=filters).order_by("-start_date", "-pk"),
            user=request.user,
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
        event = events_services.event_save(actor=request.user, **serializer.validated_data)
        return Response(self._detail(event.pk), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk=None) -> Response:
        event = selectors.event_for_edit(user=request.user, pk=pk)
        serializer = EventSerializer(event, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        events_services.event_save(actor=request.user, event=event, **serializer.validated_data)
        return Response(self._detail(pk))

    @extend_schema(request=None, responses=EventSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk=None) -> Response:
        """Publish a draft event: everyone then sees it and its materials (secretariat)."""
        event = selectors.event_for_edit(user=request.user, pk=pk)
        events_services.event_publish(actor=request.user, event=event)
        return Response(self._detail(pk))

    @extend_schema(request=SessionWriteSerializer, responses={201: EventSerializer})
    @action(detail=True, methods=["post"])
    def sessions(self, request: Request, pk=None) -> Response:
        """Add a session to the agenda (secretariat)."""
        return self._edit(
            request, pk, SessionWriteSerializer, events_services.session_save, created=True
        )

    @extend_schema(request=ParticipantsSerializer, responses=EventSerializer)
    @action(detail=True, methods=["put"])
    def participants(self, request: Request, pk=None) -> Response:
        """Replace the participant counts by country and gender (secretariat)."""
        return self._edit(request, pk, ParticipantsSerializer, events_services.participants_set)

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
        values = dict(serializer.validated_data)
        session_pk = values.pop("session", None)
        session = None if session_pk is None else selectors.session_of(event=event, pk=session_pk)
        events_services.material_add(
            actor=request.user,
            event=event,
            session=session,
            files=values.pop("file", []),
            **values,
        )
        return Response(self._detail(pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=MaterialOrderSerializer, responses=EventSerializer)
    @action(detail=True, methods=["put"], url_path="materials/order")
    def materials_order(self, request: Request, pk=None) -> Response:
        """Put the event's materials in a new order (secretariat)."""
        return self._edit(request, pk, MaterialOrderSerializer, events_services.materials_reorder)


router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False
router.include_root_view = False
router.register("events", EventViewSet, basename="event")

urlpatterns = [*router.urls]
