"""The secretariat's view of everything pending in the hub, country by country.

The secretariat sees all metadata (not raw data): how many accounts, datasets,
publications and access requests wait, by country, without naming anyone. Everyone else
gets nothing here; their own queues come from ``roles``, ``reviews``, ``grants`` and
``publications``.
"""

from django.db.models import Count, Min, QuerySet

from access.policy.roles import Actor, is_secretariat
from accounts.models import AccountStatus, User
from datasets.models import AccessRequest, Dataset, DatasetStatus, RequestStatus
from publications.models import Publication, PublicationStatus


def _by_country(rows: QuerySet, country: str, since: str) -> QuerySet:
    return rows.order_by().values(country).annotate(count=Count("pk"), oldest=Min(since))


def pending_across_hub(user: Actor) -> dict[str, QuerySet] | None:
    """Return, for the secretariat, what waits in the hub grouped by country (``code``,
    ``count``, ``oldest``): accounts, datasets, publications, access requests.

    None for everyone else. Four queries once read.
    """
    if not is_secretariat(user):
        return None
    return {
        "accounts": _by_country(
            User.objects.filter(status=AccountStatus.PENDING, is_active=True),
            "country_id",
            "date_joined",
        ),
        "datasets": _by_country(
            Dataset.objects.filter(status=DatasetStatus.SUBMITTED),
            "owner_country_id",
            "submitted_at",
        ),
        "publications": _by_country(
            Publication.objects.filter(status=PublicationStatus.SUBMITTED),
            "owner_country_id",
            "created_at",
        ),
        "access_requests": _by_country(
            AccessRequest.objects.filter(status=RequestStatus.PENDING),
            "dataset__owner_country_id",
            "created_at",
        ),
    }
