"""Project package: settings, URLs, the Celery app and shared reference data."""

from .celery import app as celery_app

__all__ = ["celery_app"]
