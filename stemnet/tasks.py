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


@shared_task(
    time_limit=60,
    soft_time_limit=45,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_rendered_mail(
    *, subject: str, body: str, from_email: str, to: list[str], alternatives: list
) -> None:
    """Send an e-mail rendered in the web process (allauth's account mails). Only strings
    travel through the broker; a failed SMTP connection is retried with back-off."""
    from django.core.mail import EmailMultiAlternatives

    message = EmailMultiAlternatives(subject, body, from_email, to)
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    message.send()


@shared_task(
    time_limit=60,
    soft_time_limit=45,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def deliver_message(message_id: int) -> bool:
    """Send one message of the log; a failure is written on its row and retried with
    back-off. A message already sent is not sent again."""
    from .notifications import deliver

    return deliver(message_id)


@shared_task(time_limit=15 * 60, soft_time_limit=14 * 60)
def send_digests() -> int:
    """Daily: yesterday's digest for each user who chose one (idempotent per day)."""
    from .notifications import send_digests as run

    return run()
