"""Every e-mail the portal sends goes through here: the user's preference per kind
(immediately, daily digest, off), one row in the message log per e-mail, delivery by the
worker with retries, the daily digest and staff's re-send. (allauth's account mails keep
their own path, stemnet/accounts.py.)"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from .audit import record
from .models import Delivery, Message, MessageKind, MessageStatus, NotificationPreference
from .permissions import ALLOWED, Decision, refused, require
from .roles import has_staff_powers

DELIVER_TASK = "stemnet.tasks.deliver_message"

#: Kinds a user can choose for (the preferences page lists these, in this order).
SWITCHABLE = (
    MessageKind.RECOGNITION,
    MessageKind.REMINDER,
    MessageKind.PERIOD,
    MessageKind.AWARD_LETTER,
    MessageKind.PARTNERSHIP,
)
#: Kinds "off" does not apply to: an award letter is a legal decision its academy's admins
#: must receive. A digest is still allowed (the letter reaches them the next morning).
UNSWITCHABLE_OFF = (MessageKind.AWARD_LETTER,)


class NotificationError(Exception):
    """A refused notification action, with a Dutch message for the page."""


def absolute(path: str) -> str:
    """The absolute address of a portal page, from settings.PORTAL_URL."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.PORTAL_URL + path


def delivery_for(user, kind: str) -> str:
    """How ``user`` receives messages of ``kind``: their preference, "immediately" when
    they set none or the kind is not theirs to choose; "off" never for an unswitchable kind."""
    if kind not in SWITCHABLE:
        return Delivery.IMMEDIATE
    choice = (
        NotificationPreference.objects.filter(user=user, kind=kind)
        .values_list("delivery", flat=True)
        .first()
    ) or Delivery.IMMEDIATE
    if choice == Delivery.OFF and kind in UNSWITCHABLE_OFF:
        return Delivery.IMMEDIATE
    return choice


def preferences_for(user) -> dict[str, str]:
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: stored.get(kind, Delivery.IMMEDIATE) for kind in SWITCHABLE}


@transaction.atomic
def set_preferences(*, actor, choices: dict[str, str]) -> None:
    """The user's own choice per kind; "off" for an unswitchable kind is refused."""
    for kind, delivery in choices.items():
        if kind not in SWITCHABLE or delivery not in Delivery.values:
            raise NotificationError(_("Onbekende keuze."))
        if delivery == Delivery.OFF and kind in UNSWITCHABLE_OFF:
            raise NotificationError(
                _("%(kind)s kunt u niet uitschakelen.") % {"kind": MessageKind(kind).label}
            )
    before = preferences_for(actor)
    for kind, delivery in choices.items():
        NotificationPreference.objects.update_or_create(
            user=actor, kind=kind, defaults={"delivery": delivery}
        )
    changed = {k: v for k, v in choices.items() if before.get(k) != v}
    if changed:
        record(actor=actor, action="notifications.preferences_changed", obj=actor, payload=changed)


def _text(body: str, url: str, label: str) -> str:
    text = body.rstrip() + "\n"
    if url:
        text += "\n" + _("%(label)s in het portaal: %(url)s") % {"label": label, "url": url} + "\n"
    text += (
        "\n-- \n"
        + _("Welke e-mails u krijgt, kiest u hier: %(url)s")
        % {"url": absolute(reverse("notifications:preferences"))}
        + "\n"
    )
    return text


def notify(
    *,
    kind: str,
    recipients,
    subject: str,
    body: str,
    path: str = "",
    label: str = "",
    obj: models.Model | None = None,
) -> list[Message]:
    """Log one message per recipient (users; a plain e-mail address for someone without an
    account yet) and send it after the caller's transaction commits, as each recipient
    chose for ``kind``. ``path`` is the portal page the message is about."""
    url = absolute(path) if path else ""
    object_type, object_id = (obj._meta.label_lower, str(obj.pk)) if obj is not None else ("", "")
    rows, seen = [], set()
    for recipient in recipients:
        if isinstance(recipient, str):
            user, email, delivery = None, recipient.strip().lower(), Delivery.IMMEDIATE
        else:
            user, email = recipient, recipient.email.lower()
            delivery = delivery_for(recipient, kind)
        if not email or email in seen:
            continue
        seen.add(email)
        status = {
            Delivery.IMMEDIATE: MessageStatus.QUEUED,
            Delivery.DIGEST: MessageStatus.WAITING_DIGEST,
            Delivery.OFF: MessageStatus.OFF,
        }[delivery]
        rows.append(
            Message(
                user=user,
                to_email=email,
                kind=kind,
                subject=subject[:255],
                body=_text(body, url, label),
                url=url,
                object_label=label[:255],
                object_type=object_type,
                object_id=object_id,
                status=status,
            )
        )
    Message.objects.bulk_create(rows)
    for row in rows:
        if row.status == MessageStatus.QUEUED:
            _send_on_commit(row.pk)
    return rows


def _send_on_commit(message_id: int) -> None:
    transaction.on_commit(lambda: enqueue_delivery(message_id))


def enqueue_delivery(message_id: int) -> None:
    """Hand the message to the worker; a broker that cannot be reached leaves the row
    failed with the reason, for staff to re-send (the page that caused it still works)."""
    from kombu.exceptions import OperationalError

    from .celery import app

    # By name: the task module imports this one (stemnet/apps.py registers it at start-up).
    publish = lambda: app.tasks[DELIVER_TASK].delay(message_id)  # noqa: E731
    try:
        publish()
    except OperationalError as error:
        Message.objects.filter(pk=message_id).update(
            status=MessageStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )


