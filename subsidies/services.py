"""Subsidy periods, calculation runs, approval and letters: every write goes through here."""

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academies.kind_hours import child_minutes_by_academy_and_municipality
from academies.selectors.organisation import admin_emails
from academies.services.periods import (
    close_reporting,
    get_or_create_reporting_period,
    reopen_reporting,
)
from partnerships.selectors import academies_in_funded_budget
from stemnet.audit import record
from stemnet.permissions import require

from . import scheme
from .models import (
    SUBSIDY_STAGES,
    Award,
    AwardLine,
    CalculationRun,
    Period,
    PeriodStatus,
    PeriodTransition,
    RunStatus,
)
from .permissions import can_manage_periods

S = PeriodStatus


@dataclass(frozen=True)
class Step:
    """One move of a period's life cycle: who takes it, and whether it needs a reason."""

    by: str  # STAFF: through transition(); SYSTEM: the calculation or the letters do it
    needs_reason: bool = False


STAFF, SYSTEM = "staff", "system"
# The life cycle as data: every move a period can make, staff's and the system's own.
TRANSITIONS = {
    (S.OPEN, S.CLOSED): Step(STAFF),
    (S.CLOSED, S.OPEN): Step(STAFF, needs_reason=True),
    (S.CALCULATED, S.OPEN): Step(STAFF, needs_reason=True),
    (S.CLOSED, S.CALCULATED): Step(SYSTEM),  # a calculation succeeded
    (S.CALCULATED, S.APPROVED): Step(STAFF),
    (S.APPROVED, S.LETTERS_SENT): Step(SYSTEM),  # the last letter of the run exists
}
STALE_AFTER = timedelta(minutes=35)  # longer than the task's hard time limit
# PostgreSQL advisory locks (namespace, run id) held by the process executing a run: when
# that process dies its connection closes and the lock goes, so a run left 'running'
# without its lock was interrupted and may be started again at once.
RUN_LOCK_NAMESPACE = 0x5354


def _try_run_lock(run_id: int) -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [RUN_LOCK_NAMESPACE, run_id])
        return cursor.fetchone()[0]


def _release_run_lock(run_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [RUN_LOCK_NAMESPACE, run_id])


def _fail_interrupted_runs(period: Period) -> None:
    """Mark the period's active runs whose executor is gone as failed: queued ones after
    STALE_AFTER (their message was lost), running ones as soon as nobody holds their lock
    (the worker was killed; its transaction rolled back, so no award of it exists)."""
    now = timezone.now()
    CalculationRun.objects.filter(
        period=period,
        status__in=[RunStatus.QUEUED, RunStatus.RUNNING],
        created_at__lt=now - STALE_AFTER,
    ).update(status=RunStatus.FAILED, error="Verlopen: de worker antwoordde niet.", finished_at=now)
    if connection.vendor != "postgresql":
        return
    for run_id in CalculationRun.objects.filter(
        period=period, status=RunStatus.RUNNING
    ).values_list("pk", flat=True):
        if _try_run_lock(run_id):
            try:
                CalculationRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
                    status=RunStatus.FAILED,
                    error="Onderbroken: het proces van de worker stopte.",
                    finished_at=now,
                )
            finally:
                _release_run_lock(run_id)


class SubsidyError(Exception):
    """A domain error with a Dutch message for the user."""


def ensure_period(code: str) -> Period:
    reporting = get_or_create_reporting_period(code)
    period, _created = Period.objects.get_or_create(reporting_period=reporting)
    return period


def _move(*, actor, period: Period, to: str, reason: str = "", by: str = SYSTEM) -> Period:
    """Take one step of TRANSITIONS (the caller holds the period's row lock): check it is
    a step ``by`` may take, store the new state in the one place it lives (reporting open
    or closed on the reporting period, the later stages on the period), and record who,
    when and why."""
    record_from = period.status
    step = TRANSITIONS.get((record_from, to))
    if step is None or step.by != by:
        raise SubsidyError(
            _("Van '%(a)s' naar '%(b)s' gaan kan niet.")
            % {"a": PeriodStatus(record_from).label, "b": PeriodStatus(to).label}
        )
    if step.needs_reason and not reason.strip():
        raise SubsidyError(_("Geef een reden om de periode te heropenen."))
    if to == S.CLOSED:
        period.reporting_period = close_reporting(actor=actor, period=period.reporting_period)
    elif to == S.OPEN:
        period.reporting_period = reopen_reporting(
            actor=actor, period=period.reporting_period, reason=reason
        )
    period.stage = to if to in SUBSIDY_STAGES else ""
    period.save(update_fields=["stage", "approved_run"])
    PeriodTransition.objects.create(
        period=period, from_status=record_from, to_status=to, actor=actor, reason=reason
    )
    record(
        actor=actor,
        action=f"period.{to}",
        obj=period,
        payload={"from": record_from, "reason": reason},
    )
    return period


