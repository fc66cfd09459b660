"""Helpers to build activities, register files and attendance in tests."""

import csv
import io
from datetime import date, time, timedelta

from academies.imports import COLUMNS
from academies.kind_hours import refresh_eligible_children
from academies.models import Activity, Attendance, Participant, Recognition, Series, Session
from tests.factories import AcademyFactory, municipality


def recognised_academy(since=date(2020, 1, 1), **kwargs):
    academy = AcademyFactory(**kwargs)
    Recognition.objects.create(academy=academy, valid_from=since)
    return academy


def register_rows(n_sessions=10, children=5, *, start=date(2026, 3, 7), refnis="44021"):
    """Valid register rows: weekly Saturday sessions 10:00–12:00, the same children."""
    rows = []
    for week in range(n_sessions):
        day = start + timedelta(weeks=week)
        for child in range(children):
            rows.append(
                {
                    "activity_code": "ROBOT",
                    "activity_title": "Robotica",
                    "series_code": "VJ26",
                    "session_date": day.isoformat(),
                    "start_time": "10:00",
                    "end_time": "12:00",
                    "location_nis": refnis,
                    "participant_ref": f"K{child:04d}",
                    "birth_year": str(2012 + child % 8),
                    "residence_postal_code": "9000",
                }
            )
    return rows


def to_csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def stored_session(
    academy, day, refnis="44021", minutes=120, children=(2010,), code="A1", fmt="club"
):
    """A session stored as it is (counted minutes given, not computed) with children
    attending, in series R1 of activity ``code``: for aggregate tests."""
    activity, _ = Activity.objects.get_or_create(
        academy=academy, code=code, defaults={"title": "Robotica", "format": fmt}
    )
    series, _ = Series.objects.get_or_create(
        activity=activity,
        code="R1",
        defaults={
            "municipality": municipality(refnis),
            "start_date": date(day.year, 1, 1),
            "end_date": date(day.year, 12, 31),
        },
    )
    session = Session.objects.create(
        series=series,
        academy=academy,
        municipality=municipality(refnis),
        date=day,
        start_time=time(14),
        end_time=time(16),
        counted_minutes=minutes,
    )
    for i, birth_year in enumerate(children):
        participant, _ = Participant.objects.get_or_create(
            academy=academy, ref=f"K{i}", defaults={"birth_year": birth_year}
        )
        Attendance.objects.create(session=session, participant=participant)
    refresh_eligible_children([session.pk])  # as every write path does
    session.refresh_from_db()
    return session
