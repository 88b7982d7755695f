from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.i18n import set_language

from accounts.security_forms import AdminSignInForm
from home.oai.views import oai
from home.sitemaps import SITEMAPS
from home.views import home, my_work
from neaspec_portal.health import healthz
from neaspec_portal.icons import favicon
from neaspec_portal.language import choose_language

admin.site.site_header = "NEASPEC Knowledge Hub"
admin.site.site_title = "NEASPEC Knowledge Hub"
admin.site.login_form = AdminSignInForm

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("oai/", oai, name="oai"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("i18n/language/", choose_language, name="choose_language"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", include(("neaspec_portal.api_urls", "api"), namespace="api")),
    path("admin/", admin.site.urls),
    path("", home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("data/", include("datasets.urls")),
    path("library/", include("publications.urls")),
    path("search/", include("search.urls")),
    path("map/", include("maps.urls")),
    path("projects/", include("projects.urls")),
    path("people/", include("people.urls")),
    path("reports/", include("reports.urls")),
    path("", include("programme.urls")),
    path("", include("species.urls")),
    path("my-work/", my_work, name="my_work"),
]

handler400 = "neaspec_portal.errors.bad_request"
handler403 = "neaspec_portal.errors.permission_denied"
handler404 = "neaspec_portal.errors.not_found"
handler500 = "neaspec_portal.errors.server_error"
