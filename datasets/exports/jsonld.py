"""schema.org ``Dataset`` of a dataset page, for search engines and Google Dataset Search.

Only what the page shows anyone who sees it: never a file's URL, and a spatial coverage
from the public points only (``policy.public_extent``), whoever reads the page.
"""

from typing import Any

from django.conf import settings
from django.utils import translation

from access import policy
from datasets.exports.eml import SPDX
from datasets.models import Dataset, Licence
from neaspec_portal.jsonld import without_empty

CATALOG = {"@type": "DataCatalog", "name": "NEASPEC Knowledge Hub", "url": settings.SITE_URL}


def dataset_jsonld(dataset: Dataset) -> dict[str, Any]:
    """Return the schema.org ``Dataset`` describing ``dataset``."""
    extent = policy.public_extent(dataset)
    spatial = None
    if extent:
        west, south, east, north = extent
        spatial = {
            "@type": "Place",
            "geo": {"@type": "GeoShape", "box": f"{south} {west} {north} {east}"},
        }
    temporal = None
    if dataset.temporal_start:
        end = dataset.temporal_end.isoformat() if dataset.temporal_end else ".."
        temporal = f"{dataset.temporal_start.isoformat()}/{end}"
    species = list(dataset.species.all())
    with translation.override("en"):
        method = str(dataset.get_method_display())
    licence = dataset.licence_terms if dataset.licence == Licence.CUSTOM else SPDX + dataset.licence
    return without_empty(
        {
            "@type": "Dataset",
            "name": dataset.title,
            "alternateName": dataset.title_en if dataset.title_en != dataset.title else "",
            "description": dataset.abstract or dataset.display_title,
            "url": settings.SITE_URL.rstrip("/") + dataset.get_absolute_url(),
            "identifier": policy.dataset_urn(dataset),
            "version": str(dataset.version),
            "license": licence,
            "creator": {"@type": "Organization", "name": dataset.owner_country.name_en},
            "datePublished": dataset.published_at.date().isoformat()
            if dataset.published_at
            else "",
            "dateModified": dataset.updated_at.isoformat() if dataset.updated_at else "",
            "temporalCoverage": temporal,
            "spatialCoverage": spatial,
            "keywords": [item.scientific_name for item in species],
            "about": [
                {"@type": "Taxon", "name": item.scientific_name, "alternateName": item.name_en}
                for item in species
            ],
            "measurementTechnique": method,
            "citation": dataset.citation,
            "includedInDataCatalog": CATALOG,
        }
    )
