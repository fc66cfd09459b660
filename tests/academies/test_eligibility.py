"""Table-driven tests of counted minutes and eligibility: the pure rules
(academies.eligibility) and the same edge cases through the database aggregation
(academies.kind_hours), so both agree to the minute."""

from datetime import date, time

import pytest

from academies.eligibility import (
    Calendar,
    Reason,
    child_counts,
    recognised_on,
    session_minutes,
    session_reasons,
)

# Week of Monday 9 March 2026: no public or school holiday.
MON, TUE, WED, THU, FRI, SAT, SUN = (date(2026, 3, d) for d in range(9, 16))
WEEK = {"mon": MON, "tue": TUE, "wed": WED, "thu": THU, "fri": FRI, "sat": SAT, "sun": SUN}
KROKUS = (date(2026, 2, 16), date(2026, 2, 20))  # a staff-kept school holiday, Mon–Fri
CAL = Calendar.for_years([2026], school_holidays=[KROKUS])
# One Belgian public holiday on each school weekday of 2026.
PUBLIC_HOLIDAYS = {
    "mon": date(2026, 4, 6),  # Easter Monday
    "tue": date(2026, 7, 21),  # National Day
    "wed": date(2026, 11, 11),  # Armistice Day
    "thu": date(2026, 5, 14),  # Ascension Day
    "fri": date(2026, 5, 1),  # Labour Day
}
SCHOOL_HOLIDAY = {name: date(2026, 2, 16 + i) for i, name in enumerate(PUBLIC_HOLIDAYS)}


def t(text: str) -> time:
    return time.fromisoformat(text)


# (start, end) around the three boundaries, and the minutes in school hours per kind of day:
# Mon/Tue/Thu/Fri 08:30–15:30, Wed 08:30–12:00, weekend none.
BOUNDARIES = [
    # start,   end,    full day, wed, weekend
    ("07:30", "08:30", 0, 0, 0),  # ends exactly when school starts
    ("08:00", "09:00", 30, 30, 0),
    ("08:29", "08:31", 1, 1, 0),
    ("08:30", "08:31", 1, 1, 0),
    ("11:30", "12:30", 60, 30, 0),
    ("11:59", "12:00", 1, 1, 0),
    ("12:00", "12:01", 1, 0, 0),  # Wednesday afternoon is free from 12:00 on
    ("11:59", "12:01", 2, 1, 0),
    ("12:00", "15:30", 210, 0, 0),
    ("15:00", "16:00", 30, 0, 0),
    ("15:29", "15:31", 1, 0, 0),
    ("15:30", "15:31", 0, 0, 0),  # starts exactly when school ends
    ("15:30", "17:00", 0, 0, 0),
    ("18:00", "20:00", 0, 0, 0),
]


def _expected_school(day_name, full, wed, weekend):
    if day_name in ("sat", "sun"):
        return weekend
    return wed if day_name == "wed" else full


@pytest.mark.parametrize("day_name", list(WEEK))
@pytest.mark.parametrize(
    ("start", "end", "full", "wed", "weekend"),
    BOUNDARIES,
    ids=[f"{s}-{e}" for s, e, *_ in BOUNDARIES],
)
def test_every_weekday_around_0830_1200_1530(day_name, start, end, full, wed, weekend):
    minutes = session_minutes(WEEK[day_name], t(start), t(end), CAL)
    school = _expected_school(day_name, full, wed, weekend)
    assert minutes.school == school
    assert minutes.counted == minutes.total - school
    assert minutes.over_maximum == 0


@pytest.mark.parametrize("day_name", list(PUBLIC_HOLIDAYS))
@pytest.mark.parametrize(
    ("start", "end"),
    [(s, e) for s, e, *_ in BOUNDARIES],
    ids=[f"{s}-{e}" for s, e, *_ in BOUNDARIES],
)
def test_public_holidays_have_no_school_hours(day_name, start, end):
    day = PUBLIC_HOLIDAYS[day_name]
    assert day.weekday() == list(WEEK).index(day_name)
    minutes = session_minutes(day, t(start), t(end), CAL)
    assert (minutes.school, minutes.counted) == (0, minutes.total)


