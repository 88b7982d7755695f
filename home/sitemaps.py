"""``/sitemap.xml``: the public pages search engines may index.

Published items a visitor is listed (``policy.harvested_*``; withdrawn datasets are left
out), events, species and sites, and the index pages. Only pages: never a file's URL.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from access import policy
from species import selectors as species_selectors


class DatasetSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return policy.harvested_datasets().filter(deleted=False).order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class PublicationSitemap(Sitemap):
    changefreq = "yearly"

    def items(self):
        return policy.harvested_publications().order_by("pk")

    def lastmod(self, item):
        return item.published_at or item.created_at


class EventSitemap(Sitemap):
    changefreq = "yearly"

    def items(self):
        return policy.harvested_events().order_by("pk")


class SpeciesSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return species_selectors.species_list().order_by("pk")


class SiteSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        # The sitemap needs codes only, not the lists the site pages prefetch.
        return species_selectors.site_list().prefetch_related(None).order_by("pk")


class PageSitemap(Sitemap):
    """The index pages of each section."""

    changefreq = "weekly"

    def items(self):
        return [
            "home",
            "datasets:list",
            "publications:list",
            "publications:event_list",
            "species:species_list",
            "species:site_list",
            "maps:map",
        ]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": PageSitemap,
    "datasets": DatasetSitemap,
    "publications": PublicationSitemap,
    "events": EventSitemap,
    "species": SpeciesSitemap,
    "sites": SiteSitemap,
}
