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
    *,
    subject: str,
    body: str,
    from_email: str,
    to: list[str],
    alternatives: list,
    message_id: int | None = None,
) -> None:
    """Send an e-mail rendered in the web process (allauth's account mails). Only strings
    travel through the broker; a failed SMTP connection is retried with back-off. The
    message log's row (``message_id``) follows how it went."""
    from django.core.mail import EmailMultiAlternatives
    from django.db.models import F
    from django.utils import timezone

    from .models import Message, MessageStatus

    logged = Message.objects.filter(pk=message_id) if message_id else Message.objects.none()
    message = EmailMultiAlternatives(subject, body, from_email, to)
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    logged.update(attempts=F("attempts") + 1)
    try:
        message.send()
    except Exception as error:
        logged.update(status=MessageStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000])
        raise
    logged.update(status=MessageStatus.SENT, sent_at=timezone.now(), error="")


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
