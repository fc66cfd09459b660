"""Recognition terms ("erkenningstermijnen"): which term a new recognition gets and when it
ends, staff changing an end date, and the reminders before a recognition lapses."""

from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stemnet.audit import record
from stemnet.models import MessageKind
from stemnet.notifications import notify
from stemnet.roles import has_staff_powers

from ..kind_hours import ending_between
from ..models import MemberRole, Membership, Recognition, RecognitionReminder, RecognitionTerm
from ..models.recognition import TERM_YEARS
from . import AcademyError

#: Days before the end date on which the academy's admins are reminded.
REMINDER_DAYS = (60, 14)
#: A recognised academy may file its renewal this long before its recognition ends.
RENEWAL_WINDOW_DAYS = 180


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def next_term(academy, *, exclude_pk=None) -> str:
    """Provisional for the first recognition, full after a provisional one, renewed after."""
    prior = (
        Recognition.objects.filter(academy=academy)
        .exclude(pk=exclude_pk)
        .order_by("-valid_from", "-id")
        .first()
    )
    if prior is None:
        return RecognitionTerm.PROVISIONAL
    if prior.term == RecognitionTerm.PROVISIONAL or not prior.term:
        return RecognitionTerm.FULL
    return RecognitionTerm.RENEWED


def term_start(academy, decided_on: date) -> date:
    """A renewal decided while the current recognition still runs starts the day after it
    ends (no gap, no overlap); otherwise the recognition starts on the decision day."""
    ends = [
        r.valid_until
        for r in academy.recognitions.all()
        if r.valid_until is not None and r.valid_until >= decided_on
    ]
    return max(ends) + timedelta(days=1) if ends else decided_on


def term_end(start: date, term: str) -> date:
    """The last recognised day: one or three years after the start, minus one day."""
    return add_years(start, TERM_YEARS[term]) - timedelta(days=1)


def renewal_due(recognition: Recognition | None, today: date | None = None) -> bool:
    """Whether the academy may file a renewal: its recognition ends within the window."""
    today = today or timezone.localdate()
    if recognition is None or recognition.valid_until is None:
        return False
    return (recognition.valid_until - today).days <= RENEWAL_WINDOW_DAYS


def lapse_status(academy, today: date | None = None) -> dict | None:
    """What the dashboard says in plain words about the end of the academy's recognition:
    ``lapses`` (a recognition with an end date runs; ``renewed`` when a next one follows
    it), ``lapsed`` (the last one ended and none follows), or None (open-ended or never
    recognised)."""
    today = today or timezone.localdate()
    recognitions = list(academy.recognitions.order_by("valid_from", "id"))
    running = [
        r for r in recognitions if r.valid_from <= today and (r.valid_until or today) >= today
    ]
    if running:
        current = running[0]
        if current.valid_until is None:
            return None
        following = [r for r in recognitions if r.valid_from > current.valid_from]
        return {
            "state": "renewed" if following else "lapses",
            "end": current.valid_until,
            "first_day_without": current.valid_until + timedelta(days=1),
            "days": (current.valid_until - today).days,
            "next_end": following[-1].valid_until if following else None,
            "renewal_due": not following and renewal_due(current, today),
        }
    ended = [r for r in recognitions if r.valid_until is not None and r.valid_until < today]
    if ended and not any(r.valid_from > today for r in recognitions):
        last = max(ended, key=lambda r: r.valid_until)
        return {
            "state": "lapsed",
            "end": last.valid_until,
            "first_day_without": last.valid_until + timedelta(days=1),
            "days": (today - last.valid_until).days,
            "renewal_due": True,
        }
    return None


@transaction.atomic
def change_end_date(*, actor, recognition: Recognition, valid_until: date, reason: str):
    """Staff move a recognition's end date, with a reason (audited)."""
    if not has_staff_powers(actor):
        raise AcademyError(_("Enkel VLAIO-medewerkers kunnen de einddatum wijzigen."))
    if not reason.strip():
        raise AcademyError(_("Geef een reden voor de nieuwe einddatum."))
    recognition = Recognition.objects.select_for_update().get(pk=recognition.pk)
    if valid_until < recognition.valid_from:
        raise AcademyError(_("De einddatum ligt voor de start van de erkenning."))
    previous = recognition.valid_until
    recognition.valid_until = valid_until
    recognition.save(update_fields=["valid_until"])
    # A new end date earns its own reminders.
    recognition.reminders.all().delete()
    record(
        actor=actor,
        action="recognition.end_date_changed",
        obj=recognition,
        payload={
            "from": previous.isoformat() if previous else None,
            "to": valid_until.isoformat(),
            "reason": reason,
        },
    )
    return recognition


def send_reminders(*, today: date | None = None) -> int:
    """Daily: remind the admins of each academy whose recognition ends within 60 or 14 days
    and that has no recognition after it. Each reminder is sent once (a row records it), so
    running it twice the same day sends nothing twice. Returns how many were sent."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=max(REMINDER_DAYS))
    candidates = Recognition.objects.filter(
        ending_between(today, horizon), withdrawn_reason=""
    ).values_list("pk", flat=True)
    return sum(_remind(pk, today) for pk in candidates)


@transaction.atomic
def _remind(recognition_pk: int, today: date) -> int:
    recognition = (
        Recognition.objects.select_for_update().select_related("academy").get(pk=recognition_pk)
    )
    left = (recognition.valid_until - today).days
    due = min(d for d in REMINDER_DAYS if left <= d)
    renewed = any(
        other.valid_from > recognition.valid_from
        for other in Recognition.objects.filter(academy=recognition.academy_id)
    )
    if renewed or recognition.reminders.filter(days_before__lte=due).exists():
        return 0
    RecognitionReminder.objects.create(recognition=recognition, days_before=due, sent_on=today)
    academy = recognition.academy
    admins = [
        m.user
        for m in Membership.objects.filter(academy=academy, role=MemberRole.ADMIN)
        .select_related("user")
        .order_by("user__email")
    ]
    end = recognition.valid_until.strftime("%d-%m-%Y")
    notify(
        kind=MessageKind.REMINDER,
        recipients=admins,
        subject=_("[STEM-academies] De erkenning van %(academy)s loopt af op %(date)s")
        % {"academy": academy.name, "date": end},
        body=_(
            "Beste,\n\nDe erkenning van %(academy)s loopt af op %(date)s (over %(days)s "
            "dagen). Sessies na die dag leveren geen KIND-uren meer op.\n\nDien tijdig een "
            "aanvraag tot hernieuwing in; het formulier is al ingevuld met de gegevens van "
            "uw vorige aanvraag.\n\nVLAIO – Team STEM\n"
        )
        % {"academy": academy.name, "date": end, "days": left},
        path=reverse("academies:application", args=[academy.pk]),
        label=_("De hernieuwingsaanvraag"),
        obj=recognition,
    )
    record(
        actor=None,
        action="recognition.reminder_sent",
        obj=recognition,
        payload={"days_before": due, "valid_until": recognition.valid_until.isoformat()},
    )
    return 1
