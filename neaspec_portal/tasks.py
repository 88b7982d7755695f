"""Periodic housekeeping tasks that belong to no single request: thin, taking no input."""

import logging

from celery import shared_task

from neaspec_portal.idempotency import idempotency_keys_forget

logger = logging.getLogger(__name__)


@shared_task(name="access.forget_idempotency_keys")
def forget_idempotency_keys() -> int:
    """Delete the kept answers of Idempotency-Key requests once retries are over (24 h)."""
    return idempotency_keys_forget()
