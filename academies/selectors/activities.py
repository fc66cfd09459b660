"""Reads for activities, series, sessions and each academy's KIND-uren per period."""

from dataclasses import dataclass, fields
from datetime import date, time, timedelta
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from stemnet.periods import HalfYear

from .. import kind_hours
from ..kind_hours import as_kind_hours
from ..models import Activity, Attendance, Participant, Series, Session
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
        return as_kind_hours(self.eligible)

    def lost_hours(self):
        """(reason, KIND-uren, child-minutes) for every reason that cost something."""
        return [(reason, as_kind_hours(minutes), minutes) for reason, minutes in self.lost.items()]


def period_summary(academy, start: date, end: date, *, series=None) -> PeriodSummary:
    """Eligible KIND-uren and every ineligible part with its reason (see
    ``kind_hours.breakdown_over_sessions``), and the number of sessions; with ``series``,
    of that series' sessions only."""
    scope = {"series": series} if series is not None else {}
    sessions = Session.objects.filter(academy=academy, date__gte=start, date__lte=end, **scope)
    count, figures = kind_hours.count_and_breakdown_over_sessions(sessions)
    return PeriodSummary(
        eligible=figures["eligible"],
        lost=figures["lost"],
        sessions=count,
        attendance=figures["attendance"],
    )


def sessions_in_period(academy, start: date, end: date, *, with_losses: bool = False):
    """Sessions with their attendees, eligible-age attendees, whether the academy was
    recognised that day, and the eligible child-minutes they earn (``earned``), from the
    stored per-session counts: the figures of ``period_summary``."""
    qs = kind_hours.with_stored_session_kind_hours(
        Session.objects.filter(academy=academy, date__gte=start, date__lte=end).select_related(
            "series__activity", "municipality"
        )
    ).order_by("date", "start_time", "id")
    if with_losses:
        qs = qs.filter(kind_hours.sessions_losing_kind_hours())
    return qs


@dataclass(frozen=True)
class SessionRow:
    """One session of the period page's list: what its row shows, read as plain values
    (no model instances for the session, its series, activity and municipality)."""

    pk: int
    date: date
    start_time: time
    end_time: time
    series_id: int
    series_code: str
    activity_title: str
    municipality_name: str
    counted_minutes: int
    school_minutes: int
    over_cap_minutes: int
    attendees: int
    eligible_attendees: int
    outside_age: int
    earned: int
    recognised: bool
    flemish: bool


_ROW_FIELDS = {
    "series_code": "series__code",
    "activity_title": "series__activity__title",
    "municipality_name": "municipality__name",
}


def period_sessions_page(
    academy,
    start: date,
    end: date,
    number,
    *,
    with_losses: bool = False,
    per_page: int = 50,
    count: int | None = None,
) -> Page:
    """One page of ``sessions_in_period`` as :class:`SessionRow`: a count and one query for
    the page (each session's figures are a lookup of its stored counts, made for the
    page's rows only). ``count``: the number of sessions of the period when the caller
    knows it already (the summary counts them), saving the paginator's count; not with
    the loss filter."""
    names = [f.name for f in fields(SessionRow)]
    rows = sessions_in_period(academy, start, end, with_losses=with_losses).values(
        *(_ROW_FIELDS.get(name, name) for name in names)
    )
    paginator = Paginator(rows, per_page)
    if count is not None and not with_losses:
        paginator.count = count  # a cached_property: the known count instead of a query
    page = paginator.get_page(number)
    page.object_list = [
        SessionRow(*(row[_ROW_FIELDS.get(name, name)] for name in names))
        for row in page.object_list
    ]
    return page


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
    are locked, and the KIND-uren of this series (its own sessions, all its dates)."""
    participants, sessions, present = attendance_grid(series)
    locked = locked_ranges(academy.pk)
    half = HalfYear.containing(series.start_date)
    locked_sessions = {
        s.pk for s in sessions if any(first <= s.date <= last for first, last in locked)
    }
    return {
        "participants": participants,
        "sessions": sessions,
        "present": present,
        "locked_sessions": locked_sessions,
        # the whole series lies in closed or submitted periods: nothing can change
        "series_locked": _series_locked(series, locked),
        "period": reporting_period(half.code),
        "summary": series_summary(academy, series),
    }


def series_summary(academy, series: Series) -> PeriodSummary:
    """The KIND-uren block of the series page: that series' sessions only."""
    return period_summary(academy, series.start_date, series.end_date, series=series)


def _series_locked(series: Series, locked: list[tuple[date, date]]) -> bool:
    """Whether every day of the series lies in a locked range (ranges may chain)."""
    day = series.start_date
    for first, last in sorted(locked):
        if first <= day <= last:
            day = last + timedelta(days=1)
        if day > series.end_date:
            return True
    return False


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


def overlapping_sessions(
    *, academy_id: int, day, start_time, end_time, participant_ids, exclude_session_id=None
):
    """Attendance of these participants at another session of the academy that overlaps
    the given moment on the same day (a child cannot be at two sessions at once)."""
    qs = Attendance.objects.filter(
        participant_id__in=participant_ids,
        session__academy_id=academy_id,
        session__date=day,
        session__start_time__lt=end_time,
        session__end_time__gt=start_time,
    )
    if exclude_session_id is not None:
        qs = qs.exclude(session_id=exclude_session_id)
    return qs.select_related("session__series__activity", "participant").order_by(
        "session__start_time", "session_id"
    )
