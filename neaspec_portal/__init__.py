"""NEASPEC Knowledge Hub project package; importing it loads the Celery app."""

from neaspec_portal.celery import app as celery_app

__all__ = ["celery_app"]
