"""The award page's trace: from an award's euros to the sessions they came from.

For an approved run the per-session trace is frozen into ``AwardSession`` in the approval
transaction (one INSERT … SELECT fed by the KIND-uren module); for a draft run the same
query is read live. The rule itself lives only in ``academies.kind_hours``."""

from dataclasses import dataclass
from fractions import Fraction

from django.db import connection
from django.db.models import F, Sum

from academies.eligibility import Reason
from academies.kind_hours import with_session_trace
from academies.models import Session

from . import scheme
from .models import Award, AwardSession, Correction

#: AwardSession column -> the expression of the traced session query.
TRACE_COLUMNS = {
    "session_id": F("pk"),
    "municipality_id": F("municipality_id"),
    "date": F("date"),
    "start_time": F("start_time"),
    "end_time": F("end_time"),
    "series_code": F("series__code"),
    "activity_title": F("series__activity__title"),
    "counted_minutes": F("counted_minutes"),
    "school_minutes": F("school_minutes"),
    "over_cap_minutes": F("over_cap_minutes"),
    "attendees": F("attendees"),
    "eligible_attendees": F("eligible_attendees"),
    "recognised": F("recognised"),
    "flemish": F("flemish"),
    "earned": F("earned"),
    "lost_outside": F("lost_outside"),
    "lost_unrecognised": F("lost_unrecognised"),
    "lost_age": F("lost_age"),
    "lost_school": F("lost_school"),
    "lost_over": F("lost_over"),
}
LOST = (
    ("lost_outside", Reason.OUTSIDE_FLANDERS),
    ("lost_unrecognised", Reason.NOT_RECOGNISED),
    ("lost_age", Reason.AGE),
    ("lost_school", Reason.SCHOOL_HOURS),
    ("lost_over", Reason.OVER_MAXIMUM),
)


def _period_sessions(period):
    rp = period.reporting_period
    return Session.objects.filter(date__gte=rp.start_date, date__lte=rp.end_date)


def live_trace(award: Award):
    """The sessions of the award's academy in its period, traced now (draft runs)."""
    sessions = _period_sessions(award.run.period).filter(academy_id=award.academy_id)
    return (
        with_session_trace(sessions)
        .annotate(**{f"t_{k}": v for k, v in TRACE_COLUMNS.items() if k != "session_id"})
        .select_related("series__activity")
        .order_by("date", "start_time", "pk")
    )


def freeze_trace(run) -> int:
    """Copy the per-session trace of every award of ``run`` into AwardSession, in one
    INSERT … SELECT (before the run becomes the approved one: after that the database
    refuses any new row). Returns the number of rows."""
    # The award's id through the join that already picks the run's academies (one award
    # per academy and run), not a subquery per session.
    sessions = _period_sessions(run.period).filter(academy__awards__run=run)
    qs = (
        with_session_trace(sessions)
        .annotate(
            t_award_id=F("academy__awards__id"),
            **{f"t_{k}": v for k, v in TRACE_COLUMNS.items()},
        )
        .values("t_award_id", *(f"t_{k}" for k in TRACE_COLUMNS))
        .order_by()
    )
    sql, params = qs.query.sql_with_params()
    columns = ["award_id", *TRACE_COLUMNS]
    quote = connection.ops.quote_name
    # Identifiers are quoted names of our own table and columns; the SELECT is Django's
    # compiled query with its parameters passed separately.
    insert = (
        f"INSERT INTO {quote(AwardSession._meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(c) for c in columns)}) "
        f"SELECT {', '.join(quote('t_' + c) for c in columns)} FROM ({sql}) AS trace"
    )
    with connection.cursor() as cursor:
        cursor.execute(insert, params)
        return cursor.rowcount


@dataclass(frozen=True)
class SessionRow:
    """One traced session, frozen or live, as the pages show it."""

    session_id: int
    municipality_id: str
    date: object
    start_time: object
    end_time: object
    series_code: str
    activity_title: str
    counted_minutes: int
    attendees: int
    eligible_attendees: int
    earned: int
    lost: dict  # Reason -> child-minutes, only the reasons that lost something

    @property
    def kind_hours(self):
        from academies.kind_hours import as_kind_hours

        return as_kind_hours(self.earned)

    @property
    def lost_minutes(self) -> int:
        return sum(self.lost.values())


def _row(values: dict) -> SessionRow:
    return SessionRow(
        session_id=values["session_id"],
        municipality_id=values["municipality_id"],
        date=values["date"],
        start_time=values["start_time"],
        end_time=values["end_time"],
        series_code=values["series_code"] or "",
        activity_title=values["activity_title"] or "",
        counted_minutes=values["counted_minutes"],
        attendees=values["attendees"],
        eligible_attendees=values["eligible_attendees"],
        earned=values["earned"],
        lost={reason: values[key] for key, reason in LOST if values[key]},
    )


def is_frozen(award: Award) -> bool:
    return award.run.period.approved_run_id == award.run_id


