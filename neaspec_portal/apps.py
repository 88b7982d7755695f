from django.apps import AppConfig

from neaspec_portal import (
    checks,  # noqa: F401 - registers the deployment checks
    page_cache,
)


class PortalConfig(AppConfig):
    name = "neaspec_portal"
    verbose_name = "NEASPEC Knowledge Hub"

    def ready(self) -> None:
        page_cache.connect()
