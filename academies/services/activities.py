"""Activities, series, sessions, participants and attendance: writes that keep each
session's counted minutes right and respect locked periods."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from stemnet.audit import record
from stemnet.permissions import require
from stemnet.reference import is_flemish_postal_code

from ..eligibility import Calendar, clock, session_minutes
from ..kind_hours import refresh_eligible_children
from ..models import (
    Activity,
    Attendance,
    Participant,
    SchoolHoliday,
    Series,
    Session,
)
from ..permissions import can_edit_academy_data
from ..selectors.activities import overlapping_sessions
from ..selectors.periods import locked_reasons
from ..validation import date_problem, participant_problems, series_span_problem
from . import AcademyError


def _may_edit(actor, academy_id: int) -> None:
    """Refuse a member's write to another academy's register; ``actor=None`` is the system
    (management commands, the demo network)."""
    if actor is not None:
        require(can_edit_academy_data(actor, academy_id), AcademyError)


def describe_session(session: Session) -> str:
    """A session as a member recognises it: activity, series, day and hours."""
    return _("%(activity)s – reeks %(series)s op %(day)s %(start)s–%(end)s") % {
        "activity": session.series.activity.title,
        "series": session.series.code,
        "day": session.date.strftime("%d-%m-%Y"),
        "start": clock(session.start_time),
        "end": clock(session.end_time),
    }


def _refuse_overlap(session: Session, participant: Participant) -> None:
    """A child cannot be present at two overlapping sessions of the same academy."""
    other = overlapping_sessions(
        academy_id=session.academy_id,
        day=session.date,
        start_time=session.start_time,
        end_time=session.end_time,
        participant_ids=[participant.pk],
        exclude_session_id=session.pk,
    ).first()
    if other is not None:
        raise AcademyError(
            _(
                "%(ref)s is al aanwezig op een sessie die op hetzelfde moment loopt: "
                "%(other)s. Een kind kan niet op twee sessies tegelijk aanwezig zijn."
            )
            % {"ref": participant.ref, "other": describe_session(other.session)}
        )


def calendar_for(days: Iterable[date]) -> Calendar:
    """Public holidays of the years concerned plus every school holiday touching them."""
    days = list(days)
    if not days:
        return Calendar(frozenset())
    first, last = min(days), max(days)
    school = SchoolHoliday.objects.filter(start_date__lte=last, end_date__gte=first)
    return Calendar.for_years(
        range(first.year, last.year + 1), [(h.start_date, h.end_date) for h in school]
    )


def apply_minutes(sessions: list[Session], calendar: Calendar | None = None) -> list[Session]:
    """Fill counted/school/over-maximum minutes of unsaved or changed sessions."""
    calendar = calendar or calendar_for(s.date for s in sessions)
    for session in sessions:
        minutes = session_minutes(session.date, session.start_time, session.end_time, calendar)
        session.counted_minutes = minutes.counted
        session.school_minutes = minutes.school
        session.over_cap_minutes = minutes.over_maximum
    return sessions


@transaction.atomic
def recompute_minutes(*, start: date, end: date) -> int:
    """Recompute stored minutes of every session in a date range (after a holiday change)."""
    sessions = list(Session.objects.filter(date__gte=start, date__lte=end))
    apply_minutes(sessions)
    Session.objects.bulk_update(
        sessions, ["counted_minutes", "school_minutes", "over_cap_minutes"], batch_size=2000
    )
    return len(sessions)


def ensure_unlocked(academy_id: int, days: Iterable[date]) -> None:
    """Raise AcademyError when one of the days lies in a closed or submitted period.
    One query for the periods, then one check per period concerned (not per day)."""
    reasons = locked_reasons(academy_id, days)
    if reasons:
        raise AcademyError(reasons[min(reasons)])


def _check_dates(*days: date) -> None:
    for day in days:
        problem = date_problem(day)
        if problem:
            raise AcademyError(problem)


def check_participant(*, ref: str | None, birth_year: int, residence_postal_code: str) -> None:
    """Raise AcademyError with the first problem of ``academies.validation``'s rule."""
    problems = participant_problems(
        ref=ref,
        birth_year=birth_year,
        postal_code=residence_postal_code,
        this_year=timezone.localdate().year,
        is_flemish=is_flemish_postal_code,
    )
    if problems:
        raise AcademyError(problems[0].message)


@transaction.atomic
def create_activity(*, actor, academy, **fields) -> Activity:
    _may_edit(actor, academy.pk)
    if Activity.objects.filter(academy=academy, code=fields["code"]).exists():
        raise AcademyError(_("Er bestaat al een activiteit met code %(code)s.") % fields)
    activity = Activity.objects.create(academy=academy, **fields)
    record(actor=actor, action="activity.created", obj=activity, payload={"code": activity.code})
    return activity


