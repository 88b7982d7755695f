"""The secretariat's reports, mounted at /reports/."""

from django.urls import path, re_path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.reports_page, name="reports"),
    re_path(
        r"^(?P<slug>[a-z0-9-]+)\.(?P<extension>csv|xlsx)$",
        views.report_download,
        name="download",
    ),
]
