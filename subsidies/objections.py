"""Objections ("bezwaar") against an award and correction decisions ("herziening").

Every write goes through here: one transaction, an audit row, mail on commit. The
objection's workflow is the table OBJECTION_STEPS; who may take a step is in
``permissions``."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from academies.selectors.organisation import admin_emails
from academies.services.recognition import MAX_ATTACHMENT_BYTES, sniff_content_type
from stemnet.audit import record
from stemnet.permissions import require

from .models import (
    Award,
    Correction,
    Objection,
    ObjectionAttachment,
    ObjectionMessage,
    ObjectionState,
    Period,
)
from .permissions import can_file_objection, can_manage_periods
from .services import SubsidyError

OS = ObjectionState
MAX_OBJECTION_ATTACHMENTS = 5
ACADEMY, STAFF = "academy", "staff"


@dataclass(frozen=True)
class ObjectionStep:
    to: str
    by: str  # ACADEMY (an admin of the academy) or STAFF
    needs_text: bool = True


#: The objection's workflow as data: (state, action) -> the step. Filing creates one in
#: SUBMITTED (before the deadline); the three decisions close it.
OBJECTION_STEPS = {
    (OS.SUBMITTED, "ask"): ObjectionStep(OS.QUESTIONED, STAFF),
    (OS.QUESTIONED, "answer"): ObjectionStep(OS.SUBMITTED, ACADEMY),
    (OS.SUBMITTED, "grant"): ObjectionStep(OS.GRANTED, STAFF),
    (OS.SUBMITTED, "partly"): ObjectionStep(OS.PARTLY, STAFF),
    (OS.SUBMITTED, "refuse"): ObjectionStep(OS.REFUSED, STAFF),
    (OS.QUESTIONED, "grant"): ObjectionStep(OS.GRANTED, STAFF),
    (OS.QUESTIONED, "partly"): ObjectionStep(OS.PARTLY, STAFF),
    (OS.QUESTIONED, "refuse"): ObjectionStep(OS.REFUSED, STAFF),
}
ACTIONS = ("ask", "answer", "grant", "partly", "refuse")
DECISIONS = ("grant", "partly", "refuse")


def letter_sent_on(award: Award):
    """The day the award letter reached the academy, or None (no letter yet)."""
    letter = getattr(award, "letter", None)
    if letter is None or letter.notified_at is None:
        return None
    return timezone.localdate(letter.notified_at)


def deadline_of(award: Award):
    """The last day to object: the period's objection days after the letter, or None."""
    sent = letter_sent_on(award)
    if sent is None:
        return None
    return sent + timedelta(days=award.run.period.objection_days)


def _approved_award(award: Award) -> Award:
    award = (
        Award.objects.select_related("run__period__reporting_period", "academy", "letter")
        .filter(pk=award.pk)
        .first()
    )
    if award is None or award.run.period.approved_run_id != award.run_id:
        raise SubsidyError(_("Bezwaar kan enkel tegen een goedgekeurde toekenning."))
    return award


