"""Eligible KIND-uren ("child-hours") in the database: the one place that writes the
eligibility rules as SQL. Every page, the subsidy calculation, the letters and the
statistics read KIND-uren through this module.

The per-session part of the rules (minutes outside school hours, at most 8 hours) is stored
on ``Session.counted_minutes`` by ``academies.eligibility``; the per-child and per-academy
parts (age 5–18 in the session's calendar year, recognition valid on the day, Flemish
municipality) are applied here. Amounts are exact integers: child-minutes.
One KIND-uur = 60 child-minutes; ``as_kind_hours`` is the one conversion for display.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear, Greatest

from stemnet.models import FLEMISH_REGION
from stemnet.subqueries import count_per_row

from .eligibility import MAX_AGE, MIN_AGE, Reason
from .models import Attendance, ErasedSpan, KeptFigure, Recognition, Session


@dataclass(frozen=True)
class ChildMinutes:
    academy_id: int
    municipality_id: str  # REFNIS code
    child_minutes: int


def as_kind_hours(child_minutes: int | None) -> Decimal:
    """Exact child-minutes shown as KIND-uren with two decimals, rounded half up."""
    return (Decimal(child_minutes or 0) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- Recognition -------------------------------------------------------------------------


def valid_on(day) -> Q:
    """Recognitions valid on ``day`` (a date, or an expression such as ``OuterRef``):
    both ends inclusive, an open end means still recognised."""
    return Q(valid_from__lte=day) & (Q(valid_until__isnull=True) | Q(valid_until__gte=day))


def valid_during(start: date, end: date) -> Q:
    """Recognitions valid on at least one day from ``start`` to ``end``."""
    return Q(valid_from__lte=end) & (Q(valid_until__isnull=True) | Q(valid_until__gte=start))


def ending_between(start: date, end: date) -> Q:
    """Recognitions whose last recognised day lies from ``start`` to ``end`` (the reminders
    before a recognition lapses; the day after ``valid_until`` earns nothing)."""
    return Q(valid_until__gte=start, valid_until__lte=end)


def recognised_on(academy, day) -> Exists:
    """Whether the academy (an id or an expression) held a recognition on ``day``."""
    return Exists(Recognition.objects.filter(valid_on(day), academy_id=academy))


def _recognised_on_session_day(session: str = "session__"):
    return recognised_on(OuterRef(f"{session}academy_id"), OuterRef(f"{session}date"))


# --- Age ---------------------------------------------------------------------------------


def age_in_session_year(session_date, birth_year: str):
    """A child's age in the calendar year of the session (session year − birth year);
    ``session_date`` is a field path or an expression such as ``OuterRef("date")``."""
    return ExtractYear(session_date) - F(birth_year)


def eligible_age(age: str = "age") -> Q:
    """On an annotated age: 5 to 18 inclusive."""
    return Q(**{f"{age}__gte": MIN_AGE, f"{age}__lte": MAX_AGE})


# --- Eligible children stored per session -------------------------------------------------
# ``Session.eligible_children`` holds the number of attending participants aged 5–18 in the
# session's calendar year, so that a period's KIND-uren are a sum over sessions
# (counted minutes × eligible children) instead of over attendance rows. Every write that
# adds or removes attendance, moves a session to another year or corrects a birth year calls
# ``refresh_eligible_children`` in its own transaction; ``manage.py check_kind_hours``
# recounts them all. Only this module reads the stored count.


def eligible_children_count(attendance_model=None):
    """Per outer session: its attending participants aged 5–18 that year (0 when none).
    ``attendance_model``: the historical model in a migration."""
    attendance_model = attendance_model or Attendance
    rows = (
        attendance_model.objects.filter(session_id=OuterRef("pk"))
        .alias(age=age_in_session_year(OuterRef("date"), "participant__birth_year"))
        .filter(eligible_age())
        .order_by()
        .values("session_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def refresh_eligible_children(
    sessions=None, *, session_model=None, attendance_model=None, batch_size: int = 2000
) -> int:
    """Recount the stored eligible children of ``sessions`` (session ids, or a queryset of
    ids; None: every session); returns the number of sessions updated. Call it inside the
    transaction of the write, after the write.

    Per batch of sessions: one grouped count over their attendance and one UPDATE that sets
    each session's count (a CASE over the counts found, 0 otherwise), so the cost does not
    depend on the planner's statistics of freshly written tables (an import, the demo
    network). ``session_model``/``attendance_model``: the historical models in a migration."""
    session_model = session_model or Session
    attendance_model = attendance_model or Attendance
    if sessions is None:
        sessions = session_model.objects.order_by("pk").values_list("pk", flat=True)
        if session_model is Session:  # an erased year's counts are all that is left of it
            sessions = sessions.exclude(in_erased_span())
    ids = sorted(set(sessions))
    updated = 0
    for first in range(0, len(ids), batch_size):
        batch = ids[first : first + batch_size]
        counts = (
            attendance_model.objects.filter(session_id__in=batch)
            .alias(age=age_in_session_year("session__date", "participant__birth_year"))
            .filter(eligible_age())
            .order_by()
            .values("session_id")
            .annotate(n=Count("pk"))
            .values_list("session_id", "n")
        )
        by_count = defaultdict(list)
        for session_id, n in counts:
            by_count[n].append(session_id)
        count = Case(
            *(When(pk__in=pks, then=Value(n)) for n, pks in sorted(by_count.items())),
            default=Value(0),
            output_field=IntegerField(),
        )
        updated += session_model.objects.filter(pk__in=batch).update(eligible_children=count)
    return updated


def sessions_with_wrong_eligible_children():
    """Sessions whose stored count differs from a recount of their attendance, with
    ``recounted``: (id, stored, recounted) tuples ordered by id."""
    return list(
        Session.objects.exclude(in_erased_span())
        .annotate(recounted=eligible_children_count())
        .exclude(eligible_children=F("recounted"))
        .order_by("pk")
        .values_list("pk", "eligible_children", "recounted")
    )


def kind_hours_version(start: date, end: date) -> tuple:
    """A cheap fingerprint of what the KIND-uren from ``start`` to ``end`` read: the
    sessions of those days (how many, the highest id, counted minutes, stored eligible
    children, child-minutes: an index-only scan on PostgreSQL) and every recognition's
    dates. Changes once committed with: attendance added or removed (the stored counts), a
    birth year corrected across 5–18, a session added or removed or its minutes changed
    (hours, a holiday change), a recognition granted, ended or withdrawn. Not seen: a
    session moved to another day or a series to another municipality with the same
    minutes (callers keep what they cache for a limited time). Two queries."""
    sessions = Session.objects.filter(date__gte=start, date__lte=end).aggregate(
        n=Count("pk"),
        top=Max("pk"),
        minutes=Sum("counted_minutes"),
        children=Sum("eligible_children"),
        earned=Sum(F("counted_minutes") * F("eligible_children")),
    )

    def stamp(field):
        return ExtractYear(field) * 372 + ExtractMonth(field) * 31 + ExtractDay(field)

    recognitions = Recognition.objects.aggregate(
        n=Count("pk"),
        top=Max("pk"),
        starts=Sum(stamp("valid_from")),
        ends=Sum(stamp("valid_until")),
        open=Count("pk", filter=Q(valid_until__isnull=True)),
    )
    return (*sessions.values(), *recognitions.values())


def eligible_sessions(start: date, end: date, *, academy_ids=None):
    """Sessions from ``start`` to ``end`` that earn KIND-uren: counted minutes and eligible
    children stored, in Flanders, the academy recognised on the day (decided here, now)."""
    qs = Session.objects.filter(
        date__gte=start,
        date__lte=end,
        municipality__region=FLEMISH_REGION,
        counted_minutes__gt=0,
        eligible_children__gt=0,
    )
    if academy_ids is not None:
        qs = qs.filter(academy_id__in=academy_ids)
    return qs.filter(recognised_on(OuterRef("academy_id"), OuterRef("date")))


def _earned_minutes():
    """Child-minutes of an eligible session: its counted minutes for each eligible child."""
    return Sum(F("counted_minutes") * F("eligible_children"))


# --- Attendance rows ---------------------------------------------------------------------


def eligible_attendance(start: date, end: date, *, academy_ids=None):
    """Attendance rows that earn KIND-uren, for sessions from ``start`` to ``end``."""
    qs = Attendance.objects.filter(
        session__date__gte=start,
        session__date__lte=end,
        session__municipality__region=FLEMISH_REGION,
        session__counted_minutes__gt=0,
    )
    if academy_ids is not None:
        qs = qs.filter(session__academy_id__in=academy_ids)
    return (
        qs.annotate(age=age_in_session_year("session__date", "participant__birth_year"))
        .filter(eligible_age())
        .filter(_recognised_on_session_day())
    )


def child_minutes_by_academy_and_municipality(
    start: date, end: date, *, academy_ids=None
) -> list[ChildMinutes]:
    """Eligible child-minutes per (academy, municipality), ordered by academy then REFNIS:
    a sum over sessions of counted minutes × stored eligible children (the input of the
    subsidy calculation). Sorted here, not in SQL: the database then groups by hashing
    instead of sorting all the period's sessions first."""
    rows = (
        eligible_sessions(start, end, academy_ids=academy_ids)
        .values_list("academy_id", "municipality_id")
        .annotate(total=_earned_minutes())
        .order_by()
    )
    return [ChildMinutes(*row) for row in sorted(rows)]


