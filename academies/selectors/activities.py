"""Reads for activities, series, sessions and each academy's KIND-uren per period."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Sum, Value, When
from django.db.models.functions import ExtractYear

from stemnet.models import FLEMISH_REGION
from stemnet.periods import HalfYear

from ..eligibility import MAX_AGE, MIN_AGE, Reason
from ..kind_hours import _recognised_on_session_day
from ..models import Activity, Attendance, Participant, Recognition, Series, Session
from .periods import locked_ranges, reporting_period


def activities_of(academy, *, search: str = "", format: str = ""):
    qs = Activity.objects.filter(academy=academy)
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(code__icontains=search))
    if format:
        qs = qs.filter(format=format)
    return qs.annotate(series_count=Count("series", distinct=True))


def series_of(activity):
    return (
        Series.objects.filter(activity=activity)
        .select_related("municipality")
        .annotate(
            session_count=Count("sessions", distinct=True),
            participant_count=Count("participants", distinct=True),
        )
    )


@dataclass(frozen=True)
class PeriodSummary:
    eligible: int  # child-minutes
    lost: dict  # Reason -> child-minutes
    sessions: int
    attendance: int

    @property
    def eligible_hours(self) -> Decimal:
        return _hours(self.eligible)

    def lost_hours(self):
        """(reason, KIND-uren, child-minutes) for every reason that cost something."""
        return [(reason, _hours(minutes), minutes) for reason, minutes in self.lost.items()]


def _hours(child_minutes: int) -> Decimal:
    """Exact child-minutes shown as KIND-uren with two decimals, rounded half up."""
    return (Decimal(child_minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def period_summary(academy, start: date, end: date) -> PeriodSummary:
    """Eligible KIND-uren and every ineligible part with its reason, in one query.

    A child-minute is lost for the first reason that applies, in this order: outside
    Flanders, not recognised, age, then (for the session's own minutes) school hours and
    the 8-hour maximum.
    """
    age = ExtractYear("session__date") - F("participant__birth_year")
    rows = Attendance.objects.filter(
        session__academy=academy, session__date__gte=start, session__date__lte=end
    ).annotate(
        age=age,
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
    age_ok = Q(age__gte=MIN_AGE, age__lte=MAX_AGE)
    counts = rows.aggregate(
        attendance=Count("id"),
        outside=Sum(Case(When(flemish=0, then=whole), default=0)),
        unrecognised=Sum(Case(When(flemish=1, recognised=False, then=whole), default=0)),
        lost_age=Sum(Case(When(Q(flemish=1, recognised=True) & ~age_ok, then=whole), default=0)),
        school=Sum(
            Case(
                When(Q(flemish=1, recognised=True) & age_ok, then="session__school_minutes"),
                default=0,
            )
        ),
        over=Sum(
            Case(
                When(Q(flemish=1, recognised=True) & age_ok, then="session__over_cap_minutes"),
                default=0,
            )
        ),
        eligible=Sum(
            Case(
                When(Q(flemish=1, recognised=True) & age_ok, then="session__counted_minutes"),
                default=0,
            )
        ),
    )
    lost = {
        Reason.OUTSIDE_FLANDERS: counts["outside"] or 0,
        Reason.NOT_RECOGNISED: counts["unrecognised"] or 0,
        Reason.AGE: counts["lost_age"] or 0,
        Reason.SCHOOL_HOURS: counts["school"] or 0,
        Reason.OVER_MAXIMUM: counts["over"] or 0,
    }
    return PeriodSummary(
        eligible=counts["eligible"] or 0,
        lost={reason: minutes for reason, minutes in lost.items() if minutes},
        sessions=Session.objects.filter(academy=academy, date__gte=start, date__lte=end).count(),
        attendance=counts["attendance"],
    )


def sessions_in_period(academy, start: date, end: date, *, with_losses: bool = False):
    """Sessions with their attendees, eligible-age attendees, whether the academy was
    recognised that day, and the eligible child-minutes they earn (``earned``)."""
    eligible_age = Q(attendances__participant__birth_year__gte=ExtractYear("date") - MAX_AGE) & Q(
        attendances__participant__birth_year__lte=ExtractYear("date") - MIN_AGE
    )
    recognised = Exists(
        Recognition.objects.filter(
            academy_id=OuterRef("academy_id"), valid_from__lte=OuterRef("date")
        ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=OuterRef("date")))
    )
    qs = (
        Session.objects.filter(academy=academy, date__gte=start, date__lte=end)
        .select_related("series__activity", "municipality")
        .annotate(
            attendees=Count("attendances", distinct=True),
            eligible_attendees=Count("attendances", filter=eligible_age, distinct=True),
            recognised=recognised,
            flemish=Q(municipality__region=FLEMISH_REGION),
        )
        .annotate(
            outside_age=F("attendees") - F("eligible_attendees"),
            earned=Case(
                When(
                    Q(recognised=True, municipality__region=FLEMISH_REGION),
                    then=F("counted_minutes") * F("eligible_attendees"),
                ),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .order_by("date", "start_time", "id")
    )
    if with_losses:
        qs = qs.filter(
            Q(school_minutes__gt=0)
            | Q(over_cap_minutes__gt=0)
            | Q(recognised=False)
            | ~Q(municipality__region=FLEMISH_REGION)
            | Q(attendees__gt=F("eligible_attendees"))
        )
    return qs


def series_with_activity(academy):
    return Series.objects.select_related("activity", "municipality").filter(
        activity__academy=academy
    )


def sessions_of_academy(academy):
    return (
        Session.objects.filter(academy=academy)
        .select_related("series__activity")
        .annotate(attendance_count=Count("attendances"))
    )


def participants_of_academy(academy):
    return Participant.objects.filter(academy=academy)


def is_present(session: Session, participant: Participant) -> bool:
    return Attendance.objects.filter(session=session, participant=participant).exists()


def series_page(academy, series: Series) -> dict:
    """What the series page shows besides its forms: the attendance grid, which sessions
    are locked, and the KIND-uren of the period the series starts in."""
    participants, sessions, present = attendance_grid(series)
    locked = locked_ranges(academy.pk)
    half = HalfYear.containing(series.start_date)
    return {
        "participants": participants,
        "sessions": sessions,
        "present": present,
        "locked_sessions": {
            s.pk for s in sessions if any(first <= s.date <= last for first, last in locked)
        },
        "period": reporting_period(half.code),
        "summary": period_summary(academy, half.start, half.end),
    }


def attendance_grid(series: Series):
    """Participants × sessions of a series: (participants, sessions, set of present pairs)."""
    sessions = list(series.sessions.order_by("date", "start_time"))
    participants = list(series.participants.order_by("ref"))
    present = set(
        Attendance.objects.filter(session__series=series).values_list(
            "session_id", "participant_id"
        )
    )
    return participants, sessions, present


def participants_of(academy):
    return Participant.objects.filter(academy=academy).annotate(
        sessions_attended=Count("attendances")
    )
