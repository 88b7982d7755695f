"""Read-only API of reference data: species, sites and member States."""

from rest_framework import serializers, viewsets

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


class SpeciesViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SpeciesSerializer
    lookup_field = "code"
    filterset_fields = ["group", "iucn_category", "is_flagship"]

    def get_queryset(self):
        return selectors.species_list()


class SiteViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SiteSerializer
    lookup_field = "code"

    def get_queryset(self):
        return selectors.site_list(
            country=self.request.query_params.get("country") or None,
            species=self.request.query_params.get("species") or None,
        )
