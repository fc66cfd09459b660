"""Session.eligible_children: kept right by every write that changes it, checked by
``manage.py check_kind_hours``, and KIND-uren summed over sessions equal to the sum over
attendance rows to the child-minute."""

import random
from datetime import date, time, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from academies import kind_hours
from academies.eligibility import child_counts
from academies.imports import import_attendance
from academies.models import Academy, Attendance, Participant, Recognition, Session
from academies.services import activities as services
from tests.factories import AcademyFactory, make_member
from tests.factories.activities import recognised_academy, register_rows

pytestmark = pytest.mark.django_db


def _python_counts(sessions) -> dict[int, int]:
    """Eligible children per session, counted in Python with the pure rule."""
    counts = {s.pk: 0 for s in sessions}
    for a in Attendance.objects.filter(session__in=sessions).select_related(
        "session", "participant"
    ):
        counts[a.session_id] += child_counts(a.session.date, a.participant.birth_year)
    return counts


def _stored(sessions) -> dict[int, int]:
    return dict(
        Session.objects.filter(pk__in=[s.pk for s in sessions]).values_list(
            "pk", "eligible_children"
        )
    )


def _check() -> str:
    """Run the consistency check; it raises CommandError when a count is wrong."""
    out = StringIO()
    call_command("check_kind_hours", stdout=out)
    return out.getvalue()


@pytest.fixture
def register(municipalities):
    """Three Saturday sessions in 2026 with five children of whom two do not count (aged 4
    and 19 that year), everyone enrolled in series VJ26."""
    academy = recognised_academy()
    import_attendance(actor=None, academy=academy, rows=_rows(3, 5))
    return academy, make_member(academy)


def _rows(n_sessions, children):
    rows = register_rows(n_sessions, children)
    for row in rows:
        if row["participant_ref"] == "K0003":
            row["birth_year"] = "2022"  # 4 in 2026
        if row["participant_ref"] == "K0004":
            row["birth_year"] = "2007"  # 19 in 2026
    return rows


def _first(academy):
    return Session.objects.filter(academy=academy).order_by("date").first()


def _absent(academy, member):
    session = _first(academy)
    child = Participant.objects.get(academy=academy, ref="K0000")
    services.set_attendance(actor=member, session=session, participant=child, present=False)


def _present_again(academy, member):
    _absent(academy, member)
    session = _first(academy)
    child = Participant.objects.get(academy=academy, ref="K0000")
    services.set_attendance(actor=member, session=session, participant=child, present=True)


def _all_present(academy, member):
    session = _first(academy)
    Attendance.objects.filter(session=session).delete()  # a register cleared by hand
    Session.objects.filter(pk=session.pk).update(eligible_children=0)
    services.mark_all_present(actor=member, session=session)


def _import_more(academy, member):
    # 2 new sessions and a new child (K0005, 9 years old) at all 5
    import_attendance(actor=member, academy=academy, rows=_rows(5, 6))


def _unenrol(academy, member):
    session = _first(academy)
    child = Participant.objects.get(academy=academy, ref="K0001")
    services.unenrol(actor=member, series=session.series, participant=child)


def _delete_session(academy, member):
    services.delete_session(actor=member, session=_first(academy))


def _birth_year(academy, member):
    child = Participant.objects.get(academy=academy, ref="K0003")
    services.update_participant(actor=member, participant=child, birth_year=2015)


def _birth_year_out_of_range(academy, member):
    child = Participant.objects.get(academy=academy, ref="K0000")
    services.update_participant(actor=member, participant=child, birth_year=2023)


def _move_to_another_year(academy, member):
    session = _first(academy)
    series = session.series
    series.start_date = date(2025, 1, 1)
    series.save()
    # 2025: the 19-year-old was 18 and counts, the 4-year-old was 3.
    services.update_session(
        actor=member,
        session=session,
        day=date(2025, 12, 27),
        start_time=time(10),
        end_time=time(12),
    )


