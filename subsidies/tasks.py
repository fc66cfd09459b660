"""Celery tasks: thin wrappers that take ids and call a service."""

from celery import shared_task

from . import services


@shared_task(time_limit=30 * 60, soft_time_limit=25 * 60, acks_late=True)
def run_calculation(run_id: int) -> None:
    services.execute_run(run_id)


@shared_task(
    time_limit=120,
    soft_time_limit=90,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def render_letter(award_id: int) -> None:
    services.render_letter(award_id)
