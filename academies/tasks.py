"""Celery tasks of the academies app: thin wrappers that take ids and call a service."""

from celery import shared_task

from .services import imports


@shared_task(time_limit=30 * 60, soft_time_limit=25 * 60, acks_late=True)
def run_import_job(job_id: int) -> None:
    imports.run_import(job_id)