def weekly_dates(start: date, end: date, weekdays: Iterable[int]) -> list[date]:
    weekdays = set(weekdays)
    days, day = [], start
    while day <= end:
        if day.weekday() in weekdays:
            days.append(day)
        day += timedelta(days=1)
    return days


@transaction.atomic
def create_series(
    *,
    actor,
    activity: Activity,
    code: str,
    municipality,
    start_date: date,
    end_date: date,
    venue: str = "",
    weekdays: Iterable[int] = (),
    start_time: time | None = None,
    end_time: time | None = None,
) -> Series:
    """A series, and with a weekly schedule its sessions (skipping none: staff decide).
    One request creates at most a year of at most MAX_SESSIONS_PER_SERIES sessions."""
    _may_edit(actor, activity.academy_id)
    problem = series_span_problem(start_date, end_date)
    if problem:
        raise AcademyError(problem)
    if Series.objects.filter(activity=activity, code=code).exists():
        raise AcademyError(
            _("Deze activiteit heeft al een reeks met code %(code)s.") % {"code": code}
        )
    series = Series.objects.create(
        activity=activity,
        code=code,
        municipality=municipality,
        venue=venue,
        start_date=start_date,
        end_date=end_date,
    )
    days = weekly_dates(start_date, end_date, weekdays) if weekdays else []
    problem = series_span_problem(start_date, end_date, len(days))
    if problem:
        raise AcademyError(problem)
    if days:
        if not (start_time and end_time and start_time < end_time):
            raise AcademyError(_("Geef een beginuur dat voor het einduur ligt."))
        ensure_unlocked(activity.academy_id, days)
        sessions = [
            Session(
                series=series,
                academy_id=activity.academy_id,
                municipality=municipality,
                date=day,
                start_time=start_time,
                end_time=end_time,
            )
            for day in days
        ]
        Session.objects.bulk_create(apply_minutes(sessions))
    record(
        actor=actor,
        action="series.created",
        obj=series,
        payload={"code": code, "sessions": len(days)},
    )
    return series


@transaction.atomic
def add_session(*, actor, series: Series, day: date, start_time: time, end_time: time) -> Session:
    _may_edit(actor, series.activity.academy_id)
    if not start_time < end_time:
        raise AcademyError(_("Het einduur moet na het beginuur liggen."))
    _check_dates(day)
    ensure_unlocked(series.activity.academy_id, [day])
    if Session.objects.filter(series=series, date=day, start_time=start_time).exists():
        raise AcademyError(_("Deze reeks heeft al een sessie op dat moment."))
    session = Session(
        series=series,
        academy_id=series.activity.academy_id,
        municipality_id=series.municipality_id,
        date=day,
        start_time=start_time,
        end_time=end_time,
    )
    apply_minutes([session])
    session.save()
    record(actor=actor, action="session.created", obj=session)
    return session


@transaction.atomic
def add_participant(
    *, actor, academy, ref: str, birth_year: int, residence_postal_code: str = ""
) -> Participant:
    _may_edit(actor, academy.pk)
    ref = ref.strip()
    check_participant(ref=ref, birth_year=birth_year, residence_postal_code=residence_postal_code)
    if Participant.objects.filter(academy=academy, ref=ref).exists():
        raise AcademyError(_("Er is al een deelnemer met referentie %(ref)s.") % {"ref": ref})
    participant = Participant.objects.create(
        academy=academy, ref=ref, birth_year=birth_year, residence_postal_code=residence_postal_code
    )
    record(actor=actor, action="participant.created", obj=participant)
    return participant


@transaction.atomic
def add_and_enrol_participant(
    *, actor, series: Series, ref: str, birth_year: int, residence_postal_code: str = ""
) -> Participant:
    """Enrol the academy's participant with that reference in the series, creating the
    participant first when the academy has none by that reference."""
    academy = series.activity.academy
    participant = Participant.objects.filter(academy=academy, ref=ref.strip()).first()
    if participant is None:
        participant = add_participant(
            actor=actor,
            academy=academy,
            ref=ref,
            birth_year=birth_year,
            residence_postal_code=residence_postal_code,
        )
    enrol(actor=actor, series=series, participant=participant)
    return participant


