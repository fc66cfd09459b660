"""Children's data kept only as long as needed: erasing a year's participants and attendance.

A calendar year is due once both its half-year periods are approved (awards frozen with
their per-session trace), no objection against them is open, and the retention period set
by staff (``RetentionPolicy.years``) has passed since the later approval. Erasing it, in one
transaction:

1. keeps the figures that read attendance for the year and its two periods
   (``kind_hours.figures_to_keep``), so statistics, coverage and the dashboard stay as
   they were; KIND-uren and award figures need nothing (sessions and awards stay);
2. deletes the attendance rows of the year's sessions and the enrolments of series that
   ended in or before it, then every participant of those left with neither;
3. deletes the register files imported before the year's later approval (they hold the
   same rows) and the row errors kept with them;
4. records per academy what was erased (``Erasure``, shown on the academy's page) and
   audits it.

A year already erased is skipped: running the job twice erases nothing more.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from academies import kind_hours
from academies.models import (
    Academy,
    Attendance,
    ErasedSpan,
    Erasure,
    ImportJob,
    KeptFigure,
    Participant,
    Series,
    Session,
)
from stemnet.audit import record
from stemnet.periods import HalfYear
from subsidies.models import OPEN_OBJECTION_STATES, Objection, Period, PeriodTransition

from .dashboard import FORMAT_FIELD, PROVINCE_FIELD
from .models import RetentionPolicy

#: The attendance paths the dashboard breaks unique children down by.
KEPT_FIELDS = (PROVINCE_FIELD, FORMAT_FIELD)


def policy() -> RetentionPolicy:
    """The retention period in force (the default of five years until staff set one)."""
    return RetentionPolicy.objects.filter(pk=1).first() or RetentionPolicy(pk=1)


def set_policy(*, actor, years: int, reason: str) -> RetentionPolicy:
    with transaction.atomic():
        current = RetentionPolicy.objects.select_for_update().get_or_create(pk=1)[0]
        before = current.years
        current.years, current.reason = years, reason
        current.changed_by, current.changed_at = actor, timezone.now()
        current.save()
        record(
            actor=actor,
            action="retention.policy_changed",
            obj=current,
            payload={"from": before, "to": years, "reason": reason},
        )
    return current


def _add_years(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


@dataclass(frozen=True)
class YearStatus:
    year: int
    approved_at: datetime | None  # the later of the two periods' approvals
    due_at: datetime | None
    erased_at: datetime | None
    waiting_for: str  # why it is not (yet) due; "" when due or erased

    @property
    def is_due(self) -> bool:
        return self.erased_at is None and not self.waiting_for


def year_statuses(now: datetime | None = None) -> list[YearStatus]:
    """Every year with sessions, newest first: erased, due, or what it waits for."""
    now = now or timezone.now()
    years = [y.year for y in Session.objects.dates("date", "year", order="DESC")]
    if not years:
        return []
    retention = policy().years
    erased = dict(
        ErasedSpan.objects.filter(code__regex=r"^[0-9]{4}$").values_list("code", "erased_at")
    )
    codes = [f"{y}-{h}" for y in years for h in (1, 2)]
    periods = {
        p.reporting_period.code: p
        for p in Period.objects.filter(reporting_period__code__in=codes).select_related(
            "reporting_period"
        )
    }
    approvals = dict(
        PeriodTransition.objects.filter(period__in=periods.values(), to_status="approved")
        .values("period__reporting_period__code")
        .annotate(at=Max("at"))
        .values_list("period__reporting_period__code", "at")
    )
    objections = set(
        Objection.objects.filter(state__in=OPEN_OBJECTION_STATES).values_list(
            "award__run__period__reporting_period__code", flat=True
        )
    )
    statuses = []
    for year in years:
        halves = [f"{year}-1", f"{year}-2"]
        approved = [approvals.get(c) for c in halves if periods.get(c) and periods[c].is_frozen]
        approved_at = max(approved) if len(approved) == 2 and all(approved) else None
        due_at = _add_years(approved_at, retention) if approved_at else None
        if str(year) in erased:
            waiting = ""
        elif approved_at is None:
            waiting = _("de toekenningen van beide periodes zijn nog niet goedgekeurd")
        elif objections & set(halves):
            waiting = _("er loopt nog een bezwaar")
        elif due_at > now:
            waiting = _("de bewaartermijn loopt nog")
        else:
            waiting = ""
        statuses.append(YearStatus(year, approved_at, due_at, erased.get(str(year)), waiting))
    return statuses


def _spans(year: int) -> list[tuple[str, date, date]]:
    halves = [HalfYear(year, 1), HalfYear(year, 2)]
    return [(str(year), date(year, 1, 1), date(year, 12, 31))] + [
        (h.code, h.start, h.end) for h in halves
    ]


def erase_year(year: int, *, actor=None, now: datetime | None = None) -> list[Erasure]:
    """Erase ``year``'s children's data (see the module's docstring); [] when it was erased
    before. The caller has checked that it is due."""
    now = now or timezone.now()
    retention = policy().years
    with transaction.atomic():
        if ErasedSpan.objects.select_for_update().filter(code=str(year)).exists():
            return []
        spans = _spans(year)
        kept = {code: kind_hours.figures_to_keep(s, e, fields=KEPT_FIELDS) for code, s, e in spans}
        for code, start, end in spans:
            span = ErasedSpan.objects.create(
                code=code, start_date=start, end_date=end, erased_at=now
            )
            KeptFigure.objects.bulk_create(
                [KeptFigure(span=span, name=n, key=k, value=v) for n, k, v in kept[code]],
                batch_size=500,
            )

        start, end = date(year, 1, 1), date(year, 12, 31)
        attendance = Attendance.objects.filter(session__date__gte=start, session__date__lte=end)
        enrolments = Series.participants.through.objects.filter(
            series__end_date__gte=start, series__end_date__lte=end
        )
        touched = set(attendance.values_list("participant_id", flat=True))
        touched |= set(enrolments.values_list("participant_id", flat=True))
        attendance_by_academy = dict(
            attendance.values("session__academy_id")
            .annotate(n=Count("pk"))
            .values_list("session__academy_id", "n")
        )
        # A plain delete: no write path runs, so the sessions keep their stored counts.
        attendance.delete()
        enrolments.delete()
        orphans = Participant.objects.filter(pk__in=touched).filter(
            ~Q(pk__in=Attendance.objects.values("participant_id")),
            ~Q(pk__in=Series.participants.through.objects.values("participant_id")),
        )
        participants_by_academy = dict(
            orphans.values("academy_id").annotate(n=Count("pk")).values_list("academy_id", "n")
        )
        orphans.delete()

        approved_at = next(
            (s.approved_at for s in year_statuses(now) if s.year == year and s.approved_at),
            now,
        )
        for job in ImportJob.objects.filter(created_at__lt=approved_at).exclude(file=""):
            job.file.delete(save=False)
            job.errors = []
            job.save(update_fields=["file", "errors"])

        erasures = []
        academies = Academy.objects.filter(
            pk__in=set(attendance_by_academy) | set(participants_by_academy)
        )
        for academy in academies:
            erasure = Erasure.objects.create(
                academy=academy,
                year=year,
                erased_at=now,
                participants=participants_by_academy.get(academy.pk, 0),
                attendance=attendance_by_academy.get(academy.pk, 0),
                retention_years=retention,
            )
            record(
                actor=actor,
                action="retention.erased",
                obj=academy,
                payload={
                    "year": year,
                    "participants": erasure.participants,
                    "attendance": erasure.attendance,
                    "retention_years": retention,
                },
            )
            erasures.append(erasure)
    return erasures


def run_retention(now: datetime | None = None) -> list[int]:
    """The periodic job: erase every due year, oldest first; returns the years erased."""
    now = now or timezone.now()
    erased = []
    for status in sorted(year_statuses(now), key=lambda s: s.year):
        if status.is_due:
            erase_year(status.year, now=now)
            erased.append(status.year)
    return erased


__all__ = [
    "KEPT_FIELDS",
    "YearStatus",
    "erase_year",
    "policy",
    "run_retention",
    "set_policy",
    "year_statuses",
]
