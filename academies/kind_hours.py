"""Eligible KIND-uren ("child-hours") aggregated in the database.

The per-session part of the rules (minutes outside school hours, at most 8 hours) is stored
on ``Session.counted_minutes`` by ``academies.eligibility``; the per-child and per-academy
parts (age 5–18 in the session's calendar year, recognition valid on the day, Flemish
municipality) are applied here, in SQL. Amounts are exact integers: child-minutes.
One KIND-uur = 60 child-minutes.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Sum, Value, When
from django.db.models.functions import ExtractYear

from stemnet.models import FLEMISH_REGION

from .eligibility import MAX_AGE, MIN_AGE
from .models import Attendance, Recognition


@dataclass(frozen=True)
class ChildMinutes:
    academy_id: int
    municipality_id: str  # REFNIS code
    child_minutes: int


def _recognised_on_session_day():
    return Exists(
        Recognition.objects.filter(
            academy_id=OuterRef("session__academy_id"),
            valid_from__lte=OuterRef("session__date"),
        ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=OuterRef("session__date")))
    )


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
        qs.annotate(age=ExtractYear("session__date") - F("participant__birth_year"))
        .filter(age__gte=MIN_AGE, age__lte=MAX_AGE)
        .filter(_recognised_on_session_day())
    )


def child_minutes_by_academy_and_municipality(
    start: date, end: date, *, academy_ids=None
) -> list[ChildMinutes]:
    """Eligible child-minutes per (academy, municipality), ordered by academy then REFNIS."""
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
        eligible_attendance(start, end, academy_ids=academy_ids)
        .values("session__municipality_id")
        .annotate(total=Sum("session__counted_minutes"))
        .order_by("session__municipality_id")
    )
    return {r["session__municipality_id"]: r["total"] for r in rows}


def child_minutes_by_period(start: date, end: date, *, academy_ids=None) -> dict[str, int]:
    """Eligible child-minutes per half-year period ("2016-1", "2016-2"), in one query."""
    half = Case(
        When(session__date__month__lte=6, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    rows = (
        eligible_attendance(start, end, academy_ids=academy_ids)
        .annotate(year=ExtractYear("session__date"), half=half)
        .values("year", "half")
        .annotate(total=Sum("session__counted_minutes"))
        .order_by("year", "half")
    )
    return {f"{r['year']}-{r['half']}": r["total"] for r in rows}