@transaction.atomic
def set_attendance(*, actor, session: Session, participant: Participant, present: bool) -> bool:
    """Mark a participant present or absent; returns the new state."""
    _may_edit(actor, session.academy_id)
    if participant.academy_id != session.academy_id:
        raise AcademyError(_("Deze deelnemer hoort niet bij deze academie."))
    ensure_unlocked(session.academy_id, [session.date])
    if present:
        _refuse_overlap(session, participant)
        Attendance.objects.get_or_create(session=session, participant=participant)
    else:
        Attendance.objects.filter(session=session, participant=participant).delete()
    refresh_eligible_children([session.pk])
    record(
        actor=actor,
        action="attendance.set",
        obj=session,
        payload={"participant": participant.ref, "present": present},
    )
    return present


@dataclass(frozen=True)
class AllPresent:
    added: int
    refused: list[str]  # references of children present at an overlapping session


@transaction.atomic
def mark_all_present(*, actor, session: Session) -> AllPresent:
    """ "Iedereen aanwezig": every participant enrolled in the session's series present,
    except those already present at an overlapping session of the academy (refused, listed)."""
    _may_edit(actor, session.academy_id)
    session = Session.objects.select_for_update().select_related("series").get(pk=session.pk)
    ensure_unlocked(session.academy_id, [session.date])
    enrolled = list(session.series.participants.order_by("ref"))
    already = set(session.attendances.values_list("participant_id", flat=True))
    candidates = [p for p in enrolled if p.pk not in already]
    clashing = set(
        overlapping_sessions(
            academy_id=session.academy_id,
            day=session.date,
            start_time=session.start_time,
            end_time=session.end_time,
            participant_ids=[p.pk for p in candidates],
            exclude_session_id=session.pk,
        ).values_list("participant_id", flat=True)
    )
    added = [p for p in candidates if p.pk not in clashing]
    Attendance.objects.bulk_create(
        [Attendance(session=session, participant=p) for p in added], ignore_conflicts=True
    )
    refresh_eligible_children([session.pk])
    refused = [p.ref for p in candidates if p.pk in clashing]
    record(
        actor=actor,
        action="attendance.all_present",
        obj=session,
        payload={"added": len(added), "refused": refused},
    )
    return AllPresent(added=len(added), refused=refused)


@transaction.atomic
def enrol(*, actor, series: Series, participant: Participant) -> None:
    _may_edit(actor, series.activity.academy_id)
    if participant.academy_id != series.activity.academy_id:
        raise AcademyError(_("Deze deelnemer hoort niet bij deze academie."))
    series.participants.add(participant)
    record(actor=actor, action="series.enrolled", obj=series, payload={"ref": participant.ref})


@transaction.atomic
def copy_participants(*, actor, source: Series, target: Series) -> int:
    """Enrol in ``target`` everyone enrolled in ``source`` (same academy); returns how many
    were added."""
    _may_edit(actor, target.activity.academy_id)
    if source.activity.academy_id != target.activity.academy_id:
        raise AcademyError(_("U kunt enkel deelnemers van uw eigen reeksen kopiëren."))
    already = set(target.participants.values_list("pk", flat=True))
    new = [pk for pk in source.participants.values_list("pk", flat=True) if pk not in already]
    target.participants.add(*new)
    record(
        actor=actor,
        action="series.participants_copied",
        obj=target,
        payload={"from": source.pk, "count": len(new)},
    )
    return len(new)


ACTIVITY_FIELDS = ("title", "description", "stem_domains", "min_age", "max_age", "format")


@transaction.atomic
def update_activity(*, actor, activity: Activity, **fields) -> Activity:
    """Change an activity's description (its code stays: register files refer to it)."""
    _may_edit(actor, activity.academy_id)
    # Compare with the stored row: a bound ModelForm has already changed ``activity``.
    stored = Activity.objects.select_for_update().get(pk=activity.pk)
    changed = {}
    for name, value in fields.items():
        if name not in (*ACTIVITY_FIELDS, "is_public"):
            raise AcademyError(_("Dit veld kunt u niet wijzigen."))
        if getattr(stored, name) != value:
            changed[name] = value
        setattr(activity, name, value)
    if changed:
        activity.save(update_fields=list(changed))
        record(actor=actor, action="activity.updated", obj=activity, payload=list(changed))
    return activity