def _locked_period(pk: int) -> Period:
    return Period.objects.select_for_update().select_related("reporting_period").get(pk=pk)


def _may_manage(actor) -> None:
    """Refuse anyone but staff; ``actor=None`` is the system (management commands)."""
    if actor is not None:
        require(can_manage_periods(actor), SubsidyError)


@transaction.atomic
def transition(*, actor, period: Period, to: str, reason: str = "") -> Period:
    """Staff move a period: close or reopen reporting, approve the latest calculation."""
    _may_manage(actor)
    if to not in PeriodStatus.values:
        raise SubsidyError(_("Onbekende status."))
    period = _locked_period(period.pk)
    if to == S.APPROVED and (period.status, to) in TRANSITIONS:
        run = period.runs.first()  # the latest: the one staff see on the page
        if run is None or run.status != RunStatus.SUCCEEDED:
            raise SubsidyError(_("Er is geen afgewerkte berekening om goed te keuren."))
        if parameters_changed_since(period, run):
            raise SubsidyError(
                _(
                    "De parameters zijn gewijzigd na de laatste berekening. Bereken opnieuw "
                    "voordat u goedkeurt."
                )
            )
        period.approved_run = run
    return _move(actor=actor, period=period, to=to, reason=reason, by=STAFF)


@transaction.atomic
def update_parameters(*, actor, period: Period, values: dict, priority_municipalities) -> Period:
    _may_manage(actor)
    period = _locked_period(period.pk)
    if period.is_frozen:
        raise SubsidyError(
            _("Goedgekeurde bedragen liggen vast; parameters wijzigen kan niet meer.")
        )
    for name, value in values.items():
        setattr(period, name, value)
    period.save()
    period.priority_municipalities.set(priority_municipalities)
    record(
        actor=actor,
        action="period.parameters_changed",
        obj=period,
        payload={k: str(v) for k, v in values.items()},
    )
    return period


def parameters_of(period: Period, overrides: dict | None = None) -> scheme.Parameters:
    values = {
        "budget_cents": period.budget_cents,
        "rate_cap_eur": period.rate_cap_eur,
        "academy_cap_cents": period.academy_cap_cents,
        "min_kind_hours": period.min_kind_hours,
        "priority_weight": period.priority_weight,
        "spread_bonus": period.spread_bonus,
        "spread_cap": period.spread_cap,
        "priority": sorted(period.priority_municipalities.values_list("refnis", flat=True)),
    }
    values.update(overrides or {})
    weight = Fraction(values["priority_weight"])
    return scheme.Parameters(
        budget_cents=int(values["budget_cents"]),
        rate_cap_cents=None
        if values["rate_cap_eur"] is None
        else Fraction(values["rate_cap_eur"]) * 100,
        academy_cap_cents=values["academy_cap_cents"],
        min_kind_hours=Fraction(values["min_kind_hours"]),
        priority_weights={refnis: weight for refnis in values["priority"]},
        spread_bonus=Fraction(values["spread_bonus"]),
        spread_cap=Fraction(values["spread_cap"]),
    )


def _params_json(params: scheme.Parameters) -> dict:
    return {
        "budget_cents": params.budget_cents,
        "rate_cap_cents": None if params.rate_cap_cents is None else str(params.rate_cap_cents),
        "academy_cap_cents": params.academy_cap_cents,
        "min_kind_hours": str(params.min_kind_hours),
        "priority_weights": {k: str(v) for k, v in sorted(params.priority_weights.items())},
        "spread_bonus": str(params.spread_bonus),
        "spread_cap": str(params.spread_cap),
    }


def parameters_changed_since(period: Period, run: CalculationRun) -> bool:
    """Whether the period's parameters differ from those the run was computed with."""
    current = _params_json(parameters_of(period))
    return any(run.parameters.get(key) != value for key, value in current.items())


def excluded_academies(period: Period) -> dict[int, str]:
    """The exclusion rule: academies in a funded partnership's budget for (part of) the
    period get no seed-level subsidy for it. Academy id -> the partnership's name."""
    rp = period.reporting_period
    return academies_in_funded_budget(rp.start_date, rp.end_date)


