"""schema.org ``ScholarlyArticle`` / ``Report`` and ``Event`` of library and event pages.

Metadata only, as the page shows it: no file of the library is named (files go out
through the policy's download views only).
"""

from typing import Any

from django.conf import settings

from neaspec_portal.jsonld import without_empty
from publications.models import Event, Publication, PublicationType

PUBLISHER = {"@type": "Organization", "name": "NEASPEC Knowledge Hub", "url": settings.SITE_URL}


def _url(item: Publication | Event) -> str:
    return settings.SITE_URL.rstrip("/") + item.get_absolute_url()


def _taxa(item: Publication | Event) -> list[dict[str, str]]:
    return [
        {"@type": "Taxon", "name": species.scientific_name, "alternateName": species.name_en}
        for species in item.species.all()
    ]


def publication_jsonld(publication: Publication) -> dict[str, Any]:
    """Return the schema.org ``Report`` (reports, policy briefs) or ``ScholarlyArticle``."""
    reports = {PublicationType.REPORT, PublicationType.POLICY_BRIEF, PublicationType.FACTSHEET}
    kind = "Report" if publication.type in reports else "ScholarlyArticle"
    doi = f"https://doi.org/{publication.doi}" if publication.doi else ""
    english = publication.title_en if publication.title_en != publication.title else ""
    return without_empty(
        {
            "@type": kind,
            "name": publication.title,
            "headline": (publication.title_en or publication.title)[:110],
            "alternateName": english,
            "abstract": publication.abstract,
            "author": [
                without_empty(
                    {
                        "@type": "Person",
                        "name": author.name,
                        "affiliation": {"@type": "Organization", "name": author.affiliation}
                        if author.affiliation
                        else None,
                    }
                )
                for author in publication.authors.all()
            ],
            "datePublished": str(publication.year),
            "inLanguage": publication.language,
            "url": _url(publication),
            "sameAs": doi,
            "identifier": doi,
            "about": _taxa(publication),
            "publisher": {"@type": "Organization", "name": publication.publisher}
            if publication.publisher
            else PUBLISHER,
            "sourceOrganization": {"@type": "Organization", "name": publication.institution}
            if publication.institution
            else None,
            "license": publication.licence_url or None,
        }
    )


def event_jsonld(event: Event) -> dict[str, Any]:
    """Return the schema.org ``Event`` of an event page."""
    if event.online:
        location: dict[str, Any] = {"@type": "VirtualLocation", "url": _url(event)}
        mode = "https://schema.org/OnlineEventAttendanceMode"
    else:
        location = without_empty(
            {"@type": "Place", "name": event.venue or event.city, "address": event.city}
        )
        mode = "https://schema.org/OfflineEventAttendanceMode"
    return without_empty(
        {
            "@type": "Event",
            "name": event.title,
            "description": event.summary,
            "startDate": event.start_date.isoformat(),
            "endDate": event.end_date.isoformat(),
            "eventAttendanceMode": mode,
            "eventStatus": "https://schema.org/EventScheduled",
            "location": location,
            "organizer": {"@type": "Organization", "name": event.organisers}
            if event.organisers
            else PUBLISHER,
            "about": _taxa(event),
            "url": _url(event),
        }
    )
