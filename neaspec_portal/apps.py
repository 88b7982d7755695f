from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "neaspec_portal"
    verbose_name = "NEASPEC Knowledge Hub"

    def ready(self) -> None:
        from neaspec_portal import page_cache

        page_cache.connect()