def input_rows(period: Period) -> list[tuple[int, str, int]]:
    """The scheme's input: eligible KIND-uren per (academy, municipality), without the
    academies the exclusion rule leaves out (their points go to the others)."""
    rp = period.reporting_period
    excluded = excluded_academies(period)
    return [
        (r.academy_id, r.municipality_id, r.child_minutes)
        for r in child_minutes_by_academy_and_municipality(rp.start_date, rp.end_date)
        if r.academy_id not in excluded
    ]


def fingerprint(rows, params: scheme.Parameters) -> str:
    payload = json.dumps([sorted(rows), _params_json(params)], separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def preview(period: Period, overrides: dict | None = None) -> scheme.Outcome:
    """What-if: the distribution for (changed) parameters, computed, never stored."""
    return scheme.calculate(input_rows(period), parameters_of(period, overrides))


@transaction.atomic
def start_run(*, actor, period: Period, enqueue: bool = True) -> CalculationRun:
    """Queue a calculation; a second one while one is queued or running is refused by the
    database's partial unique index. ``enqueue=False``: the caller executes it itself
    (``manage.py compute_subsidies``)."""
    _may_manage(actor)
    period = _locked_period(period.pk)
    if period.status not in (S.CLOSED, S.CALCULATED):
        raise SubsidyError(
            _(
                "Sluit de periode eerst af voor rapportering; goedgekeurde periodes "
                "worden niet herberekend."
            )
        )
    _fail_interrupted_runs(period)
    try:
        with transaction.atomic():
            run = CalculationRun.objects.create(period=period, started_by=actor)
    except IntegrityError as error:
        raise SubsidyError(
            _("Er loopt al een berekening voor periode %(code)s. Wacht tot die klaar is.")
            % {"code": period.code}
        ) from error
    record(actor=actor, action="calculation.started", obj=run)
    if enqueue:
        from .tasks import run_calculation

        transaction.on_commit(lambda: run_calculation.delay(run.pk))
    return run


def _progress(run: CalculationRun, value: int) -> None:
    CalculationRun.objects.filter(pk=run.pk).update(progress=value)


def execute_run(run_id: int) -> CalculationRun | None:
    """Compute and store a run's awards in one transaction; a failure stores nothing but
    the failure. Idempotent: a queued run is executed, and a running one whose executor
    died (its advisory lock is free: the message was redelivered); anything else is left
    alone."""
    if not _try_run_lock(run_id):
        return None  # another process is executing it
    try:
        return _execute_locked(run_id)
    finally:
        _release_run_lock(run_id)


def _execute_locked(run_id: int) -> CalculationRun | None:
    started = time.perf_counter()
    claimed = CalculationRun.objects.filter(
        pk=run_id, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ).update(status=RunStatus.RUNNING, started_at=timezone.now(), progress=5)
    if not claimed:
        return None
    run = CalculationRun.objects.select_related("period__reporting_period").get(pk=run_id)
    try:
        period, params, rows = _snapshot(run.period_id)
        _progress(run, 40)
        outcome = scheme.calculate(rows, params)
        _progress(run, 70)
        with transaction.atomic():
            _store(run, outcome)
            run.status = RunStatus.SUCCEEDED
            run.progress = 100
            run.finished_at = timezone.now()
            run.parameters = {
                **_params_json(params),
                "seconds": round(time.perf_counter() - started, 3),
                "rows": len(rows),
            }
            run.fingerprint = fingerprint(rows, params)
            run.total_cents = outcome.total_cents
            run.unspent_cents = outcome.unspent_cents
            run.save()
            locked = _locked_period(period.pk)
            if locked.status == S.CLOSED:
                _move(actor=run.started_by, period=locked, to=S.CALCULATED)
            record(
                actor=run.started_by,
                action="calculation.succeeded",
                obj=run,
                payload={"total_cents": outcome.total_cents},
            )
    except Exception as error:
        CalculationRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED, error=repr(error)[:2000], finished_at=timezone.now()
        )
        raise
    return run


def _snapshot(period_id: int):
    """The period's parameters and KIND-uren as of one moment: on PostgreSQL read in one
    REPEATABLE READ, READ ONLY transaction (when not already inside one), so that a
    parameter saved halfway cannot pair with data of another moment."""
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        period = Period.objects.select_related("reporting_period").get(pk=period_id)
        return period, parameters_of(period), input_rows(period)