@transaction.atomic
def update_series(
    *, actor, series: Series, municipality, venue: str, start_date: date, end_date: date
) -> Series:
    """Change a series' place and dates. Its sessions must stay within the dates; a new
    place moves its sessions too, which is not allowed in a locked period."""
    _may_edit(actor, series.activity.academy_id)
    if end_date < start_date:
        raise AcademyError(_("De einddatum ligt voor de startdatum."))
    _check_dates(start_date, end_date)
    sessions = Session.objects.filter(series=series)
    if sessions.filter(Q(date__lt=start_date) | Q(date__gt=end_date)).exists():
        raise AcademyError(_("Er zijn sessies buiten deze data: verwijder of verplaats ze eerst."))
    if municipality.pk != series.municipality_id:
        ensure_unlocked(series.activity.academy_id, sessions.values_list("date", flat=True))
        sessions.update(municipality=municipality)
    series.municipality = municipality
    series.venue = venue
    series.start_date, series.end_date = start_date, end_date
    series.save(update_fields=["municipality", "venue", "start_date", "end_date"])
    record(
        actor=actor,
        action="series.updated",
        obj=series,
        payload={"municipality": municipality.pk, "from": str(start_date), "to": str(end_date)},
    )
    return series


@transaction.atomic
def update_session(
    *, actor, session: Session, day: date, start_time: time, end_time: time
) -> Session:
    """Move a session or change its hours; both the old and the new day must be open."""
    _may_edit(actor, session.academy_id)
    if not start_time < end_time:
        raise AcademyError(_("Het einduur moet na het beginuur liggen."))
    _check_dates(day)
    ensure_unlocked(session.academy_id, [session.date, day])
    if (
        Session.objects.filter(series_id=session.series_id, date=day, start_time=start_time)
        .exclude(pk=session.pk)
        .exists()
    ):
        raise AcademyError(_("Deze reeks heeft al een sessie op dat moment."))
    series = session.series
    if not series.start_date <= day <= series.end_date:
        raise AcademyError(_("De datum valt buiten de reeks."))
    clash = overlapping_sessions(
        academy_id=session.academy_id,
        day=day,
        start_time=start_time,
        end_time=end_time,
        participant_ids=session.attendances.values_list("participant_id", flat=True),
        exclude_session_id=session.pk,
    ).first()
    if clash is not None:
        raise AcademyError(
            _(
                "%(ref)s is aanwezig op deze sessie en op %(other)s: op dat moment zouden "
                "ze overlappen. Een kind kan niet op twee sessies tegelijk aanwezig zijn."
            )
            % {"ref": clash.participant.ref, "other": describe_session(clash.session)}
        )
    session.date, session.start_time, session.end_time = day, start_time, end_time
    apply_minutes([session])
    session.save()
    refresh_eligible_children([session.pk])  # another year: other ages
    record(actor=actor, action="session.updated", obj=session)
    return session


@transaction.atomic
def delete_session(*, actor, session: Session) -> None:
    """Remove a session and its attendance (not in a locked period)."""
    _may_edit(actor, session.academy_id)
    ensure_unlocked(session.academy_id, [session.date])
    record(
        actor=actor,
        action="session.deleted",
        obj=session,
        payload={"date": str(session.date), "attendance": session.attendances.count()},
    )
    session.delete()


@transaction.atomic
def unenrol(*, actor, series: Series, participant: Participant) -> int:
    """Take a participant off a series, with their attendance at its sessions; returns how
    many attendance rows went. Refused when one of them is in a locked period."""
    _may_edit(actor, series.activity.academy_id)
    attendance = Attendance.objects.filter(session__series=series, participant=participant)
    ensure_unlocked(series.activity.academy_id, attendance.values_list("session__date", flat=True))
    sessions = set(attendance.values_list("session_id", flat=True))
    removed, _details = attendance.delete()
    refresh_eligible_children(sessions)
    series.participants.remove(participant)
    record(
        actor=actor,
        action="series.unenrolled",
        obj=series,
        payload={"ref": participant.ref, "attendance": removed},
    )
    return removed


@transaction.atomic
def update_participant(
    *, actor, participant: Participant, birth_year: int, residence_postal_code: str = ""
) -> Participant:
    """Correct a child's birth year or postal code; a birth year changes eligibility, so
    it may not touch a locked period."""
    _may_edit(actor, participant.academy_id)
    check_participant(ref=None, birth_year=birth_year, residence_postal_code=residence_postal_code)
    if birth_year != participant.birth_year:
        ensure_unlocked(
            participant.academy_id,
            participant.attendances.values_list("session__date", flat=True),
        )
    changed_year = birth_year != participant.birth_year
    participant.birth_year = birth_year
    participant.residence_postal_code = residence_postal_code
    participant.save(update_fields=["birth_year", "residence_postal_code"])
    if changed_year:
        refresh_eligible_children(participant.attendances.values_list("session_id", flat=True))
    record(actor=actor, action="participant.updated", obj=participant)
    return participant