def _add_session_and_enrol(academy, member):
    series = _first(academy).series
    session = services.add_session(
        actor=member, series=series, day=date(2026, 4, 4), start_time=time(10), end_time=time(12)
    )
    services.add_and_enrol_participant(actor=member, series=series, ref="NEW", birth_year=2014)
    services.mark_all_present(actor=member, session=session)


WRITES = {
    "set absent": (_absent, -1),
    "set present again": (_present_again, 0),
    "mark all present": (_all_present, 0),
    "import": (_import_more, 3 * 1 + 2 * 4),
    "unenrol": (_unenrol, -3),
    "delete session": (_delete_session, -3),
    "birth year corrected into 5-18": (_birth_year, +3),
    "birth year corrected out of 5-18": (_birth_year_out_of_range, -3),
    "session moved to another year": (_move_to_another_year, +1),
    "session added, child enrolled, all present": (_add_session_and_enrol, 4),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_keeps_the_stored_counts_right(register, write):
    academy, member = register
    sessions = list(Session.objects.filter(academy=academy))
    assert sum(_stored(sessions).values()) == 3 * 3
    assert "match" in _check()
    action, change = write
    action(academy, member)
    sessions = list(Session.objects.filter(academy=academy))
    stored = _stored(sessions)
    assert stored == _python_counts(sessions)
    assert sum(stored.values()) == 3 * 3 + change
    assert "match" in _check()
    assert kind_hours.breakdown_over_sessions(
        Session.objects.filter(academy=academy)
    ) == kind_hours.breakdown(Attendance.objects.filter(session__academy=academy))


def test_the_check_reports_a_wrong_count_and_fix_repairs_it(register):
    academy, _member = register
    session = _first(academy)
    Session.objects.filter(pk=session.pk).update(eligible_children=7)
    out = StringIO()
    with pytest.raises(CommandError, match="1 sessions"):
        call_command("check_kind_hours", stdout=out)
    assert f"session {session.pk}: stored 7 eligible children, attendance says 3" in (
        out.getvalue()
    )
    call_command("check_kind_hours", "--fix")
    assert _stored([session]) == {session.pk: 3}
    assert "match" in _check()


def test_the_migration_fill_counts_every_session(register):
    academy, _member = register
    Session.objects.update(eligible_children=0)
    assert kind_hours.refresh_eligible_children() == 3
    sessions = list(Session.objects.filter(academy=academy))
    assert _stored(sessions) == _python_counts(sessions) == {s.pk: 3 for s in sessions}


# --- The same KIND-uren over sessions as over attendance ------------------------------

PLACES = ["44021", "24062", "11002", "21004", "62063"]  # Gent, Leuven, Antwerpen, BXL, Liège


def _generated_network(rng: random.Random) -> None:
    """Academies with recognition gaps, sessions in and outside school hours, in and outside
    Flanders, across a year boundary, children of every age around 5 and 18."""
    from academies.services.activities import apply_minutes
    from tests.factories import municipality

    for a in range(rng.randint(2, 4)):
        academy = AcademyFactory(name=f"Gegenereerd {a}")
        if rng.random() < 0.8:
            Recognition.objects.create(
                academy=academy,
                valid_from=date(2025, rng.randint(1, 12), 1),
                valid_until=rng.choice([None, date(2026, rng.randint(1, 6), rng.randint(1, 28))]),
            )
        children = [
            Participant.objects.create(
                academy=academy, ref=f"C{i}", birth_year=rng.randint(2004, 2023)
            )
            for i in range(rng.randint(3, 25))
        ]
        activity = academy.activities.create(code="GEN", title="Gegenereerd")
        for code in range(rng.randint(1, 3)):
            place = municipality(rng.choice(PLACES))
            series = activity.series.create(
                code=f"R{code}",
                municipality=place,
                start_date=date(2025, 7, 1),
                end_date=date(2026, 12, 31),
            )
            days = sorted(
                {date(2025, 7, 1) + timedelta(days=rng.randint(0, 540)) for _ in range(12)}
            )
            start = rng.choice([time(9), time(10), time(14), time(18)])
            sessions = apply_minutes(
                [
                    Session(
                        series=series,
                        academy=academy,
                        municipality=place,
                        date=day,
                        start_time=start,
                        end_time=rng.choice([time(12), time(16), time(20), time(23, 59)])
                        if start < time(12)
                        else time(20),
                    )
                    for day in days
                ]
            )
            Session.objects.bulk_create(sessions)
            rows = [
                Attendance(session=s, participant=c)
                for s in Session.objects.filter(series=series)
                for c in rng.sample(children, rng.randint(0, len(children)))
            ]
            Attendance.objects.bulk_create(rows)
    kind_hours.refresh_eligible_children()


@pytest.mark.parametrize("seed", range(6))
def test_kind_hours_over_sessions_equal_those_over_attendance(municipalities, seed):
    _generated_network(random.Random(seed))
    assert "match" in _check()
    for start, end in [
        (date(2025, 7, 1), date(2025, 12, 31)),
        (date(2026, 1, 1), date(2026, 6, 30)),
        (date(2025, 1, 1), date(2026, 12, 31)),
    ]:
        by_sessions = kind_hours.child_minutes_by_academy_and_municipality(start, end)
        by_rows = kind_hours.child_minutes_by_academy_and_municipality_from_attendance(start, end)
        assert by_sessions == by_rows
        rows = kind_hours.eligible_attendance(start, end)
        assert sum(r.child_minutes for r in by_sessions) == sum(
            rows.values_list("session__counted_minutes", flat=True)
        )
        by_place = {}
        for r in by_rows:
            by_place[r.municipality_id] = by_place.get(r.municipality_id, 0) + r.child_minutes
        assert kind_hours.child_minutes_by_municipality(start, end) == by_place
        assert sum(kind_hours.child_minutes_by_period(start, end).values()) == sum(
            by_place.values()
        )
    assert by_rows, "the generated network earns nothing: the comparison proves nothing"
    for academy in Academy.objects.all():
        for start, end in [
            (date(2025, 7, 1), date(2025, 12, 31)),
            (date(2026, 1, 1), date(2026, 6, 30)),
        ]:
            # the period page's breakdown over sessions, every lost part with its reason
            days = {"date__gte": start, "date__lte": end}
            rows = Attendance.objects.filter(
                session__academy=academy, session__date__gte=start, session__date__lte=end
            )
            assert kind_hours.breakdown_over_sessions(
                Session.objects.filter(academy=academy, **days)
            ) == kind_hours.breakdown(rows)


def test_the_period_page_sessions_from_stored_counts_equal_those_over_attendance(register):
    """``with_stored_session_kind_hours`` (the period page) gives every session the figures
    ``with_session_kind_hours`` counts over its attendance rows; with the rows gone (an
    erasure keeps the stored counts) no session shows a negative number outside 5–18."""
    academy, _member = register
    fields = ("pk", "attendees", "eligible_attendees", "outside_age", "earned", "recognised")
    sessions = Session.objects.filter(academy=academy).order_by("pk")
    stored = list(kind_hours.with_stored_session_kind_hours(sessions).values_list(*fields))
    counted = list(kind_hours.with_session_kind_hours(sessions).values_list(*fields))
    assert stored == counted and {row[1:4] for row in stored} == {(5, 3, 2)}
    Attendance.objects.filter(session__academy=academy).delete()  # as an erasure does
    erased = kind_hours.with_stored_session_kind_hours(sessions)
    assert {(s.attendees, s.eligible_attendees, s.outside_age) for s in erased} == {(0, 3, 0)}
    assert sum(s.earned for s in erased) == sum(s.counted_minutes * 3 for s in sessions)