def child_minutes_by_academy_and_municipality_from_attendance(
    start: date, end: date, *, academy_ids=None
) -> list[ChildMinutes]:
    """The same figures summed over attendance rows instead of the stored counts: the
    reference the stored counts are proven against (tests, the benchmark)."""
    rows = (
        eligible_attendance(start, end, academy_ids=academy_ids)
        .values("session__academy_id", "session__municipality_id")
        .annotate(total=Sum("session__counted_minutes"))
        .order_by("session__academy_id", "session__municipality_id")
    )
    return [
        ChildMinutes(r["session__academy_id"], r["session__municipality_id"], r["total"])
        for r in rows
    ]


def child_minutes_by_municipality(start: date, end: date, *, academy_ids=None) -> dict[str, int]:
    """Eligible child-minutes per municipality (REFNIS), all academies together."""
    rows = (
        eligible_sessions(start, end, academy_ids=academy_ids)
        .values("municipality_id")
        .annotate(total=_earned_minutes())
        .order_by("municipality_id")
    )
    return {r["municipality_id"]: r["total"] for r in rows}


def _half_of(date_field: str):
    return Case(
        When(**{f"{date_field}__month__lte": 6}, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def child_minutes_by_period(start: date, end: date, *, academy_ids=None) -> dict[str, int]:
    """Eligible child-minutes per half-year period ("2016-1", "2016-2"), in one query."""
    rows = (
        eligible_sessions(start, end, academy_ids=academy_ids)
        .annotate(year=ExtractYear("date"), half=_half_of("date"))
        .values("year", "half")
        .annotate(total=_earned_minutes())
        .order_by("year", "half")
    )
    return {f"{r['year']}-{r['half']}": r["total"] for r in rows}


def eligible_totals(start: date, end: date) -> dict:
    """The network's eligible child-minutes, unique children and municipalities reached."""
    if (kept := _kept(start, end, "eligible_totals")) is not None:
        return kept
    totals = eligible_attendance(start, end).aggregate(
        minutes=Sum("session__counted_minutes"),
        children=Count("participant", distinct=True),
        municipalities=Count("session__municipality", distinct=True),
    )
    return {
        "child_minutes": totals["minutes"] or 0,
        "children": totals["children"],
        "municipalities": totals["municipalities"],
    }


def _breakdown_of(counts: dict) -> dict:
    """``breakdown``'s result from the aggregate both ways of counting compute: eligible
    child-minutes, the lost ones by reason (only the reasons that lose something), and
    the attendance rows."""
    lost = {
        Reason.OUTSIDE_FLANDERS: counts["outside"] or 0,
        Reason.NOT_RECOGNISED: counts["unrecognised"] or 0,
        Reason.AGE: counts["lost_age"] or 0,
        Reason.SCHOOL_HOURS: counts["school"] or 0,
        Reason.OVER_MAXIMUM: counts["over"] or 0,
    }
    return {
        "eligible": counts["eligible"] or 0,
        "lost": {reason: minutes for reason, minutes in lost.items() if minutes},
        "attendance": counts["attendance"] or 0,
    }


def breakdown(attendance) -> dict:
    """Over attendance rows: eligible child-minutes, and every lost child-minute by the
    first reason that applies, in this order: outside Flanders, not recognised, age, then
    (for the session's own minutes) school hours and the 8-hour maximum. One query."""
    rows = attendance.annotate(
        age=age_in_session_year("session__date", "participant__birth_year"),
        recognised=_recognised_on_session_day(),
        flemish=Case(
            When(session__municipality__region=FLEMISH_REGION, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
    )
    whole = (
        F("session__counted_minutes")
        + F("session__school_minutes")
        + F("session__over_cap_minutes")
    )
    counts_ok = Q(flemish=1, recognised=True) & eligible_age()
    counts = rows.aggregate(
        attendance=Count("id"),
        outside=Sum(Case(When(flemish=0, then=whole), default=0)),
        unrecognised=Sum(Case(When(flemish=1, recognised=False, then=whole), default=0)),
        lost_age=Sum(
            Case(When(Q(flemish=1, recognised=True) & ~eligible_age(), then=whole), default=0)
        ),
        school=Sum(Case(When(counts_ok, then="session__school_minutes"), default=0)),
        over=Sum(Case(When(counts_ok, then="session__over_cap_minutes"), default=0)),
        eligible=Sum(Case(When(counts_ok, then="session__counted_minutes"), default=0)),
    )
    return _breakdown_of(counts)


def breakdown_over_sessions(sessions) -> dict:
    """The figures of ``breakdown`` for the attendance of ``sessions``, summed over the
    sessions instead of their attendance rows: per session its attendees (an index count),
    its stored eligible children, and Flanders and recognition decided once per session
    rather than once per row. Identical while the stored counts are (``check_kind_hours``).
    One query."""
    return _breakdown_of(_sums_over_sessions(sessions))


def count_and_breakdown_over_sessions(sessions) -> tuple[int, dict]:
    """The number of ``sessions`` and their ``breakdown_over_sessions``, in its one query."""
    sums = _sums_over_sessions(sessions)
    return sums["sessions"], _breakdown_of(sums)


def _sums_over_sessions(sessions) -> dict:
    """What ``_breakdown_of`` reads, summed over ``sessions``, and their number.

    The per-session values come from the ORM (the sessions' own filters, the attendee
    count, recognition on the day, Flanders); the sums over them are written out in SQL:
    built as an ORM aggregate over those annotations, the query took Django several
    milliseconds to compile, more than the database took to answer it (a member's home,
    period and series pages each show it). Every lost child-minute by the first reason
    that applies, in ``breakdown``'s order; never below 0 outside 5–18, also where
    attendance rows are gone (an erasure) and only the stored counts remain."""
    rows = (
        sessions.annotate(
            attendees=_attendees_count(),
            recognised=recognised_on(OuterRef("academy_id"), OuterRef("date")),
            flemish=Case(
                When(municipality__region=FLEMISH_REGION, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .annotate(outside_age=_outside_age(F("eligible_children")))
        .values(
            "counted_minutes",
            "school_minutes",
            "over_cap_minutes",
            "eligible_children",
            "attendees",
            "outside_age",
            "recognised",
            "flemish",
        )
    )
    inner, params = rows.order_by().query.sql_with_params()
    whole = "(counted_minutes + school_minutes + over_cap_minutes)"
    counts = "flemish = 1 AND recognised"
    sums = {
        "sessions": "COUNT(*)",
        "attendance": "SUM(attendees)",
        "outside": f"SUM(CASE WHEN flemish = 0 THEN {whole} * attendees ELSE 0 END)",
        "unrecognised": (
            f"SUM(CASE WHEN flemish = 1 AND NOT recognised THEN {whole} * attendees ELSE 0 END)"
        ),
        "lost_age": f"SUM(CASE WHEN {counts} THEN {whole} * outside_age ELSE 0 END)",
        "school": f"SUM(CASE WHEN {counts} THEN school_minutes * eligible_children ELSE 0 END)",
        "over": f"SUM(CASE WHEN {counts} THEN over_cap_minutes * eligible_children ELSE 0 END)",
        "eligible": f"SUM(CASE WHEN {counts} THEN counted_minutes * eligible_children ELSE 0 END)",
    }
    sql = f"SELECT {', '.join(sums.values())} FROM ({inner}) AS per_session"  # noqa: S608 (the ORM's SQL, its values as parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return {name: int(value or 0) for name, value in zip(sums, row, strict=True)}


# --- Sessions ----------------------------------------------------------------------------


def _attendees_count():
    """Per outer session: its attendance rows (an index count; 0 when none)."""
    return count_per_row(Attendance, "session_id")


def _outside_age(eligible):
    """Attendees not aged 5–18: never below 0, also where attendance rows are gone (a
    children-data erasure) and only the stored counts remain."""
    return Greatest(F("attendees") - eligible, Value(0))


def _with_session_figures(sessions):
    """On sessions annotated with ``attendees`` and ``eligible_attendees``: ``recognised``,
    ``flemish``, ``outside_age`` and ``earned``."""
    return sessions.annotate(
        recognised=recognised_on(OuterRef("academy_id"), OuterRef("date")),
        flemish=Q(municipality__region=FLEMISH_REGION),
    ).annotate(
        outside_age=_outside_age(F("eligible_attendees")),
        earned=Case(
            When(
                Q(recognised=True, municipality__region=FLEMISH_REGION),
                then=F("counted_minutes") * F("eligible_attendees"),
            ),
            default=Value(0),
            output_field=IntegerField(),
        ),
    )


def with_session_kind_hours(sessions):
    """Annotate sessions with ``attendees``, ``eligible_attendees`` (age 5–18 that year),
    ``recognised`` (the academy on that day), ``flemish``, ``outside_age`` and ``earned``:
    the eligible child-minutes the session earns. Counted over attendance rows."""
    # Age 5–18 in the session's year, written as bounds on the birth year.
    eligible = Q(
        attendances__participant__birth_year__gte=ExtractYear("date") - MAX_AGE,
        attendances__participant__birth_year__lte=ExtractYear("date") - MIN_AGE,
    )
    return _with_session_figures(
        sessions.annotate(
            attendees=Count("attendances", distinct=True),
            eligible_attendees=Count("attendances", filter=eligible, distinct=True),
        )
    )


def with_stored_session_kind_hours(sessions):
    """The annotations of ``with_session_kind_hours`` from the stored counts: ``attendees``
    an index count per session, ``eligible_attendees`` its stored eligible children. No
    join of attendance and participants nor grouping of the sessions (a page of a period's
    sessions), and the same figures as ``breakdown_over_sessions``, also for an erased
    span (whose attendance rows are gone: 0 attendees, the kept eligible children)."""
    return _with_session_figures(
        sessions.annotate(attendees=_attendees_count(), eligible_attendees=F("eligible_children"))
    )


def sessions_losing_kind_hours() -> Q:
    """On sessions annotated by ``with_session_kind_hours`` or
    ``with_stored_session_kind_hours``: those that lose something."""
    return (
        Q(school_minutes__gt=0)
        | Q(over_cap_minutes__gt=0)
        | Q(recognised=False)
        | ~Q(municipality__region=FLEMISH_REGION)
        | Q(attendees__gt=F("eligible_attendees"))
    )


# --- Reporting aggregates (network dashboard) ------------------------------------------------
# Totals and breakdowns of eligible attendance for the staff dashboard. Each function is one
# query; unique children are distinct participants among eligible attendance, so they do not
# add up over periods or groups (a child can attend in both halves of a year).

#: Age groups of the dashboard: (code, youngest, oldest), inclusive; "8-14" overlaps the others
#: on purpose (the 2019–2024 policy's priority group).
AGE_GROUPS = (("5-8", 5, 8), ("9-12", 9, 12), ("13-15", 13, 15), ("16-18", 16, 18))
PRIORITY_AGE_GROUP = ("8-14", 8, 14)


@dataclass(frozen=True)
class EligibleTotals:
    child_minutes: int
    children: int
    municipalities: int
    sessions: int


def _age_range(qs, age_from: int | None, age_to: int | None):
    if age_from is not None:
        qs = qs.filter(age__gte=age_from)
    if age_to is not None:
        qs = qs.filter(age__lte=age_to)
    return qs


def eligible_filtered(
    start: date, end: date, *, age_from=None, age_to=None, filters: dict | None = None
):
    """Eligible attendance narrowed to an age range (age in the session's year) and to
    ``filters`` on the attendance row (e.g. ``{"session__municipality__province_id": ...}``)."""
    qs = _age_range(eligible_attendance(start, end), age_from, age_to)
    return qs.filter(**(filters or {}))


def _over_sessions(narrowing: dict) -> dict | None:
    """Session filters for ``narrowing`` when the stored counts can answer it (no age range,
    filters on the session only), else None: the figures then come from attendance rows."""
    if narrowing.get("age_from") is not None or narrowing.get("age_to") is not None:
        return None
    filters = narrowing.get("filters") or {}
    if not all(key.startswith("session__") for key in filters):
        return None
    return {key.removeprefix("session__"): value for key, value in filters.items()}


def _session_totals():
    return {
        "minutes": _earned_minutes(),
        "municipalities": Count("municipality_id", distinct=True),
        "sessions": Count("pk"),
    }


def network_totals(start: date, end: date, **narrowing) -> EligibleTotals:
    """Child-minutes, unique children, municipalities and sessions with eligible attendance.
    Child-minutes, municipalities and sessions are summed over sessions (stored counts) when
    the narrowing allows it; unique children always come from attendance (or, for an
    erased span without narrowing, from what was kept)."""
    if not narrowing and (kept := _kept(start, end, "network_totals")) is not None:
        return EligibleTotals(**kept)
    filters = _over_sessions(narrowing)
    if filters is None:
        row = eligible_filtered(start, end, **narrowing).aggregate(
            minutes=Sum("session__counted_minutes"),
            children=Count("participant", distinct=True),
            municipalities=Count("session__municipality", distinct=True),
            sessions=Count("session", distinct=True),
        )
    else:
        row = eligible_sessions(start, end).filter(**filters).aggregate(**_session_totals())
        row |= eligible_filtered(start, end, **narrowing).aggregate(
            children=Count("participant", distinct=True)
        )
    return EligibleTotals(
        row["minutes"] or 0, row["children"], row["municipalities"], row["sessions"]
    )


def eligible_totals_by(start: date, end: date, field: str, **narrowing) -> dict:
    """:class:`EligibleTotals` per value of ``field`` (a path from the attendance row, such as
    ``session__municipality__province_id`` or ``session__series__activity__format``)."""
    if not narrowing and (kept := _kept(start, end, "eligible_totals_by", field)) is not None:
        return _from_pairs(kept, EligibleTotals)
    filters = _over_sessions(narrowing)
    if filters is None or not field.startswith("session__"):
        rows = (
            eligible_filtered(start, end, **narrowing)
            .values(field)
            .annotate(
                minutes=Sum("session__counted_minutes"),
                children=Count("participant", distinct=True),
                municipalities=Count("session__municipality", distinct=True),
                sessions=Count("session", distinct=True),
            )
            .order_by(field)
        )
        return {
            r[field]: EligibleTotals(
                r["minutes"] or 0, r["children"], r["municipalities"], r["sessions"]
            )
            for r in rows
        }
    on_session = field.removeprefix("session__")
    rows = (
        eligible_sessions(start, end)
        .filter(**filters)
        .values(on_session)
        .annotate(**_session_totals())
        .order_by(on_session)
    )
    children = dict(
        eligible_filtered(start, end, **narrowing)
        .values(field)
        .annotate(children=Count("participant", distinct=True))
        .order_by(field)
        .values_list(field, "children")
    )
    return {
        r[on_session]: EligibleTotals(
            r["minutes"] or 0, children.get(r[on_session], 0), r["municipalities"], r["sessions"]
        )
        for r in rows
    }


def child_minutes_and_sessions_by(start: date, end: date, *fields: str) -> list[dict]:
    """Eligible child-minutes (``child_minutes``) and sessions (``sessions``) per combination
    of session ``fields`` (paths from the session, e.g. ``series__activity__stem_domains``),
    summed over sessions: for breakdowns where a child cannot be split (domains)."""
    return list(
        eligible_sessions(start, end)
        .values(*fields)
        .annotate(child_minutes=_earned_minutes(), sessions=Count("pk"))
        .order_by(*fields)
    )


def eligible_totals_by_age_group(start: date, end: date, **narrowing) -> dict[str, EligibleTotals]:
    """:class:`EligibleTotals` per age group of :data:`AGE_GROUPS` and the priority group.

    One query grouped by age, summed into groups here. Within one calendar year a child has
    one age, so its group's unique children add up exactly; over several years a child who
    changes group counts in each. Sessions are not split (a session mixes ages): 0."""
    if not narrowing and (kept := _kept(start, end, "age_groups")) is not None:
        return _from_pairs(kept, EligibleTotals)
    rows = (
        eligible_filtered(start, end, **narrowing)
        .values("age")
        .annotate(
            minutes=Sum("session__counted_minutes"),
            children=Count("participant", distinct=True),
        )
        .order_by("age")
    )
    by_age = {r["age"]: (r["minutes"] or 0, r["children"]) for r in rows}
    result = {}
    for code, low, high in (*AGE_GROUPS, PRIORITY_AGE_GROUP):
        ages = [by_age[a] for a in range(low, high + 1) if a in by_age]
        result[code] = EligibleTotals(sum(m for m, _ in ages), sum(c for _, c in ages), 0, 0)
    return result


def eligible_totals_by_period(start: date, end: date, **narrowing) -> dict[str, EligibleTotals]:
    """:class:`EligibleTotals` per half-year period ("2016-1", "2016-2"): child-minutes,
    municipalities and sessions over sessions when the narrowing allows it, unique children
    over attendance."""
    filters = _over_sessions(narrowing)
    children = (
        eligible_filtered(start, end, **narrowing)
        .annotate(year=ExtractYear("session__date"), half=_half_of("session__date"))
        .values("year", "half")
        .order_by("year", "half")
    )
    if filters is None:
        rows = children.annotate(
            minutes=Sum("session__counted_minutes"),
            children=Count("participant", distinct=True),
            municipalities=Count("session__municipality", distinct=True),
            sessions=Count("session", distinct=True),
        )
    else:
        unique = {
            (r["year"], r["half"]): r["children"]
            for r in children.annotate(children=Count("participant", distinct=True))
        }
        rows = [
            {**r, "children": unique.get((r["year"], r["half"]), 0)}
            for r in eligible_sessions(start, end)
            .filter(**filters)
            .annotate(year=ExtractYear("date"), half=_half_of("date"))
            .values("year", "half")
            .annotate(**_session_totals())
            .order_by("year", "half")
        ]
    result = {
        f"{r['year']}-{r['half']}": EligibleTotals(
            r["minutes"] or 0, r["children"], r["municipalities"], r["sessions"]
        )
        for r in rows
    }
    if not narrowing:  # an erased period's unique children are what was kept of it
        for span in ErasedSpan.objects.filter(
            code__regex=r"-[12]$", start_date__gte=start, end_date__lte=end
        ).prefetch_related("figures"):
            kept = {f.name: f.value for f in span.figures.all()}.get("network_totals")
            if kept is not None:
                result[span.code] = EligibleTotals(**kept)
    return dict(sorted(result.items()))


def eligible_participants(start: date, end: date, **narrowing):
    """Ids of the distinct participants counted as children reached (for drill-down lists)."""
    return eligible_filtered(start, end, **narrowing).values("participant_id").distinct()


# --- Reach per municipality (municipal coverage) -------------------------------------------
# What the coverage pages count per municipality, all on eligible attendance: a session,
# activity or academy counts where it earned KIND-uren; a child is a participant (the
# academy's pseudonym) with eligible attendance.


@dataclass(frozen=True)
class Reach:
    academies: int
    activities: int
    series: int
    sessions: int
    child_minutes: int
    children: int


def _reach_over_sessions(sessions, field: str, attendance) -> dict:
    """Per value of the session ``field``: academies, activities, series, sessions and
    child-minutes over sessions (stored counts), unique children over ``attendance``."""
    children = dict(
        attendance.values(f"session__{field}")
        .annotate(children=Count("participant_id", distinct=True))
        .order_by(f"session__{field}")
        .values_list(f"session__{field}", "children")
    )
    rows = (
        sessions.values(field)
        .annotate(
            academies=Count("academy_id", distinct=True),
            activities=Count("series__activity_id", distinct=True),
            series_count=Count("series_id", distinct=True),
            sessions=Count("pk"),
            child_minutes=_earned_minutes(),
        )
        .order_by(field)
    )
    return {
        r[field]: Reach(
            academies=r["academies"],
            activities=r["activities"],
            series=r["series_count"],
            sessions=r["sessions"],
            child_minutes=r["child_minutes"],
            children=children.get(r[field], 0),
        )
        for r in rows
    }


def reach_by_municipality(start: date, end: date, *, municipality_ids=None) -> dict[str, Reach]:
    """Per municipality of the sessions (REFNIS): academies, activities, series, sessions,
    eligible child-minutes (over sessions) and unique children (over attendance)."""
    if (kept := _kept(start, end, "reach_by_municipality")) is not None:
        reach = _from_pairs(kept, Reach)
        if municipality_ids is None:
            return reach
        wanted = set(municipality_ids)
        return {code: r for code, r in reach.items() if code in wanted}
    sessions, attendance = eligible_sessions(start, end), eligible_attendance(start, end)
    if municipality_ids is not None:
        sessions = sessions.filter(municipality_id__in=municipality_ids)
        attendance = attendance.filter(session__municipality_id__in=municipality_ids)
    return _reach_over_sessions(sessions, "municipality_id", attendance)


REACH_KEYS = {"academy": "academy_id", "series": "series_id"}


def reach_in_municipality(start: date, end: date, refnis: str, *, per: str) -> dict[int, Reach]:
    """The same figures per academy or per series (``per``), for the sessions held in one
    municipality: the lists a coverage figure links to."""
    if (kept := _kept(start, end, "reach_in_municipality", f"{per}:{refnis}")) is not None:
        return _from_pairs(kept, Reach)
    return _reach_over_sessions(
        eligible_sessions(start, end).filter(municipality_id=refnis),
        REACH_KEYS[per],
        eligible_attendance(start, end).filter(session__municipality_id=refnis),
    )


def children_by_residence_postal_code(start: date, end: date) -> dict[str, int]:
    """Unique children with eligible attendance per postal code of residence (children
    without a postal code are left out)."""
    if (kept := _kept(start, end, "children_by_residence")) is not None:
        return dict(kept)
    rows = (
        eligible_attendance(start, end)
        .exclude(participant__residence_postal_code="")
        .values("participant__residence_postal_code")
        .annotate(children=Count("participant_id", distinct=True))
        .order_by("participant__residence_postal_code")
    )
    return {r["participant__residence_postal_code"]: r["children"] for r in rows}


# --- Per academy and half-year period (the staff academy directory) -------------------


def child_minutes_by_academy_and_period(
    start: date, end: date, *, academy_ids
) -> dict[tuple[int, str], int]:
    """Eligible child-minutes per (academy id, half-year period code), in one query."""
    rows = (
        eligible_sessions(start, end, academy_ids=academy_ids)
        .annotate(year=ExtractYear("date"), half=_half_of("date"))
        .values("academy_id", "year", "half")
        .annotate(total=_earned_minutes())
        .order_by("academy_id", "year", "half")
    )
    return {(r["academy_id"], f"{r['year']}-{r['half']}"): r["total"] for r in rows}


# --- Per-session trace (the award page) ----------------------------------------------------


def with_session_trace(sessions):
    """Sessions annotated as by ``with_session_kind_hours`` plus, per session, every lost
    child-minute by the first reason that applies, in ``breakdown``'s order: ``lost_outside``
    (outside Flanders), ``lost_unrecognised``, ``lost_age``, then for the eligible children
    ``lost_school`` (school hours) and ``lost_over`` (above 8 hours). Summed over sessions
    these equal ``breakdown`` of their attendance; ``earned`` sums to the calculation's
    child-minutes per (academy, municipality)."""
    whole = F("counted_minutes") + F("school_minutes") + F("over_cap_minutes")
    flemish = Q(municipality__region=FLEMISH_REGION)
    counts = flemish & Q(recognised=True)

    def lost(condition, amount):
        return Case(When(condition, then=amount), default=Value(0), output_field=IntegerField())

    return with_session_kind_hours(sessions).annotate(
        lost_outside=lost(~flemish, whole * F("attendees")),
        lost_unrecognised=lost(flemish & Q(recognised=False), whole * F("attendees")),
        lost_age=lost(counts, whole * F("outside_age")),
        lost_school=lost(counts, F("school_minutes") * F("eligible_attendees")),
        lost_over=lost(counts, F("over_cap_minutes") * F("eligible_attendees")),
    )


# --- Erased spans: the figures kept when children's data is erased --------------------------
# A year whose retention period has passed loses its participants and attendance rows
# (``reporting.retention``). Just before, ``figures_to_keep`` takes every figure above that
# reads attendance, for the year and each of its halves, with the very functions the pages
# call; afterwards those functions answer an erased span from what was kept. KIND-uren and
# sessions need nothing kept: they are summed over sessions, which stay.


def in_erased_span(date_field: str = "date") -> Exists:
    """On sessions (or a path to a date): the day lies in a span whose children's data is
    erased."""
    return Exists(
        ErasedSpan.objects.filter(
            start_date__lte=OuterRef(date_field), end_date__gte=OuterRef(date_field)
        )
    )


def erased_between(start: date, end: date):
    """When children's data of some day from ``start`` to ``end`` was erased, or None."""
    return (
        ErasedSpan.objects.filter(start_date__lte=end, end_date__gte=start)
        .order_by("erased_at")
        .values_list("erased_at", flat=True)
        .first()
    )


def _kept(start: date, end: date, name: str, key: str = ""):
    """What was kept of figure ``name`` (argument ``key``) for the erased span exactly
    ``start``–``end``; None when that span is not erased. One query."""
    return (
        KeptFigure.objects.filter(span__start_date=start, span__end_date=end, name=name, key=key)
        .values_list("value", flat=True)
        .first()
    )


def _pairs(mapping: dict) -> list:
    """A figure dict as JSON: [key, value] pairs, so keys keep their type (ids, None)."""
    return [[k, asdict(v) if hasattr(v, "__dataclass_fields__") else v] for k, v in mapping.items()]


def _from_pairs(pairs: list, cls) -> dict:
    return {k: cls(**v) for k, v in pairs}


def figures_to_keep(start: date, end: date, *, fields=()) -> list[tuple[str, str, object]]:
    """(name, key, JSON value) of every figure of ``start``–``end`` that reads attendance,
    as the functions above compute it now: what ``_kept`` answers once the span is erased.
    ``fields``: the attendance paths that callers break ``eligible_totals_by`` down by."""
    reach = reach_by_municipality(start, end)
    kept = [
        ("eligible_totals", "", eligible_totals(start, end)),
        ("network_totals", "", asdict(network_totals(start, end))),
        ("age_groups", "", _pairs(eligible_totals_by_age_group(start, end))),
        ("reach_by_municipality", "", _pairs(reach)),
        ("children_by_residence", "", _pairs(children_by_residence_postal_code(start, end))),
    ]
    kept += [
        ("eligible_totals_by", field, _pairs(eligible_totals_by(start, end, field)))
        for field in fields
    ]
    kept += [
        (
            "reach_in_municipality",
            f"{per}:{refnis}",
            _pairs(reach_in_municipality(start, end, refnis, per=per)),
        )
        for refnis in reach
        for per in REACH_KEYS
    ]
    return kept


# --- A cheap stamp of every change -------------------------------------------------------


def change_stamp(*also) -> tuple:
    """The highest id of the audit trail and of the tables KIND-uren read (and of the
    models ``also``), in one query of index lookups (a millisecond at any size).

    Every service that changes what KIND-uren read writes an audit row in its own
    transaction (attendance set or removed, a session or birth year corrected, a
    recognition granted or ended, an import, an erasure), and an insert made outside a
    service raises a table's highest id; so while the stamp stays the same,
    ``kind_hours_version`` of any span stays the same too. Not seen: an update or delete
    outside a service (the admin, a shell), and for a moment a change whose transaction
    took a lower id but commits after a higher one. Callers use it to skip the dearer
    ``kind_hours_version`` and keep what they cache for a limited time."""
    from stemnet.models import AuditEvent

    from .models import Participant

    name = connection.ops.quote_name
    tops = ", ".join(
        f"(SELECT MAX({name(model._meta.pk.column)}) FROM {name(model._meta.db_table)})"  # noqa: S608
        for model in (AuditEvent, Attendance, Session, Participant, Recognition, *also)
    )
    with connection.cursor() as cursor:  # model names only, nothing from outside
        cursor.execute(f"SELECT {tops}")
        return tuple(cursor.fetchone())