def deliver(message_id: int) -> bool:
    """Send one logged message (the worker's task calls this). Already sent: nothing
    happens. A failure is written on the row and raised again, so the worker retries."""
    message = Message.objects.filter(pk=message_id).first()
    if message is None or message.status not in (MessageStatus.QUEUED, MessageStatus.FAILED):
        return False
    Message.objects.filter(pk=message_id).update(attempts=F("attempts") + 1)
    try:
        EmailMessage(message.subject, message.body, None, [message.to_email]).send()
    except Exception as error:
        Message.objects.filter(pk=message_id).update(
            status=MessageStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    Message.objects.filter(pk=message_id).update(
        status=MessageStatus.SENT, sent_at=timezone.now(), error=""
    )
    return True


def can_resend(user, message: Message) -> Decision:
    if not has_staff_powers(user):
        return refused(_("Enkel VLAIO-medewerkers kunnen een bericht opnieuw verzenden."))
    if message.status not in (MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.QUEUED):
        return refused(_("Dit bericht werd niet afzonderlijk verzonden."))
    if message.kind == MessageKind.ACCOUNT:
        return refused(
            _(
                "Een e-mail over een account bevat een persoonlijke aanmeldlink en wordt niet "
                "bewaard: laat de gebruiker hem zelf opnieuw aanvragen."
            )
        )
    return ALLOWED


@transaction.atomic
def resend(*, actor, message: Message) -> Message:
    """Staff send a logged message again (typically a failed one)."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    require(can_resend(actor, message), NotificationError)
    previous = message.status
    message.status = MessageStatus.QUEUED
    message.save(update_fields=["status"])
    record(
        actor=actor,
        action="message.resent",
        obj=message,
        payload={"previous_status": previous, "to": message.to_email},
    )
    _send_on_commit(message.pk)
    return message


def send_digests(*, day: date | None = None) -> int:
    """One e-mail per user with the messages that waited for the digest up to the end of
    ``day`` (default: yesterday). Running it again for the same day sends nothing new.
    Returns how many digests were made."""
    day = day or timezone.localdate() - timedelta(days=1)
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    waiting = (
        Message.objects.filter(
            status=MessageStatus.WAITING_DIGEST, created_at__lt=end, user__isnull=False
        )
        .order_by("user_id", "created_at", "id")
        .values_list("user_id", flat=True)
    )
    made = 0
    for user_id in sorted(set(waiting)):
        made += _digest_for(user_id, day, end)
    return made


@transaction.atomic
def _digest_for(user_id: int, day: date, end: datetime) -> int:
    rows = list(
        Message.objects.select_for_update()
        .filter(user_id=user_id, status=MessageStatus.WAITING_DIGEST, created_at__lt=end)
        .order_by("created_at", "id")
    )
    if (
        not rows
        or Message.objects.filter(user_id=user_id, kind=MessageKind.DIGEST, digest_day=day).exists()
    ):
        return 0
    with override(settings.LANGUAGE_CODE):
        lines = [
            _("Beste,"),
            "",
            _("Dit zijn de berichten van het portaal van %(day)s:")
            % {"day": day.strftime("%d-%m-%Y")},
            "",
        ]
        by_kind = defaultdict(list)
        for row in rows:
            by_kind[row.kind].append(row)
        for kind, messages in by_kind.items():
            lines.append(f"{MessageKind(kind).label} ({len(messages)})")
            for row in messages:
                lines.append(f"- {row.subject}")
                if row.url:
                    lines.append(f"  {row.url}")
            lines.append("")
        digest = Message.objects.create(
            user_id=user_id,
            to_email=rows[0].to_email,
            kind=MessageKind.DIGEST,
            subject=_("[STEM-academies] Dagelijks overzicht van %(day)s")
            % {"day": day.strftime("%d-%m-%Y")},
            body=_text(
                "\n".join(lines),
                absolute(reverse("notifications:mine")),
                _("Al uw berichten"),
            ),
            url=absolute(reverse("notifications:mine")),
            object_label=_("Al uw berichten"),
            digest_day=day,
        )
    Message.objects.filter(pk__in=[row.pk for row in rows]).update(
        status=MessageStatus.IN_DIGEST, digest=digest
    )
    _send_on_commit(digest.pk)
    return 1


# --- Reading the log --------------------------------------------------------------------


def for_user(user):
    """The messages addressed to ``user`` (their own log page)."""
    return Message.objects.filter(user=user).order_by("-created_at", "-id")


def staff_log(*, kind: str = "", status: str = "", q: str = "", day: date | None = None):
    messages = Message.objects.order_by("-created_at", "-id")
    if kind:
        messages = messages.filter(kind=kind)
    if status:
        messages = messages.filter(status=status)
    if q:
        messages = messages.filter(
            models.Q(to_email__icontains=q)
            | models.Q(subject__icontains=q)
            | models.Q(object_label__icontains=q)
        )
    if day:
        start = timezone.make_aware(datetime.combine(day, time.min))
        messages = messages.filter(created_at__gte=start, created_at__lt=start + timedelta(days=1))
    return messages
