"""Subsidy periods, calculation runs, approval and letters: every write goes through here."""

import hashlib
import json
import logging
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academies.kind_hours import child_minutes_by_academy_and_municipality
from academies.selectors.organisation import admin_emails_of
from academies.services.periods import (
    close_reporting,
    get_or_create_reporting_period,
    reopen_reporting,
)
from partnerships.selectors import academies_in_funded_budget
from stemnet.audit import record
from stemnet.models import AuditEvent
from stemnet.permissions import require

from . import jobs, letters, scheme
from .models import (
    SUBSIDY_STAGES,
    Award,
    AwardLetter,
    AwardLine,
    CalculationRun,
    LetterFailure,
    Period,
    PeriodStatus,
    PeriodTransition,
    RunStatus,
)
from .permissions import can_manage_periods

logger = logging.getLogger(__name__)

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
STALE_AFTER = timedelta(minutes=35)  # a queued run's message is lost: longer than any wait
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


def heartbeat_timeout() -> timedelta:
    return timedelta(seconds=settings.SUBSIDY_HEARTBEAT_TIMEOUT)


def run_was_interrupted(run: CalculationRun, now=None) -> bool:
    """A running run whose executor is gone: its heartbeat is older than the timeout, or
    (PostgreSQL) nobody holds its advisory lock. Reads only; start_run marks it."""
    if run.status != RunStatus.RUNNING:
        return False
    now = now or timezone.now()
    beat = run.heartbeat_at or run.started_at or run.created_at
    if beat < now - heartbeat_timeout():
        return True
    if connection.vendor == "postgresql" and _try_run_lock(run.pk):
        _release_run_lock(run.pk)
        return True
    return False


def _fail_interrupted_runs(period: Period) -> None:
    """Mark the period's active runs whose executor is gone as failed: queued ones after
    STALE_AFTER (their message was lost), running ones as soon as their heartbeat stopped
    or nobody holds their lock (the worker was killed; its transaction rolled back, so no
    award of it exists)."""
    now = timezone.now()
    CalculationRun.objects.filter(
        period=period, status=RunStatus.QUEUED, created_at__lt=now - STALE_AFTER
    ).update(status=RunStatus.FAILED, error="Verlopen: de worker antwoordde niet.", finished_at=now)
    for run in CalculationRun.objects.filter(period=period, status=RunStatus.RUNNING):
        if run_was_interrupted(run, now):
            CalculationRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
                status=RunStatus.FAILED,
                error="Onderbroken: het proces van de worker stopte.",
                finished_at=now,
            )


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
        # The award pages of the approved run read this frozen trace from now on; it is
        # written while the run is not yet the approved one (then the database refuses it).
        from .awards import freeze_trace

        freeze_trace(run)
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
    overrides = overrides or {}
    values = {
        "budget_cents": period.budget_cents,
        "rate_cap_eur": period.rate_cap_eur,
        "academy_cap_cents": period.academy_cap_cents,
        "min_kind_hours": period.min_kind_hours,
        "priority_weight": period.priority_weight,
        "spread_bonus": period.spread_bonus,
        "spread_cap": period.spread_cap,
        **overrides,
    }
    if "priority" not in values:
        values["priority"] = sorted(period.priority_municipalities.values_list("refnis", flat=True))
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


def params_json(params: scheme.Parameters) -> dict:
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
    current = params_json(parameters_of(period))
    return any(run.parameters.get(key) != value for key, value in current.items())


def excluded_academies(period: Period) -> dict[int, str]:
    """The exclusion rule: academies in a funded partnership's budget for (part of) the
    period get no seed-level subsidy for it. Academy id -> the partnership's name."""
    rp = period.reporting_period
    return academies_in_funded_budget(rp.start_date, rp.end_date)


def kind_hours_rows(period: Period) -> list[tuple[int, str, int]]:
    """The period's eligible child-minutes K(a, g) per (academy, municipality), every
    academy: one aggregate over the period's sessions (``academies.kind_hours``)."""
    rp = period.reporting_period
    return [
        (r.academy_id, r.municipality_id, r.child_minutes)
        for r in child_minutes_by_academy_and_municipality(rp.start_date, rp.end_date)
    ]


