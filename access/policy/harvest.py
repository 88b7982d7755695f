"""What harvesters and search engines (OAI-PMH, sitemaps, JSON-LD) hear of: public items only.

A harvester is a visitor: it gets the datasets and publications listed to a visitor, and
published events (drafts are the secretariat's). A dataset that was published and then
withdrawn stays known to it as a *deleted record*: its identifier and datestamp only, never
its metadata, so that a harvester that copied it learns to drop it.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When

from access.policy.datasets import listed_datasets
from access.policy.events import listed_events
from access.policy.publications import listed_publications
from datasets.models import Dataset, DatasetStatus
from publications.models import Event, Publication


def harvested_datasets() -> QuerySet[Dataset]:
    """Return the datasets listed to a visitor and the withdrawn ones, marked ``deleted``.

    Callers give a withdrawn dataset's identifier and datestamp only (``deleted`` is True).
    """
    listed = listed_datasets(AnonymousUser()).values("pk")
    return Dataset.objects.filter(Q(pk__in=listed) | Q(status=DatasetStatus.WITHDRAWN)).annotate(
        deleted=Case(
            When(status=DatasetStatus.WITHDRAWN, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def harvested_publications() -> QuerySet[Publication]:
    """Return the publications listed to a visitor."""
    return listed_publications(AnonymousUser())


def harvested_events() -> QuerySet[Event]:
    """Return the published events."""
    return listed_events(AnonymousUser())