def _store_attachment(*, actor, objection, upload) -> ObjectionAttachment:
    """The upload rules of the recognition attachments: at most 5 MB, PDF, PNG or JPEG by
    their first bytes, never by the name."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise SubsidyError(_("Een bijlage mag hoogstens 5 MB groot zijn."))
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff_content_type(head)
    if content_type is None:
        raise SubsidyError(_("Enkel PDF-, PNG- of JPEG-bestanden zijn toegelaten."))
    attachment = ObjectionAttachment(
        objection=objection,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def file_objection(*, actor, award: Award, reason: str, uploads=(), today=None) -> Objection:
    """An admin of the academy objects to its approved award, until the deadline."""
    award = _approved_award(award)
    require(can_file_objection(actor, award.academy), SubsidyError)
    if not reason.strip():
        raise SubsidyError(_("Geef de reden van uw bezwaar."))
    deadline = deadline_of(award)
    if deadline is None:
        raise SubsidyError(_("Bezwaar indienen kan zodra de toekenningsbrief verstuurd is."))
    today = today or timezone.localdate()
    if today > deadline:
        raise SubsidyError(
            _("De bezwaartermijn liep af op %(date)s; een bezwaar indienen kan niet meer.")
            % {"date": deadline.strftime("%d/%m/%Y")}
        )
    if len(uploads) > MAX_OBJECTION_ATTACHMENTS:
        raise SubsidyError(
            _("Een bezwaar heeft hoogstens %(n)s bijlagen.") % {"n": MAX_OBJECTION_ATTACHMENTS}
        )
    Award.objects.select_for_update().filter(pk=award.pk).get()  # one filer at a time
    if award.objections.filter(state__in=[OS.SUBMITTED, OS.QUESTIONED]).exists():
        raise SubsidyError(_("Er loopt al een bezwaar tegen deze toekenning."))
    objection = Objection.objects.create(
        award=award,
        academy=award.academy,
        reason=reason.strip(),
        filed_by=actor,
        deadline=deadline,
    )
    for upload in uploads:
        _store_attachment(actor=actor, objection=objection, upload=upload)
    record(
        actor=actor,
        action="objection.filed",
        obj=objection,
        payload={"award": award.reference, "attachments": len(uploads)},
    )
    return objection


@transaction.atomic
def objection_step(*, actor, objection: Objection, action: str, text: str = "") -> Objection:
    """Take one step of OBJECTION_STEPS: staff ask or decide, the academy answers."""
    objection = (
        Objection.objects.select_for_update()
        .select_related("academy", "award__run__period__reporting_period")
        .get(pk=objection.pk)
    )
    step = OBJECTION_STEPS.get((objection.state, action))
    if step is None:
        raise SubsidyError(
            _("Dit kan niet bij een bezwaar in de status '%(state)s'.")
            % {"state": objection.get_state_display()}
        )
    if step.by == STAFF:
        if actor is not None:
            require(can_manage_periods(actor), SubsidyError)
    else:
        require(can_file_objection(actor, objection.academy), SubsidyError)
    if step.needs_text and not text.strip():
        raise SubsidyError(
            _("Geef een motivering.") if action in DECISIONS else _("Schrijf uw bericht.")
        )
    previous = objection.state
    objection.state = step.to
    if action in DECISIONS:
        objection.motivation = text.strip()
        objection.decided_by = actor
        objection.decided_at = timezone.now()
    else:
        ObjectionMessage.objects.create(
            objection=objection,
            kind=ObjectionMessage.QUESTION if action == "ask" else ObjectionMessage.ANSWER,
            text=text.strip(),
            author=actor,
        )
    objection.save()
    record(
        actor=actor,
        action=f"objection.{action}",
        obj=objection,
        payload={"from": previous, "to": step.to, "reason": text.strip()[:500]},
    )
    if step.by == STAFF:
        emails = admin_emails(objection.academy)
        transaction.on_commit(lambda: _notify_objection(objection, action, emails))
    return objection


def _portal_link(name: str, pk: int) -> str:
    return settings.PORTAL_URL + reverse(name, args=[pk])


def _notify_objection(objection: Objection, action: str, emails: list[str]) -> None:
    from django.core.mail import send_mail

    if not emails:
        return
    subjects = {
        "ask": "Vraag over uw bezwaar",
        "grant": "Beslissing over uw bezwaar: gegrond",
        "partly": "Beslissing over uw bezwaar: gedeeltelijk gegrond",
        "refuse": "Beslissing over uw bezwaar: ongegrond",
    }
    send_mail(
        subject=f"[STEM-academies] {subjects[action]} ({objection.award.reference})",
        message=(
            f"Beste,\n\nEr is nieuws over het bezwaar van {objection.academy.name} tegen "
            f"toekenning {objection.award.reference}. U leest het in het portaal:\n"
            f"{_portal_link('subsidies:objection', objection.pk)}\n\n"
            "Met vriendelijke groeten,\nVLAIO – Team STEM\n"
        ),
        from_email=None,
        recipient_list=emails,
    )


# --- Corrections -----------------------------------------------------------------------


def approved_cents(period: Period, academy_id: int) -> int:
    """The academy's amount in the period's approved run (0 without an award)."""
    if period.approved_run_id is None:
        return 0
    award = Award.objects.filter(run=period.approved_run_id, academy_id=academy_id).first()
    return award.amount_cents if award else 0


def corrected_cents(period: Period, academy_id: int | None = None) -> int:
    qs = Correction.objects.filter(period=period)
    if academy_id is not None:
        qs = qs.filter(academy_id=academy_id)
    return qs.aggregate(s=Sum("amount_cents"))["s"] or 0


class NeedsConfirmation(SubsidyError):
    """The correction goes below zero or above the budget: staff must confirm with a reason."""


@transaction.atomic
def issue_correction(
    *,
    actor,
    period: Period,
    academy,
    amount_cents: int,
    reason: str,
    objection: Objection | None = None,
    confirm_reason: str = "",
) -> Correction:
    """A correction decision: a new record, the approved run untouched. Below zero for the
    academy or above the period's budget only with ``confirm_reason``."""
    if actor is not None:
        require(can_manage_periods(actor), SubsidyError)
    period = Period.objects.select_for_update().select_related("reporting_period").get(pk=period.pk)
    if period.approved_run_id is None:
        raise SubsidyError(_("Een herziening kan pas na de goedkeuring van de periode."))
    if not amount_cents:
        raise SubsidyError(_("Een herziening verandert het bedrag: geef een verschil."))
    if not reason.strip():
        raise SubsidyError(_("Geef de reden van de herziening."))
    if objection is not None:
        objection = Objection.objects.select_related("award__run").get(pk=objection.pk)
        if objection.academy_id != academy.pk or objection.award.run.period_id != period.pk:
            raise SubsidyError(_("Dit bezwaar hoort niet bij deze academie en periode."))
        if objection.state not in (OS.GRANTED, OS.PARTLY):
            raise SubsidyError(_("Enkel een (gedeeltelijk) gegrond bezwaar geeft een herziening."))
    approved = approved_cents(period, academy.pk)
    academy_total = approved + corrected_cents(period, academy.pk) + amount_cents
    period_total = (period.approved_run.total_cents or 0) + corrected_cents(period) + amount_cents
    problems = []
    if academy_total < 0:
        problems.append(
            _("Het totaal van de academie zou onder nul gaan (EUR %(total)s).")
            % {"total": _euro(academy_total)}
        )
    if period_total > period.budget_cents:
        problems.append(
            _(
                "Het totaal van de periode zou boven het budget gaan "
                "(EUR %(total)s > EUR %(budget)s)."
            )
            % {"total": _euro(period_total), "budget": _euro(period.budget_cents)}
        )
    if problems and not confirm_reason.strip():
        raise NeedsConfirmation(
            " ".join(problems) + " " + _("Bevestig met een reden als dit toch juist is.")
        )
    count = Correction.objects.filter(period=period, academy=academy).count()
    correction = Correction.objects.create(
        period=period,
        academy=academy,
        objection=objection,
        reference=f"STEM-{period.code}-{academy.pk:05d}-H{count + 1}",
        amount_cents=amount_cents,
        reason=reason.strip(),
        override_reason=confirm_reason.strip() if problems else "",
        decided_by=actor,
        decided_at=timezone.now(),
    )
    record(
        actor=actor,
        action="correction.issued",
        obj=correction,
        payload={
            "amount_cents": str(amount_cents),
            "total_cents": str(academy_total),
            "reason": correction.reason,
            "confirmation": correction.override_reason,
        },
    )
    emails = admin_emails(academy)
    transaction.on_commit(lambda: _notify_correction(correction, emails))
    return correction