def input_rows(period: Period, kag=None) -> list[tuple[int, str, int]]:
    """The scheme's input: eligible KIND-uren per (academy, municipality), without the
    academies the exclusion rule leaves out (their points go to the others). ``kag``: the
    rows of :func:`kind_hours_rows` when the caller has them (the what-if's snapshot)."""
    excluded = excluded_academies(period)
    rows = kind_hours_rows(period) if kag is None else kag
    return [row for row in rows if row[0] not in excluded]


def fingerprint(rows, params: scheme.Parameters) -> str:
    payload = json.dumps([sorted(rows), params_json(params)], separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def preview(period: Period, overrides: dict | None = None) -> scheme.Outcome:
    """What-if: the distribution for (changed) parameters, computed, never stored."""
    return scheme.calculate(input_rows(period), parameters_of(period, overrides))


def start_run(*, actor, period: Period, enqueue: bool = True) -> CalculationRun:
    """Queue a calculation; a second one while one is queued or running is refused by the
    database's partial unique index. The worker gets it once the run is committed; when the
    broker cannot take it, the run and its audit row are taken back and SubsidyError says
    so (a new start is possible at once). ``enqueue=False``: the caller executes it itself
    (``manage.py compute_subsidies``)."""
    run, event = _create_run(actor=actor, period=period)
    if enqueue:
        transaction.on_commit(lambda: _hand_over_run(run.pk, event.pk))
    return run


@transaction.atomic
def _create_run(*, actor, period: Period) -> tuple[CalculationRun, AuditEvent]:
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
    return run, record(actor=actor, action="calculation.started", obj=run)


def _hand_over_run(run_id: int, event_id: int) -> None:
    try:
        jobs.enqueue(jobs.CALCULATION, run_id)
    except jobs.JobNotQueued as error:
        with transaction.atomic():  # the worker never heard of it: nothing to keep
            AuditEvent.objects.filter(pk=event_id).delete()
            CalculationRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).delete()
        raise SubsidyError(str(error)) from error


def _progress(run: CalculationRun, value: int) -> None:
    CalculationRun.objects.filter(pk=run.pk).update(progress=value, heartbeat_at=timezone.now())


@contextmanager
def _heartbeat(run_id: int):
    """While the body runs, a thread writes the run's heartbeat every few seconds (its own
    connection): a long snapshot or calculation does not look like a dead worker."""
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(settings.SUBSIDY_HEARTBEAT_SECONDS):
                try:
                    CalculationRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError:
                    pass  # the database is busy: the next beat will do
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"heartbeat-run-{run_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=settings.SUBSIDY_HEARTBEAT_SECONDS + 5)


class _Superseded(Exception):
    """The run was marked interrupted while this process still computed it."""


def execute_run(run_id: int) -> CalculationRun | None:
    """Compute and store a run's awards in one transaction; a failure stores nothing but
    the failure. Idempotent: a queued run is executed, and a running one whose executor
    died (its advisory lock is free: the message was redelivered); anything else is left
    alone."""
    if not _try_run_lock(run_id):
        return None  # another process is executing it
    try:
        with _heartbeat(run_id):
            return _execute_locked(run_id)
    finally:
        _release_run_lock(run_id)