@pytest.mark.parametrize("day_name", list(SCHOOL_HOLIDAY))
@pytest.mark.parametrize(
    ("start", "end"),
    [(s, e) for s, e, *_ in BOUNDARIES],
    ids=[f"{s}-{e}" for s, e, *_ in BOUNDARIES],
)
def test_school_holidays_have_no_school_hours(day_name, start, end):
    minutes = session_minutes(SCHOOL_HOLIDAY[day_name], t(start), t(end), CAL)
    assert (minutes.school, minutes.counted) == (0, minutes.total)


@pytest.mark.parametrize(
    ("day", "school"),
    [
        (date(2026, 2, 13), 60),  # Friday before the holiday
        (date(2026, 2, 16), 0),  # its first day
        (date(2026, 2, 20), 0),  # its last day
        (date(2026, 2, 23), 60),  # Monday after
        (date(2026, 4, 7), 60),  # the Tuesday after Easter Monday is a school day here
    ],
)
def test_holiday_edges(day, school):
    assert session_minutes(day, t("09:00"), t("10:00"), CAL).school == school


def test_without_the_staff_calendar_a_holiday_week_has_school_hours():
    bare = Calendar.for_years([2026])
    assert session_minutes(date(2026, 2, 16), t("09:00"), t("10:00"), bare).school == 60


@pytest.mark.parametrize(
    ("day", "start", "end", "counted", "school", "over"),
    [
        (SAT, "08:00", "16:00", 480, 0, 0),  # exactly 8 hours
        (SAT, "08:00", "16:01", 480, 0, 1),
        (SUN, "07:00", "19:00", 480, 0, 240),
        (PUBLIC_HOLIDAYS["thu"], "08:00", "18:30", 480, 0, 150),
        (MON, "06:00", "20:00", 420, 420, 0),  # 14 h: 7 in school, 7 outside
        (MON, "05:00", "22:00", 480, 420, 120),  # 17 h: 7 in school, 10 outside, 8 count
        (WED, "08:00", "20:00", 480, 210, 30),  # 12 h: 3.5 in school, 8.5 outside
        (WED, "12:00", "20:00", 480, 0, 0),
    ],
)
def test_at_most_eight_hours_count_per_session(day, start, end, counted, school, over):
    minutes = session_minutes(day, t(start), t(end), CAL)
    assert (minutes.counted, minutes.school, minutes.over_maximum) == (counted, school, over)
    assert minutes.counted + minutes.school + minutes.over_maximum == minutes.total


def test_reasons_name_every_minute_that_does_not_count():
    minutes = session_minutes(MON, t("05:00"), t("22:00"), CAL)
    assert minutes.reasons() == {Reason.SCHOOL_HOURS: 420, Reason.OVER_MAXIMUM: 120}
    assert session_minutes(SAT, t("10:00"), t("12:00"), CAL).reasons() == {}


def test_a_session_must_end_after_it_starts():
    with pytest.raises(ValueError):
        session_minutes(SAT, t("12:00"), t("12:00"), CAL)


AGES = [(2022, False), (2021, True), (2008, True), (2007, False)]
AGE_IDS = ["age-4", "age-5", "age-18", "age-19"]


@pytest.mark.parametrize(("birth_year", "counts"), AGES, ids=AGE_IDS)
def test_children_count_from_5_to_18_in_the_session_year(birth_year, counts):
    # Age in the calendar year of the session, whatever the birthday: 2026 − birth year.
    assert child_counts(date(2026, 1, 1), birth_year) is counts
    assert child_counts(date(2026, 12, 31), birth_year) is counts


# Recognised from Tuesday 10 March; withdrawn on Monday 15 June (its last valid day).
RECOGNISED = [(date(2026, 3, 10), date(2026, 6, 15))]
RECOGNITION_DAYS = [
    (date(2026, 3, 9), False),  # the day before it starts
    (date(2026, 3, 10), True),  # the day it starts
    (date(2026, 6, 15), True),  # the day it is withdrawn: still valid
    (date(2026, 6, 16), False),  # the day after it is withdrawn
]


@pytest.mark.parametrize(("day", "recognised"), RECOGNITION_DAYS)
def test_recognition_valid_on_the_session_day(day, recognised):
    assert recognised_on(day, RECOGNISED) is recognised
    reasons = session_reasons(day=day, is_flemish=True, recognition_windows=RECOGNISED)
    assert (Reason.NOT_RECOGNISED in reasons) is not recognised


