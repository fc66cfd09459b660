"""Infrastructure tasks."""

from celery import shared_task

from .models import AuditEvent


@shared_task(time_limit=30, soft_time_limit=20)
def ping(token: str) -> str:
    """Leave a trace in the database: proves a worker picked the message up."""
    AuditEvent.objects.create(
        action="system.ping", object_type="system", object_id=token, payload={}
    )
    return token
