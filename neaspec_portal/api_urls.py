"""``/api/v1/``: the REST API, its OpenAPI schema and its browsable documentation."""

from django.conf import settings
from django.urls import include, path
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from accounts.api import MeView
from accounts.security_api import TokenView
from datasets.api import urlpatterns as dataset_api_urlpatterns
from datasets.my_access_api import urlpatterns as my_access_api_urlpatterns
from datasets.preview_api import urlpatterns as preview_api_urlpatterns
from datasets.usage_api import urlpatterns as usage_api_urlpatterns
from neaspec_portal import params
from neaspec_portal.api_root import ApiRootView
from people.api import ProfileViewSet
from programme.api import urlpatterns as programme_api_urlpatterns
from projects.api import ProjectViewSet
from publications.api import urlpatterns as publication_api_urlpatterns
from publications.events_api import urlpatterns as event_api_urlpatterns
from search.api import SearchView
from species.api import CountryViewSet, SiteViewSet, SpeciesViewSet, TargetViewSet

SCHEMA_PARAMETERS = (params.choice("lang", [code for code, _name in settings.LANGUAGES]),)


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema of version 1; ``?lang=`` is read by ``params`` (a bad one is a 400).

    The schema depends on the code and the language only: it is generated once per language
    and process, never from the request (whose query string it would otherwise read).
    """

    api_version = "1"
    _generated: dict[str, dict] = {}

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        params.read(request.query_params, SCHEMA_PARAMETERS, strict=True)
        return super().get(request, *args, **kwargs)

    def _get_schema_response(self, request):
        language = get_language()
        if language not in self._generated:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=self.api_version, patterns=self.patterns
            )
            self._generated[language] = generator.get_schema(request=None, public=True)
        filename = self._get_filename(request, self.api_version)
        return Response(
            data=self._generated[language],
            headers={"Content-Disposition": f'inline; filename="{filename}"'},
        )


# No format suffixes (``/datasets/1.json``): ``Accept`` and ``?format=`` choose the format.
router = DefaultRouter()
router.include_format_suffixes = False
# The root lists every resource (neaspec_portal.api_root), not only this router's.
router.include_root_view = False
router.register("species", SpeciesViewSet, basename="species")
router.register("sites", SiteViewSet, basename="site")
router.register("countries", CountryViewSet, basename="country")
router.register("projects", ProjectViewSet, basename="project")
router.register("people", ProfileViewSet, basename="person")
router.register("targets", TargetViewSet, basename="target")

urlpatterns = [
    path("", ApiRootView.as_view(), name="root"),
    path("auth/token/", TokenView.as_view(), name="token"),
    path("me/", MeView.as_view(), name="me"),
    path("", include(my_access_api_urlpatterns)),
    path("search/", SearchView.as_view(), name="search"),
    path("schema/", SchemaView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
    path("", include(dataset_api_urlpatterns)),
    path("", include(preview_api_urlpatterns)),
    path("", include(publication_api_urlpatterns)),
    path("", include(event_api_urlpatterns)),
    path("", include(programme_api_urlpatterns)),
    path("", include(usage_api_urlpatterns)),
]
