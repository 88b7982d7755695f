"""Periodic housekeeping tasks that belong to no single request: thin, taking no input."""

import logging

from celery import shared_task

from neaspec_portal.idempotency import idempotency_keys_forget
from neaspec_portal.singleton import single_run

logger = logging.getLogger(__name__)


@shared_task(name="access.forget_idempotency_keys")
@single_run("access.forget_idempotency_keys", skipped=0)
def forget_idempotency_keys() -> int:
    """Delete the kept answers of Idempotency-Key requests once retries are over (24 h)."""
    return idempotency_keys_forget()
