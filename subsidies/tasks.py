"""Celery tasks: thin wrappers that take ids and call a service. Services start them by
name through ``jobs`` (this module imports the services, never the other way round)."""

from celery import Task, group, shared_task
from celery.signals import worker_process_init
from django.db import OperationalError

from . import jobs, letters, services

# Worth another try: the database was busy or the connection dropped, a file system hiccup.
TRANSIENT = (OperationalError, OSError)

# Letters per task: enough that a letter costs its rendering rather than its messaging
# and reading, few enough that every worker process gets its share of a batch.
LETTERS_PER_TASK = 10


@worker_process_init.connect
def _warm_up_letters(**_kwargs) -> None:
    """A worker process loads the letter's template and fonts when it starts, not while
    the first letter of a batch waits."""
    letters.warm_up()


@shared_task(name=jobs.CALCULATION, time_limit=30 * 60, soft_time_limit=25 * 60, acks_late=True)
def run_calculation(run_id: int) -> None:
    services.execute_run(run_id)


@shared_task(bind=True, name=jobs.LETTERS, time_limit=120, soft_time_limit=90, acks_late=True)
def render_letters(self, award_ids: list[int]) -> None:
    """Fan out in small batches (one letter each when there are only a few), on the queue
    this request came from (a worker serving one queue makes its letters)."""
    group(render_letter_batch.s(batch) for batch in letter_batches(award_ids)).apply_async(
        **_same_queue(self)
    )


def letter_batches(award_ids: list[int]) -> list[list[int]]:
    """At least 20 batches while there are letters for them, at most ``LETTERS_PER_TASK``
    letters in one: the worker's processes share a small period's letters too."""
    size = max(1, min(LETTERS_PER_TASK, len(award_ids) // 20))
    return [award_ids[i : i + size] for i in range(0, len(award_ids), size)]


def _same_queue(task) -> dict:
    queue = (task.request.delivery_info or {}).get("routing_key")
    return {"queue": queue} if queue else {}


class LetterBatchTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """The batch failed as a whole (its awards could not be read, its time ran out):
        each of its letters is tried on its own, with the retries of one letter."""
        for award_id in args[0]:
            render_letter.apply_async((award_id,), **_same_queue(self))


@shared_task(
    bind=True,
    name=jobs.LETTER_BATCH,
    base=LetterBatchTask,
    time_limit=LETTERS_PER_TASK * 120,  # a single letter's limits, once per letter
    soft_time_limit=LETTERS_PER_TASK * 90,
    acks_late=True,
)
def render_letter_batch(self, award_ids: list[int]) -> None:
    """A few letters in one pass; one that fails is tried again on its own task, so that
    it does not stop the others and its failure is kept for staff."""
    for award_id in services.render_letters(award_ids):
        render_letter.apply_async((award_id,), **_same_queue(self))


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
