"""Table-driven tests of counted minutes and eligibility (academies.eligibility)."""

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

# Week of Monday 9 March 2026: no holidays.
MON, TUE, WED, THU, FRI, SAT, SUN = (date(2026, 3, d) for d in range(9, 16))
CAL = Calendar.for_years([2026], school_holidays=[(date(2026, 2, 16), date(2026, 2, 20))])


def t(text: str) -> time:
    return time.fromisoformat(text)


@pytest.mark.parametrize("day", [MON, TUE, THU, FRI], ids=["mon", "tue", "thu", "fri"])
@pytest.mark.parametrize(
    ("start", "end", "counted", "school"),
    [
        ("07:30", "08:30", 60, 0),  # ends exactly when school starts
        ("07:30", "08:31", 60, 1),  # one minute into school hours
        ("08:29", "08:30", 1, 0),
        ("08:30", "09:00", 0, 30),
        ("11:30", "12:30", 0, 60),  # noon is school time except on Wednesday
        ("15:00", "16:00", 30, 30),
        ("15:29", "15:31", 1, 1),
        ("15:30", "17:00", 90, 0),  # starts exactly when school ends
        ("18:00", "20:00", 120, 0),
    ],
)
def test_school_days_around_0830_1200_1530(day, start, end, counted, school):
    minutes = session_minutes(day, t(start), t(end), CAL)
    assert (minutes.counted, minutes.school) == (counted, school)


@pytest.mark.parametrize(
    ("start", "end", "counted", "school"),
    [
        ("08:00", "09:00", 30, 30),
        ("11:30", "12:30", 30, 30),
        ("12:00", "15:30", 210, 0),  # Wednesday afternoon is free
        ("13:00", "17:00", 240, 0),
        ("11:59", "12:01", 1, 1),
    ],
)
def test_wednesday_afternoon_is_outside_school_hours(start, end, counted, school):
    minutes = session_minutes(WED, t(start), t(end), CAL)
    assert (minutes.counted, minutes.school) == (counted, school)


@pytest.mark.parametrize(
    "day",
    [
        SAT,
        SUN,
        date(2026, 4, 6),  # Easter Monday (public holiday)
        date(2026, 5, 14),  # Ascension Day
        date(2026, 11, 11),  # Armistice Day, a Wednesday
        date(2026, 2, 16),  # first day of the staff's school holiday (Monday)
        date(2026, 2, 20),  # last day of it (Friday)
    ],
    ids=[
        "saturday",
        "sunday",
        "easter-monday",
        "ascension",
        "armistice",
        "holiday-start",
        "holiday-end",
    ],
)
def test_school_free_days_count_every_minute(day):
    minutes = session_minutes(day, t("09:00"), t("15:00"), CAL)
    assert (minutes.counted, minutes.school) == (360, 0)


def test_the_day_after_a_school_holiday_has_school_hours_again():
    assert session_minutes(date(2026, 2, 23), t("09:00"), t("10:00"), CAL).school == 60


@pytest.mark.parametrize(
    ("day", "start", "end", "counted", "over"),
    [
        (SAT, "08:00", "16:00", 480, 0),  # exactly 8 hours
        (SAT, "08:00", "16:01", 480, 1),
        (SAT, "07:00", "19:00", 480, 240),
        (MON, "06:00", "20:00", 420, 0),  # 14 h, 7 h in school hours, 7 h outside
        (MON, "05:00", "22:00", 480, 120),  # 17 h: 7 in school, 10 outside, 8 count
    ],
)
def test_at_most_eight_hours_count_per_session(day, start, end, counted, over):
    minutes = session_minutes(day, t(start), t(end), CAL)
    assert (minutes.counted, minutes.over_maximum) == (counted, over)
    assert minutes.counted + minutes.school + minutes.over_maximum == minutes.total


def test_reasons_name_every_minute_that_does_not_count():
    minutes = session_minutes(MON, t("05:00"), t("22:00"), CAL)
    assert minutes.reasons() == {Reason.SCHOOL_HOURS: 420, Reason.OVER_MAXIMUM: 120}
    assert session_minutes(SAT, t("10:00"), t("12:00"), CAL).reasons() == {}


def test_a_session_must_end_after_it_starts():
    with pytest.raises(ValueError):
        session_minutes(SAT, t("12:00"), t("12:00"), CAL)


@pytest.mark.parametrize(
    ("birth_year", "counts"),
    [(2022, False), (2021, True), (2008, True), (2007, False)],
    ids=["age-4", "age-5", "age-18", "age-19"],
)
def test_children_count_from_5_to_18_in_the_session_year(birth_year, counts):
    # Age in the calendar year of the session, whatever the birthday: 2026 − birth year.
    assert child_counts(date(2026, 1, 2), birth_year) is counts
    assert child_counts(date(2026, 12, 31), birth_year) is counts


RECOGNISED = [(date(2026, 3, 10), date(2026, 6, 15))]  # starts 10 March, withdrawn 15 June


@pytest.mark.parametrize(
    ("day", "recognised"),
    [
        (date(2026, 3, 9), False),  # the day before it starts
        (date(2026, 3, 10), True),  # the day it starts
        (date(2026, 6, 15), True),  # last valid day
        (date(2026, 6, 16), False),  # the day after it is withdrawn
    ],
)
def test_recognition_valid_on_the_session_day(day, recognised):
    assert recognised_on(day, RECOGNISED) is recognised
    reasons = session_reasons(day=day, is_flemish=True, recognition_windows=RECOGNISED)
    assert (Reason.NOT_RECOGNISED in reasons) is not recognised


def test_open_ended_recognition_and_sessions_outside_flanders():
    windows = [(date(2020, 1, 1), None)]
    assert recognised_on(date(2030, 1, 1), windows)
    assert session_reasons(day=MON, is_flemish=False, recognition_windows=windows) == [
        Reason.OUTSIDE_FLANDERS
    ]