def _execute_locked(run_id: int) -> CalculationRun | None:
    started = time.perf_counter()
    claimed = CalculationRun.objects.filter(
        pk=run_id, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ).update(
        status=RunStatus.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        progress=5,
    )
    if not claimed:
        return None
    run = CalculationRun.objects.select_related("period__reporting_period").get(pk=run_id)
    try:
        period, params, rows = _snapshot(run.period_id)
        _progress(run, 40)
        outcome = scheme.calculate(rows, params)
        _progress(run, 70)
        with transaction.atomic():
            if not CalculationRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).exists():
                raise _Superseded  # staff restarted it meanwhile: store nothing
            _store(run, outcome)
            run.status = RunStatus.SUCCEEDED
            run.progress = 100
            run.finished_at = timezone.now()
            run.parameters = {
                **params_json(params),
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
    except _Superseded:
        return None
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
    """The run's awards, then their lines per municipality."""
    code = run.period.code
    _write_awards(
        run.pk,
        [
            (
                a.academy_id,
                f"STEM-{code}-{a.academy_id:05d}-R{run.pk}",
                a.child_minutes,
                str(a.points),
                a.cap_cents,
                a.amount_cents,
            )
            for a in outcome.awards
        ],
    )
    _write_lines(
        run.pk,
        [
            (a.academy_id, refnis, a.child_minutes_by_municipality[refnis], cents)
            for a in outcome.awards
            for refnis, cents in a.by_municipality.items()
        ],
    )


# On PostgreSQL each kind of row is written in one statement that inserts them all from
# arrays (one array per column); a line finds its award by run and academy. Elsewhere
# (SQLite in development) bulk_create.
AWARDS_FROM_ARRAYS = """
INSERT INTO subsidies_award
    (run_id, academy_id, reference, child_minutes, points, cap_cents, amount_cents)
SELECT %s, v.* FROM unnest(
    %s::bigint[], %s::varchar[], %s::bigint[], %s::varchar[], %s::bigint[], %s::bigint[]
) AS v
"""
LINES_FROM_ARRAYS = """
INSERT INTO subsidies_awardline (award_id, municipality_id, child_minutes, amount_cents)
SELECT a.id, v.refnis, v.minutes, v.cents
FROM unnest(%s::bigint[], %s::varchar[], %s::bigint[], %s::bigint[])
    AS v (academy_id, refnis, minutes, cents)
JOIN subsidies_award a ON a.run_id = %s AND a.academy_id = v.academy_id
"""


def _columns(rows: list[tuple], width: int) -> list[list]:
    return [[row[i] for row in rows] for i in range(width)]


def _write_awards(run_id: int, awards: list[tuple]) -> None:
    """``awards``: (academy id, reference, child-minutes, points, cap, amount) tuples."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(AWARDS_FROM_ARRAYS, [run_id, *_columns(awards, 6)])
        return
    Award.objects.bulk_create(
        [
            Award(
                run_id=run_id,
                academy_id=academy_id,
                reference=reference,
                child_minutes=minutes,
                points=points,
                cap_cents=cap,
                amount_cents=cents,
            )
            for academy_id, reference, minutes, points, cap, cents in awards
        ],
        batch_size=500,
    )


def _write_lines(run_id: int, lines: list[tuple]) -> None:
    """``lines``: (academy id, REFNIS, child-minutes, amount) tuples of the run's awards."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(LINES_FROM_ARRAYS, [*_columns(lines, 4), run_id])
            written = cursor.rowcount
        if written != len(lines):
            raise DatabaseError(f"{len(lines) - written} award lines found no award")
        return
    award_of = dict(Award.objects.filter(run_id=run_id).values_list("academy_id", "pk"))
    AwardLine.objects.bulk_create(
        [
            AwardLine(
                award_id=award_of[academy_id],
                municipality_id=refnis,
                child_minutes=minutes,
                amount_cents=cents,
            )
            for academy_id, refnis, minutes, cents in lines
        ],
        batch_size=500,
    )


def send_letters(*, actor, period: Period, only_missing: bool = False) -> int:
    """Render (or re-render) the letters of the approved run, in small batches: all of them,
    or ``only_missing`` those that do not exist yet (failed or interrupted ones). When the
    broker cannot take the job, its audit row is taken back and SubsidyError says so."""
    period, award_ids, event, previous = _request_letters(
        actor=actor, period=period, only_missing=only_missing
    )
    if award_ids:
        transaction.on_commit(lambda: _hand_over_letters(period.pk, award_ids, event, previous))
    return len(award_ids)


@transaction.atomic
def _request_letters(*, actor, period: Period, only_missing: bool):
    _may_manage(actor)
    period = _locked_period(period.pk)
    if not period.is_frozen or period.approved_run_id is None:
        raise SubsidyError(_("Keur de bedragen eerst goed; daarna kunnen de brieven vertrekken."))
    awards = Award.objects.filter(run=period.approved_run_id)
    if only_missing:
        awards = awards.filter(letter__isnull=True)
    award_ids = list(awards.order_by("pk").values_list("pk", flat=True))
    if not award_ids:
        return period, [], None, period.letters_requested_at
    previous = period.letters_requested_at
    LetterFailure.objects.filter(award_id__in=award_ids).delete()  # they are tried again
    period.letters_requested_at = timezone.now()
    period.save(update_fields=["letters_requested_at"])
    event = record(
        actor=actor,
        action="letters.requested",
        obj=period,
        payload={"count": len(award_ids), "only_missing": only_missing},
    )
    return period, award_ids, event, previous


def _hand_over_letters(period_id: int, award_ids: list[int], event, previous) -> None:
    try:
        jobs.enqueue(jobs.LETTERS, award_ids)
    except jobs.JobNotQueued as error:
        with transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).delete()
            Period.objects.filter(pk=period_id).update(letters_requested_at=previous)
        raise SubsidyError(str(error)) from error


