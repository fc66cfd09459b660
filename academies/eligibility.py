"""The KIND-uren rules of one session and one child, without Django.

A session counts only its minutes outside school hours (Mon, Tue, Thu, Fri 08:30–15:30 and
Wed 08:30–12:00, except on public and school holidays; never on weekends), at most 8 hours.
A child counts when its age in the session's calendar year is 5 to 18. The academy must be
recognised on the session's day and the session must take place in Flanders.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum

import holidays

SCHOOL_START = time(8, 30)
SCHOOL_END = time(15, 30)
WEDNESDAY_SCHOOL_END = time(12, 0)
MAX_COUNTED_MINUTES = 8 * 60
# An end time of 24:00 (the end of the session's day) is stored as ``time.max``: a
# ``datetime.time`` cannot hold 24:00, and time.max still sorts after every start time.
# It counts as minute 1440 exactly.
END_OF_DAY = time.max
MIN_AGE = 5
MAX_AGE = 18


class Reason(StrEnum):
    """Why (part of) a session or a child does not count. The values are shown to users."""

    SCHOOL_HOURS = "tijdens de schooluren"
    OVER_MAXIMUM = "boven het maximum van 8 uur per sessie"
    AGE = "leeftijd buiten 5–18 jaar"
    NOT_RECOGNISED = "academie niet erkend op die dag"
    OUTSIDE_FLANDERS = "buiten Vlaanderen"


@dataclass(frozen=True)
class Calendar:
    """Days without school: Belgian public holidays plus the staff's school holidays."""

    public_holidays: frozenset[date]
    school_holidays: tuple[tuple[date, date], ...] = ()

    @classmethod
    def for_years(
        cls, years: Iterable[int], school_holidays: Iterable[tuple[date, date]] = ()
    ) -> "Calendar":
        years = sorted(set(years))
        public = frozenset(holidays.country_holidays("BE", years=years)) if years else frozenset()
        return cls(public, tuple(sorted(school_holidays)))

    def is_school_free(self, day: date) -> bool:
        if day.weekday() >= 5 or day in self.public_holidays:
            return True
        return any(start <= day <= end for start, end in self.school_holidays)


def _minutes(moment: time) -> int:
    if moment == END_OF_DAY:
        return 24 * 60
    return moment.hour * 60 + moment.minute


def clock(moment: time) -> str:
    """A session time as written on a register: HH:MM, and 24:00 for the end of the day."""
    return "24:00" if moment == END_OF_DAY else moment.strftime("%H:%M")


def overlaps(first: tuple[time, time], second: tuple[time, time]) -> bool:
    """Whether two sessions of the same day overlap (touching at one moment is not)."""
    return first[0] < second[1] and second[0] < first[1]


def school_window(day: date, calendar: Calendar) -> tuple[int, int] | None:
    """School hours of a day in minutes since midnight, or None on a school-free day."""
    if calendar.is_school_free(day):
        return None
    end = WEDNESDAY_SCHOOL_END if day.weekday() == 2 else SCHOOL_END
    return _minutes(SCHOOL_START), _minutes(end)


@dataclass(frozen=True)
class SessionMinutes:
    total: int
    school: int
    over_maximum: int

    @property
    def counted(self) -> int:
        return self.total - self.school - self.over_maximum

    def reasons(self) -> dict[Reason, int]:
        """Minutes that do not count, by reason (only the non-zero ones)."""
        lost = {Reason.SCHOOL_HOURS: self.school, Reason.OVER_MAXIMUM: self.over_maximum}
        return {reason: minutes for reason, minutes in lost.items() if minutes}


def session_minutes(day: date, start: time, end: time, calendar: Calendar) -> SessionMinutes:
    """Split a session into counted minutes, minutes in school hours and minutes over 8 h."""
    first, last = _minutes(start), _minutes(end)
    if last <= first:
        raise ValueError("A session ends after it starts (same day).")
    total = last - first
    school = 0
    window = school_window(day, calendar)
    if window:
        school = max(0, min(last, window[1]) - max(first, window[0]))
    outside = total - school
    return SessionMinutes(total, school, max(0, outside - MAX_COUNTED_MINUTES))


def age_in_year(session_day: date, birth_year: int) -> int:
    return session_day.year - birth_year


def child_counts(session_day: date, birth_year: int) -> bool:
    return MIN_AGE <= age_in_year(session_day, birth_year) <= MAX_AGE


def recognised_on(day: date, windows: Iterable[tuple[date, date | None]]) -> bool:
    """Recognition windows are inclusive; an open end means still recognised."""
    return any(start <= day and (until is None or day <= until) for start, until in windows)


def session_reasons(
    *, day: date, is_flemish: bool, recognition_windows: Iterable[tuple[date, date | None]]
) -> list[Reason]:
    """Why a whole session earns nothing, whatever its minutes and children."""
    reasons = []
    if not is_flemish:
        reasons.append(Reason.OUTSIDE_FLANDERS)
    if not recognised_on(day, recognition_windows):
        reasons.append(Reason.NOT_RECOGNISED)
    return reasons
