"""Celery tasks of the academies app: thin wrappers that take ids and call a service."""

import logging

from celery import shared_task

from .services import imports

logger = logging.getLogger(__name__)


@shared_task(time_limit=30 * 60, soft_time_limit=25 * 60, acks_late=True)
def run_import_job(job_id: int) -> None:
    imports.run_import(job_id)


def enqueue_import(job_id: int) -> None:
    """Hand an import job to the worker (called on commit by ``start_import``)."""
    try:
        run_import_job.delay(job_id)
    except Exception:  # noqa: BLE001 — any broker failure: the job must not stay queued
        logger.exception("could not enqueue import job %s", job_id)
        imports.not_enqueued(job_id)


@shared_task(time_limit=15 * 60, soft_time_limit=14 * 60)
def send_recognition_reminders() -> int:
    """Daily: the reminders 60 and 14 days before a recognition lapses (idempotent)."""
    from .services import terms

    return terms.send_reminders()


@shared_task(time_limit=15 * 60, soft_time_limit=14 * 60)
def announce_open_period() -> int:
    """Daily: in a half-year's first two weeks, tell the academies it is open (once)."""
    from .services import periods

    return periods.announce_open_period()
