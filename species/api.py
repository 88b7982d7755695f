"""Read-only API of reference data: species, sites, member States and KMGBF targets."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from neaspec_portal import params
from species import selectors
from species.models import Country, KmgbfTarget, Site, Species


class CountrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["code", "name_en", "name_zh", "name_ja", "name_ko", "name_mn", "name_ru"]


class SpeciesSerializer(serializers.ModelSerializer):
    class Meta:
        model = Species
        fields = [
            "code",
            "scientific_name",
            "synonyms",
            "group",
            "iucn_category",
            "sensitivity",
            "is_flagship",
            "name_en",
            "name_zh",
            "name_ja",
            "name_ko",
            "name_mn",
            "name_ru",
        ]


class SiteSerializer(serializers.ModelSerializer):
    countries = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    species = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Site
        fields = [
            "code",
            "name_en",
            "name_zh",
            "name_ja",
            "name_ko",
            "name_mn",
            "name_ru",
            "countries",
            "latitude",
            "longitude",
            "site_types",
            "species",
        ]


class CountryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CountrySerializer
    lookup_field = "code"
    pagination_class = None

    def get_queryset(self):
        return selectors.country_list()


@extend_schema_view(list=extend_schema(parameters=params.openapi(selectors.SPECIES_FILTERS)))
class SpeciesViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SpeciesSerializer
    lookup_field = "code"

    def get_queryset(self):
        if self.action != "list":
            return selectors.species_list()
        values = params.read(self.request.query_params, selectors.SPECIES_FILTERS, strict=True)
        return selectors.species_list(**values)


@extend_schema_view(list=extend_schema(parameters=params.openapi(selectors.SITE_FILTERS)))
class SiteViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SiteSerializer
    lookup_field = "code"

    def get_queryset(self):
        if self.action != "list":
            return selectors.site_list()
        values = params.read(self.request.query_params, selectors.SITE_FILTERS, strict=True)
        return selectors.site_list(
            country=values["country"] or None, species=values["species"] or None
        )


class TargetCountsSerializer(serializers.Serializer):
    """How many items tagged with a target the requester may see."""

    publications = serializers.IntegerField()
    datasets = serializers.IntegerField()
    events = serializers.IntegerField()
    trainings = serializers.IntegerField(help_text="Events of type training (among events).")
    projects = serializers.IntegerField(help_text="Projects and networks working toward it.")


TARGET_TEXT_FIELDS = [
    f"{field}_{suffix}"
    for field in ("title", "summary")
    for suffix in ("en", "zh", "ja", "ko", "mn", "ru")
]


class TargetSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="number", read_only=True, help_text="E.g. 4.")
    featured = serializers.BooleanField(source="is_featured", read_only=True)
    counts = TargetCountsSerializer(read_only=True)

    class Meta:
        model = KmgbfTarget
        fields = ["number", "code", "featured", *TARGET_TEXT_FIELDS, "counts"]


class TargetDetailSerializer(TargetSerializer):
    countries = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Member States contributing: the countries of the items counted.",
    )

    class Meta(TargetSerializer.Meta):
        fields = [*TargetSerializer.Meta.fields, "countries"]


@extend_schema_view(
    list=extend_schema(parameters=params.openapi(selectors.TARGET_FILTERS)),
    retrieve=extend_schema(
        parameters=[
            OpenApiParameter("code", str, OpenApiParameter.PATH, description="1 to 23."),
            *params.openapi(selectors.TARGET_FILTERS),
        ]
    ),
)
class TargetViewSet(viewsets.GenericViewSet):
    """The 23 KMGBF targets, each with the counts of items the requester may see.

    Counts obey the access policy: a visitor never counts an unpublished item.
    """

    serializer_class = TargetSerializer
    queryset = KmgbfTarget.objects.none()
    pagination_class = None
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def list(self, request: Request) -> Response:
        values = params.read(request.query_params, selectors.TARGET_FILTERS, strict=True)
        targets = selectors.target_list(
            user=request.user, year=values["year"], country=values["country"]
        )
        return Response(TargetSerializer(targets, many=True).data)

    @extend_schema(responses=TargetDetailSerializer)
    def retrieve(self, request: Request, code: str) -> Response:
        values = params.read(request.query_params, selectors.TARGET_FILTERS, strict=True)
        try:
            target = selectors.target_get(code)
        except KmgbfTarget.DoesNotExist:
            raise Http404("No such KMGBF target.") from None
        detail = selectors.target_detail(
            user=request.user, target=target, year=values["year"], country=values["country"]
        )
        target.counts = detail["counts"]
        target.countries = [country.code for country in detail["countries"]]
        return Response(TargetDetailSerializer(target).data)
