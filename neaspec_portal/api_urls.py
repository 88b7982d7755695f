"""``/api/v1/``: the REST API, its OpenAPI schema and its browsable documentation."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from accounts.api import MeView
from datasets.api import urlpatterns as dataset_api_urlpatterns
from publications.api import urlpatterns as publication_api_urlpatterns
from search.api import SearchView
from species.api import CountryViewSet, SiteViewSet, SpeciesViewSet

router = DefaultRouter()
router.register("species", SpeciesViewSet, basename="species")
router.register("sites", SiteViewSet, basename="site")
router.register("countries", CountryViewSet, basename="country")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="token"),
    path("me/", MeView.as_view(), name="me"),
    path("search/", SearchView.as_view(), name="search"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
    path("", include(dataset_api_urlpatterns)),
    path("", include(publication_api_urlpatterns)),
]
