"""REST API of the expert directory: public profiles only, filterable as the page is.

A private profile answers 404, the same as a missing one.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from access import policy
from neaspec_portal import params
from people import selectors
from people.models import Profile


class ProfileSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")
    country = serializers.CharField(source="country_id", allow_null=True)
    expertise = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    species = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    languages = serializers.ListField(child=serializers.CharField())
    url = serializers.SerializerMethodField()

    class Meta:
        model = Profile
        fields = [
            "id",
            "name",
            "affiliation",
            "country",
            "expertise",
            "expertise_note",
            "species",
            "languages",
            "orcid",
            "bio",
            "url",
        ]

    def get_url(self, profile: Profile) -> str:
        return self.context["request"].build_absolute_uri(profile.get_absolute_url())


@extend_schema_view(list=extend_schema(parameters=params.openapi(selectors.PEOPLE_FILTERS)))
class ProfileViewSet(viewsets.ReadOnlyModelViewSet):
    """Public profiles of the expert directory; ``year`` keeps people of projects running
    in that year."""

    serializer_class = ProfileSerializer

    def get_queryset(self):
        if self.action != "list":
            return policy.visible_profiles(self.request.user).prefetch_related(
                "species", "expertise"
            )
        filters = selectors.PeopleFilters.from_params(self.request.query_params, strict=True)
        return selectors.profile_list(user=self.request.user, filters=filters)