def _store(run: CalculationRun, outcome: scheme.Outcome) -> None:
    code = run.period.code
    awards = Award.objects.bulk_create(
        [
            Award(
                run=run,
                academy_id=a.academy_id,
                reference=f"STEM-{code}-{a.academy_id:05d}-R{run.pk}",
                child_minutes=int(a.kind_hours * 60),
                points=str(a.points),
                cap_cents=a.cap_cents,
                amount_cents=a.amount_cents,
            )
            for a in outcome.awards
        ],
        batch_size=1000,
    )
    AwardLine.objects.bulk_create(
        [
            AwardLine(
                award=award,
                municipality_id=refnis,
                child_minutes=int(a.kind_hours_by_municipality[refnis] * 60),
                amount_cents=cents,
            )
            for award, a in zip(awards, outcome.awards, strict=True)
            for refnis, cents in a.by_municipality.items()
        ],
        batch_size=2000,
    )


@transaction.atomic
def send_letters(*, actor, period: Period) -> int:
    """Render (or re-render) every letter of the approved run, one task each."""
    _may_manage(actor)
    period = _locked_period(period.pk)
    if not period.is_frozen or period.approved_run_id is None:
        raise SubsidyError(_("Keur de bedragen eerst goed; daarna kunnen de brieven vertrekken."))
    award_ids = list(period.approved_run.awards.values_list("pk", flat=True))
    record(actor=actor, action="letters.requested", obj=period, payload={"count": len(award_ids)})
    from celery import group

    from .tasks import render_letter

    transaction.on_commit(lambda: group(render_letter.s(pk) for pk in award_ids).apply_async())
    return len(award_ids)


def render_letter(award_id: int) -> None:
    """Render one letter to PDF and store it; the amounts are read, never written. The
    first time, the academy's admins get an e-mail; when all letters exist the period
    moves to 'letters sent'."""
    from django.core.files.base import ContentFile

    from .letters import letter_html, render_pdf
    from .models import AwardLetter

    award = Award.objects.select_related(
        "run__period__reporting_period", "academy__municipality"
    ).get(pk=award_id)
    if award.run.period.approved_run_id != award.run_id:
        return  # not (or no longer) the approved run: nothing to send
    pdf = render_pdf(letter_html(award))
    with transaction.atomic():
        letter, _created = AwardLetter.objects.select_for_update().get_or_create(
            award=award, defaults={"rendered_at": timezone.now()}
        )
        if letter.file:
            letter.file.delete(save=False)
        letter.file.save(f"{award.reference}.pdf", ContentFile(pdf), save=False)
        letter.rendered_at = timezone.now()
        first_time = letter.notified_at is None
        letter.notified_at = letter.notified_at or timezone.now()
        letter.save()
        if first_time:
            emails = admin_emails(award.academy)
            transaction.on_commit(lambda: _notify(award, emails))
        period = _locked_period(award.run.period_id)
        missing = award.run.awards.filter(letter__isnull=True).exists()
        if period.status == S.APPROVED and not missing:
            _move(actor=None, period=period, to=S.LETTERS_SENT)


def _notify(award: Award, emails: list[str]) -> None:
    from django.core.mail import send_mail

    if emails:
        send_mail(
            subject=f"[STEM-academies] Toekenningsbrief {award.run.period.code}",
            message=(
                f"Beste,\n\nDe toekenningsbrief van {award.academy.name} voor periode "
                f"{award.run.period.code} staat klaar in het portaal (referentie "
                f"{award.reference}).\n\nMet vriendelijke groeten,\nVLAIO – Team STEM\n"
            ),
            from_email=None,
            recipient_list=emails,
        )


@transaction.atomic
def add_priority_municipalities(*, actor, period: Period, refnis, source: str) -> int:
    """Mark municipalities as priority municipalities of a period in one action (from the
    municipal requests, or the white spots of the previous period): they get the scheme's
    weight w. Returns how many were added."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.is_frozen:
        raise SubsidyError(
            _("Goedgekeurde bedragen liggen vast; parameters wijzigen kan niet meer.")
        )
    existing = set(period.priority_municipalities.values_list("refnis", flat=True))
    added = sorted(set(refnis) - existing)
    period.priority_municipalities.add(*added)
    record(
        actor=actor,
        action="period.priority_added",
        obj=period,
        payload={"source": source, "added": added},
    )
    return len(added)
