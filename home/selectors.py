"""Reads of the home page: the featured event, the latest items and the counts."""

from typing import Any

from access import policy


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