def session_rows(award: Award, *, municipality_id=None, session_id=None) -> list[SessionRow]:
    """The award's sessions (optionally of one municipality or one session): from the
    frozen trace for the approved run, else live."""
    names = list(TRACE_COLUMNS)
    if is_frozen(award):
        qs = AwardSession.objects.filter(award=award)
        if municipality_id is not None:
            qs = qs.filter(municipality_id=municipality_id)
        if session_id is not None:
            qs = qs.filter(session_id=session_id)
        return [_row(v) for v in qs.values(*names)]
    qs = live_trace(award)
    if municipality_id is not None:
        qs = qs.filter(municipality_id=municipality_id)
    if session_id is not None:
        qs = qs.filter(pk=session_id)
    return [
        _row({k: v[k if k == "session_id" else f"t_{k}"] for k in names})
        for v in qs.annotate(session_id=F("pk")).values(
            "session_id", *(f"t_{k}" for k in names if k != "session_id")
        )
    ]


def trace_totals(award: Award) -> dict:
    """Per municipality: earned child-minutes and the number of sessions; plus lost
    child-minutes by reason for the whole award."""
    rows = session_rows(award)
    per_municipality: dict[str, dict] = {}
    lost: dict = {}
    for r in rows:
        m = per_municipality.setdefault(r.municipality_id, {"earned": 0, "sessions": 0})
        m["earned"] += r.earned
        m["sessions"] += 1
        for reason, minutes in r.lost.items():
            lost[reason] = lost.get(reason, 0) + minutes
    return {"municipalities": per_municipality, "lost": lost, "sessions": len(rows)}


def award_context(award: Award) -> dict:
    """The award's figures: parameters, points, cap and whether it bound, and per
    municipality its KIND-uren, weight and amount (the lines)."""
    run = award.run
    params = scheme.parameters_from_json(run.parameters)
    lines = list(award.lines.select_related("municipality").order_by("municipality__name"))
    how = scheme.points_of(
        {line.municipality_id: Fraction(line.child_minutes, 60) for line in lines}, params
    )
    weights = {
        line.municipality_id: params.priority_weights.get(line.municipality_id, 1) for line in lines
    }
    corrections = list(
        Correction.objects.filter(period=run.period_id, academy=award.academy_id).order_by(
            "decided_at", "pk"
        )
    )
    corrected = sum(c.amount_cents for c in corrections)
    return {
        "award": award,
        "run": run,
        "period": run.period,
        "parameters": run.parameters,
        "params": params,
        "how": how,
        "lines": lines,
        "weights": weights,
        "capped": award.cap_cents is not None and award.amount_cents == award.cap_cents,
        "frozen": is_frozen(award),
        "corrections": corrections,
        "corrections_cents": corrected,
        "total_cents": award.amount_cents + corrected,
    }


def corrections_total(period_id: int, academy_id: int) -> int:
    return (
        Correction.objects.filter(period=period_id, academy=academy_id).aggregate(
            s=Sum("amount_cents")
        )["s"]
        or 0
    )


# --- Scoped reads: staff all, an academy's members their own ------------------------------


def _scoped(qs, user, path: str):
    from stemnet.roles import has_staff_powers

    if has_staff_powers(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(**{f"{path}memberships__user": user})


def awards_for_user(user):
    """Awards of the user's academies (staff: all), of runs that finished."""
    qs = Award.objects.select_related(
        "academy", "run__period__reporting_period", "run__period__approved_run"
    )
    return _scoped(qs, user, "academy__")


def objections_for_user(user):
    from .models import Objection

    qs = Objection.objects.select_related(
        "academy", "award__run__period__reporting_period", "award__letter", "filed_by"
    )
    return _scoped(qs, user, "academy__")


def corrections_for_user(user):
    qs = Correction.objects.select_related(
        "academy", "period__reporting_period", "decided_by", "objection"
    )
    return _scoped(qs, user, "academy__")


def open_objections():
    from .models import OPEN_OBJECTION_STATES, Objection

    return (
        Objection.objects.filter(state__in=OPEN_OBJECTION_STATES)
        .select_related("academy", "award__run__period__reporting_period")
        .order_by("deadline", "pk")
    )


@dataclass(frozen=True)
class BudgetLine:
    period: object
    approved_cents: int
    corrections_cents: int

    @property
    def total_cents(self) -> int:
        return self.approved_cents + self.corrections_cents


def budget_of_year(year: int) -> dict:
    """The year's budget, each of its periods' approved total and corrections, and what is
    left; two queries."""
    from django.db.models import Q

    from .models import Period, YearBudget

    budget = YearBudget.objects.filter(year=year).first()
    periods = list(
        Period.objects.filter(reporting_period__code__startswith=f"{year}-")
        .select_related("reporting_period", "approved_run")
        .annotate(corrected=Sum("corrections__amount_cents", filter=Q()))
        .order_by("reporting_period__start_date")
    )
    lines = [
        BudgetLine(
            period=p,
            approved_cents=(p.approved_run.total_cents or 0) if p.approved_run else 0,
            corrections_cents=p.corrected or 0,
        )
        for p in periods
    ]
    approved = sum(line.approved_cents for line in lines)
    corrected = sum(line.corrections_cents for line in lines)
    budget_cents = budget.budget_cents if budget else None
    return {
        "year": year,
        "budget": budget,
        "budget_cents": budget_cents,
        "lines": lines,
        "approved_cents": approved,
        "corrections_cents": corrected,
        "spent_cents": approved + corrected,
        "left_cents": None if budget_cents is None else budget_cents - approved - corrected,
    }
