"""Periodic work on datasets."""

from celery import shared_task

from datasets import services


@shared_task(name="datasets.expire_grants")
def expire_grants() -> int:
    """Clean up grants that expired (access already stops at expiry, on every request)."""
    return services.grants_expire()
