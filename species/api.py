"""Read-only API of reference data: species, sites and member States."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from neaspec_portal import params
from species import selectors
from species.models import Country, Site, Species


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