def _euro(cents: int) -> str:
    from .templatetags.cents import euro

    return euro(cents)


def _notify_correction(correction: Correction, emails: list[str]) -> None:
    from django.core.mail import send_mail

    if emails:
        send_mail(
            subject=f"[STEM-academies] Herziening {correction.reference}",
            message=(
                f"Beste,\n\nVLAIO nam een herzieningsbeslissing voor {correction.academy.name} "
                f"voor periode {correction.period.code} (referentie {correction.reference}). "
                f"De brief staat klaar in het portaal:\n"
                f"{_portal_link('subsidies:correction_letter', correction.pk)}\n\n"
                "Met vriendelijke groeten,\nVLAIO – Team STEM\n"
            ),
            from_email=None,
            recipient_list=emails,
        )


# --- Year budget -----------------------------------------------------------------------


@transaction.atomic
def set_year_budget(*, actor, year: int, budget_cents: int):
    from .models import YearBudget

    if actor is not None:
        require(can_manage_periods(actor), SubsidyError)
    budget, _created = YearBudget.objects.update_or_create(
        year=year, defaults={"budget_cents": budget_cents}
    )
    record(
        actor=actor,
        action="budget.set",
        obj=budget,
        payload={"year": year, "budget_cents": str(budget_cents)},
    )
    return budget


@transaction.atomic
def set_objection_days(*, actor, period: Period, days: int) -> Period:
    """The objection period of a subsidy period, in days after the award letter. An
    objection keeps the deadline it was filed under."""
    if actor is not None:
        require(can_manage_periods(actor), SubsidyError)
    if not 0 <= days <= 365:
        raise SubsidyError(_("Kies een termijn van 0 tot 365 dagen."))
    previous = period.objection_days
    Period.objects.filter(pk=period.pk).update(objection_days=days)
    period.objection_days = days
    record(
        actor=actor,
        action="period.objection_days_set",
        obj=period,
        payload={"from": previous, "to": days},
    )
    return period
