"""REST API of projects and networks: the list (filterable as the page is) and one project.

A project's datasets, publications and people are those the caller may see
(``access.policy.project_*``), as on the project's page.
"""

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from access import policy
from neaspec_portal import params
from projects import selectors
from projects.models import Project


class ItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()


class ProjectSerializer(serializers.ModelSerializer):
    countries = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    partners = serializers.ListField(child=serializers.CharField(), source="partner_list")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "slug",
            "title",
            "kind",
            "start_date",
            "end_date",
            "countries",
            "partners",
            "url",
        ]

    def get_url(self, project: Project) -> str:
        return self.context["request"].build_absolute_uri(project.get_absolute_url())


class ProjectDetailSerializer(ProjectSerializer):
    description = serializers.CharField()
    website = serializers.URLField(source="url")
    sites = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    species = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    targets = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    themes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    datasets = serializers.SerializerMethodField()
    publications = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    people = serializers.SerializerMethodField()

    class Meta(ProjectSerializer.Meta):
        fields = [
            *ProjectSerializer.Meta.fields,
            "description",
            "website",
            "sites",
            "species",
            "targets",
            "themes",
            "datasets",
            "publications",
            "events",
            "people",
        ]

    def _items(self, rows, title) -> list[dict]:
        request = self.context["request"]
        return [
            {
                "id": row.pk,
                "title": title(row),
                "url": request.build_absolute_uri(row.get_absolute_url()),
            }
            for row in rows
        ]

    @extend_schema_field(ItemSerializer(many=True))
    def get_datasets(self, project: Project) -> list[dict]:
        user = self.context["request"].user
        rows = policy.project_datasets(user, project).order_by("-published_at", "-pk")
        return self._items(rows[: selectors.MAX_ITEMS], lambda row: row.display_title)

    @extend_schema_field(ItemSerializer(many=True))
    def get_publications(self, project: Project) -> list[dict]:
        user = self.context["request"].user
        rows = policy.project_publications(user, project).order_by("-year", "-pk")
        return self._items(rows[: selectors.MAX_ITEMS], lambda row: row.title)

    @extend_schema_field(ItemSerializer(many=True))
    def get_events(self, project: Project) -> list[dict]:
        user = self.context["request"].user
        rows = policy.project_events(user, project).order_by("-start_date")
        return self._items(rows[: selectors.MAX_ITEMS], lambda row: row.title)

    @extend_schema_field(ItemSerializer(many=True))
    def get_people(self, project: Project) -> list[dict]:
        user = self.context["request"].user
        rows = policy.project_people(user, project).order_by("display_name")
        return self._items(rows, lambda row: row.display_name)


@extend_schema_view(list=extend_schema(parameters=params.openapi(selectors.PROJECT_FILTERS)))
class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """Projects and networks; ``year`` keeps those running in that year."""

    lookup_field = "slug"

    def get_serializer_class(self):
        return ProjectSerializer if self.action == "list" else ProjectDetailSerializer

    def get_queryset(self):
        if self.action != "list":
            return policy.visible_projects(self.request.user).prefetch_related(
                "countries", "sites", "species", "targets", "themes"
            )
        filters = selectors.ProjectFilters.from_params(self.request.query_params, strict=True)
        return selectors.project_list(user=self.request.user, filters=filters)
