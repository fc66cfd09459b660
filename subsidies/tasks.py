"""Celery tasks: thin wrappers that take ids and call a service. Services start them by
name through ``jobs`` (this module imports the services, never the other way round)."""

from celery import Task, group, shared_task
from django.db import OperationalError

from . import jobs, services

# Worth another try: the database was busy or the connection dropped, a file system hiccup.
TRANSIENT = (OperationalError, OSError)


@shared_task(name=jobs.CALCULATION, time_limit=30 * 60, soft_time_limit=25 * 60, acks_late=True)
def run_calculation(run_id: int) -> None:
    services.execute_run(run_id)


@shared_task(bind=True, name=jobs.LETTERS, time_limit=120, soft_time_limit=90, acks_late=True)
def render_letters(self, award_ids: list[int]) -> None:
    """Fan out: one task per letter, so that one failing letter does not stop the others;
    on the queue this batch came from (a worker serving one queue makes its letters)."""
    queue = (self.request.delivery_info or {}).get("routing_key")
    options = {"queue": queue} if queue else {}
    group(render_letter.s(pk) for pk in award_ids).apply_async(**options)


class LetterTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """Called once the retries are used up (or at once for a non-transient error)."""
        services.record_letter_failure(args[0], exc)


@shared_task(
    name=jobs.LETTER,
    base=LetterTask,
    time_limit=120,
    soft_time_limit=90,
    acks_late=True,
    autoretry_for=TRANSIENT,
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=5,
)
def render_letter(award_id: int) -> None:
    services.render_letter(award_id)