def test_open_ended_recognition_and_sessions_outside_flanders():
    windows = [(date(2020, 1, 1), None)]
    assert recognised_on(date(2030, 1, 1), windows)
    assert not recognised_on(date(2019, 12, 31), windows)
    assert session_reasons(day=MON, is_flemish=False, recognition_windows=windows) == [
        Reason.OUTSIDE_FLANDERS
    ]
    assert session_reasons(day=MON, is_flemish=False, recognition_windows=[]) == [
        Reason.OUTSIDE_FLANDERS,
        Reason.NOT_RECOGNISED,
    ]


# --- The same edge cases through the database aggregation ---------------------------------


def _session_row(day: date, start="18:00", end="20:00", ref="K1", birth_year=2015, **extra):
    return {
        "activity_code": "A",
        "activity_title": "Techniek",
        "series_code": "R",
        "session_date": day.isoformat(),
        "start_time": start,
        "end_time": end,
        "location_nis": "44021",
        "participant_ref": ref,
        "birth_year": str(birth_year),
        "residence_postal_code": "",
        **extra,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("birth_year", "counts"), AGES, ids=AGE_IDS)
def test_database_counts_the_same_ages(municipalities, birth_year, counts):
    from academies.imports import import_attendance
    from academies.kind_hours import child_minutes_by_academy_and_municipality
    from tests.factories.activities import recognised_academy

    academy = recognised_academy()
    rows = [_session_row(day, birth_year=birth_year) for day in (date(2026, 1, 1), SAT)]
    import_attendance(actor=None, academy=academy, rows=rows)
    lines = child_minutes_by_academy_and_municipality(date(2026, 1, 1), date(2026, 12, 31))
    assert sum(line.child_minutes for line in lines) == (240 if counts else 0)


@pytest.mark.django_db
def test_database_follows_the_recognition_window_to_the_day(municipalities):
    from academies.imports import import_attendance
    from academies.kind_hours import child_minutes_by_academy_and_municipality
    from academies.models import Recognition
    from academies.selectors.activities import period_summary
    from tests.factories import AcademyFactory

    academy = AcademyFactory()
    ((start, until),) = RECOGNISED
    Recognition.objects.create(academy=academy, valid_from=start, valid_until=until)
    rows = [_session_row(day) for day, _ in RECOGNITION_DAYS]
    import_attendance(actor=None, academy=academy, rows=rows)
    for day, recognised in RECOGNITION_DAYS:
        lines = child_minutes_by_academy_and_municipality(day, day)
        assert sum(line.child_minutes for line in lines) == (120 if recognised else 0), day
    summary = period_summary(academy, date(2026, 1, 1), date(2026, 6, 30))
    assert summary.eligible == 2 * 120
    assert summary.lost == {Reason.NOT_RECOGNISED: 2 * 120}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "start", "end", "expected"),
    [
        # (counted, during school hours, over the 8-hour maximum), worked out by hand
        (MON, "08:00", "16:00", (60, 420, 0)),  # school 08:30–15:30
        (WED, "11:00", "13:00", (60, 60, 0)),  # Wednesday school ends at 12:00
        (FRI, "15:00", "16:00", (30, 30, 0)),
        (SAT, "07:00", "19:00", (480, 0, 240)),  # 12 h, no school, 8 h count
        (PUBLIC_HOLIDAYS["wed"], "09:00", "12:00", (180, 0, 0)),
        (SCHOOL_HOLIDAY["thu"], "09:00", "12:00", (180, 0, 0)),
        (MON, "05:00", "22:00", (480, 420, 120)),  # 17 h: 7 h school, 10 h outside
    ],
)
def test_stored_minutes_are_the_hand_computed_minutes(municipalities, day, start, end, expected):
    from academies.imports import import_attendance
    from academies.models import SchoolHoliday, Session
    from tests.factories.activities import recognised_academy

    SchoolHoliday.objects.create(name="Krokusvakantie", start_date=KROKUS[0], end_date=KROKUS[1])
    import_attendance(
        actor=None, academy=recognised_academy(), rows=[_session_row(day, start, end)]
    )
    session = Session.objects.get()
    stored = (session.counted_minutes, session.school_minutes, session.over_cap_minutes)
    assert stored == expected
