"""Reads of the home page (the featured event, the latest items, the counts) and of
each person's "My work" page."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Min, Q, QuerySet

from access import policy
from accounts.models import User
from datasets import selectors as dataset_selectors
from datasets.models import DatasetStatus, RequestStatus
from publications import selectors as publication_selectors
from publications.models import PublicationStatus
from species.selectors import country_list


def home_highlights(*, user: policy.Actor) -> dict[str, Any]:
    """Return what the home page shows beside the species: featured event, latest items, counts.

    Every list and count goes through the access policy.
    """
    publications = policy.listed_publications(user)
    datasets = policy.listed_datasets(user)
    return {
        # The secretariat's pick, else the latest published event: the card is never empty
        # while the hub holds any published event.
        "featured_event": policy.listed_events(user)
        .order_by("-featured", "-start_date", "-pk")
        .first(),
        "latest_publications": list(
            publications.select_related("owner_country").order_by(
                "-featured", "-published_at", "-pk"
            )[:4]
        ),
        "latest_datasets": list(
            datasets.select_related("owner_country").order_by("-published_at", "-pk")[:4]
        ),
        "publication_count": publications.count(),
        "dataset_count": datasets.count(),
    }


# --- My work ----------------------------------------------------------------------------------


#: How many rows each list of "My work" shows; the full list is one link away.
WORK_ROWS = 8


@dataclass(frozen=True)
class Queue:
    """The first rows of a list, how many it holds and since when the oldest waits."""

    rows: list
    count: int
    oldest: date | datetime | None
    by_status: dict[str, int] = field(default_factory=dict)


def _queue(items: QuerySet, *, since: str, statuses: Sequence[str] = ()) -> Queue:
    """Return the first ``WORK_ROWS`` of ``items`` and their count: two queries, however many.

    ``since`` names the field whose smallest value is the age of the queue; ``statuses``
    are counted apart (in the same query) when given.
    """
    counts = {f"status_{status}": Count("pk", filter=Q(status=status)) for status in statuses}
    figures = items.order_by().aggregate(count=Count("pk"), oldest=Min(since), **counts)
    return Queue(
        rows=list(items[:WORK_ROWS]),
        count=figures["count"],
        oldest=figures["oldest"],
        by_status={status: figures[f"status_{status}"] for status in statuses},
    )


def my_work(*, user: User) -> dict[str, Any]:
    """Return the sections of ``user``'s "My work" page, each only for the roles that have it.

    - ``mine`` (any verified account): their datasets and publications with their states,
      their access requests and grants;
    - ``queues`` (focal points and the secretariat): accounts to verify, datasets and
      publications to review, and for focal points access requests to answer, oldest first;
    - ``hub`` and ``drafts`` (the secretariat): what waits in the whole hub by country, and
      the draft events to curate.

    Every list comes from the selectors and the policy the full pages use; each costs two
    queries (its first rows, and its count with the age of its oldest), whatever its length.
    """
    work: dict[str, Any] = {"mine": None, "queues": None, "hub": None, "drafts": None}
    if policy.is_verified(user):
        work["mine"] = {
            "datasets": _queue(
                dataset_selectors.my_datasets(user=user).prefetch_related(None),
                since="updated_at",
                statuses=[s.value for s in DatasetStatus],
            ),
            "publications": _queue(
                publication_selectors.my_publications(user=user).prefetch_related(None),
                since="created_at",
                statuses=[s.value for s in PublicationStatus],
            ),
            "requests": _queue(
                policy.own_access_requests(user),
                since="created_at",
                statuses=[s.value for s in RequestStatus],
            ),
            "grants": _queue(policy.own_grants(user), since="expires_at"),
        }
    if policy.can_review_accounts(user) or policy.can_review_datasets(user):
        queues = {
            "accounts": _queue(
                policy.accounts_to_verify(user).order_by("date_joined", "pk"),
                since="date_joined",
            ),
            "datasets": _queue(
                dataset_selectors.review_queue(user=user).prefetch_related(None),
                since="submitted_at",
            ),
            "publications": _queue(
                publication_selectors.review_queue(user=user).prefetch_related(None),
                since="created_at",
            ),
            "access_requests": None,
        }
        if policy.is_focal_point(user):
            queues["access_requests"] = _queue(
                policy.access_requests_to_answer(user).order_by("created_at", "pk"),
                since="created_at",
            )
        work["queues"] = queues
    hub = policy.pending_across_hub(user)
    if hub is not None:
        work["hub"] = _hub_table(hub)
        work["drafts"] = _queue(publication_selectors.draft_events(user=user), since="start_date")
    return work


def _hub_table(hub: dict[str, QuerySet]) -> list[dict[str, Any]]:
    """Return one row per country (partners last) with what waits there: four queries."""
    names = {country.code: country for country in country_list()}
    rows: dict[str | None, dict[str, Any]] = {}
    for part, counts in hub.items():
        for row in counts:
            code = next(value for key, value in row.items() if key not in ("count", "oldest"))
            entry = rows.setdefault(code, {"country": names.get(code), "code": code})
            entry[part] = row["count"]
            oldest = entry.get("oldest")
            if row["oldest"] is not None and (oldest is None or row["oldest"] < oldest):
                entry["oldest"] = row["oldest"]
    return sorted(rows.values(), key=lambda entry: (entry["code"] is None, entry["code"] or ""))
