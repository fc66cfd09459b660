"""Celery tasks of reporting: thin wrappers that take ids and call a service."""

from celery import shared_task

from . import exports


@shared_task(time_limit=30 * 60, soft_time_limit=25 * 60, acks_late=True)
def run_export(job_id: int) -> None:
    exports.run_export(job_id)


@shared_task(time_limit=10 * 60, soft_time_limit=9 * 60)
def purge_expired_exports() -> None:
    exports.purge_expired_exports()


@shared_task(time_limit=60 * 60, soft_time_limit=55 * 60)
def erase_expired_children_data() -> None:
    """Daily: erase the participants and attendance of every year past its retention."""
    from . import retention

    retention.run_retention()