def render_letter(award_id: int) -> None:
    """Render one letter to PDF and store it (see ``render_letters``); a failure is raised,
    for the task to try again."""
    awards = letters.letter_awards([award_id])
    if not awards:
        raise Award.DoesNotExist(f"award {award_id}")
    _store_letters(awards, keep_going=False)


def render_letters(award_ids: list[int]) -> list[int]:
    """Render a batch of letters to PDF and store them; the amounts are read, never
    written. The awards and what their letters show are read once for the batch; each
    letter is stored in a transaction of its own, so that one that fails loses nothing
    of the others. The first time, the academy's admins get an e-mail; when all letters
    exist the period moves to 'letters sent'. Returns the ids whose letter failed, for
    the caller to try one by one."""
    return _store_letters(letters.letter_awards(award_ids), keep_going=True)


def _store_letters(awards: list[Award], *, keep_going: bool) -> list[int]:
    """Each award's letter stored; a failure is raised, or with ``keep_going`` logged and
    its award id returned while the others go on."""
    emails = admin_emails_of({award.academy_id for award in awards})
    stored, failed = [], []
    for award in awards:
        try:
            if _store_letter(award, emails.get(award.academy_id, [])):
                stored.append(award)
        except Exception:
            if not keep_going:
                raise
            logger.warning("letter of award %s failed in its batch", award.pk, exc_info=True)
            failed.append(award.pk)
    if stored:
        LetterFailure.objects.filter(award__in=stored).delete()
        for period_id in sorted({award.run.period_id for award in stored}):
            _complete_letters(period_id)
    return failed


def _store_letter(award: Award, emails: list[str]) -> bool:
    """Render and store the award's letter; False when its run is not (or no longer) the
    approved one: nothing to send."""
    from django.core.files.base import ContentFile

    if award.run.period.approved_run_id != award.run_id:
        return False
    pdf = letters.render_pdf(letters.letter_html(award))
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
            transaction.on_commit(lambda: _notify(award, emails))
    return True


@transaction.atomic
def _complete_letters(period_id: int) -> None:
    """'Letters sent' once every award of the approved run has its letter (under the
    period's lock: of two processes storing the last letters, the later one sees both)."""
    period = _locked_period(period_id)
    missing = Award.objects.filter(run=period.approved_run_id, letter__isnull=True).exists()
    if period.status == S.APPROVED and not missing:
        _move(actor=None, period=period, to=S.LETTERS_SENT)


def record_letter_failure(award_id: int, error: BaseException) -> None:
    """A letter that failed for good (after its retries): kept with its error for staff."""
    LetterFailure.objects.update_or_create(
        award_id=award_id,
        defaults={"error": f"{type(error).__name__}: {error}"[:2000], "failed_at": timezone.now()},
    )


def _notify(award: Award, emails: list[str]) -> None:
    """The award letter is ready: a message to each admin (through the message log; an
    award letter cannot be switched off)."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from stemnet.models import MessageKind
    from stemnet.notifications import notify

    notify(
        kind=MessageKind.AWARD_LETTER,
        recipients=get_user_model().objects.filter(email__in=emails).order_by("email"),
        subject=f"[STEM-academies] Toekenningsbrief {award.run.period.code}",
        body=(
            f"Beste,\n\nDe toekenningsbrief van {award.academy.name} voor periode "
            f"{award.run.period.code} staat klaar in het portaal (referentie "
            f"{award.reference}).\n\nMet vriendelijke groeten,\nVLAIO – Team STEM\n"
        ),
        path=reverse("subsidies:letters"),
        label="Uw toekenningsbrieven",
        obj=award,
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
