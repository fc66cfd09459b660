"""Half-year periods ("periodes"): period 1 = 1 Jan–30 Jun, period 2 = 1 Jul–31 Dec.

Pure functions, no Django: a period is named like ``2026-1``.
"""

import re
from dataclasses import dataclass
from datetime import date

from .validation import MAX_YEAR, MIN_YEAR

_CODE = re.compile(r"^(\d{4})-([12])$")


@dataclass(frozen=True, order=True)
class HalfYear:
    year: int
    half: int

    @classmethod
    def parse(cls, code: str) -> "HalfYear":
        match = _CODE.match(code.strip())
        if not match or not MIN_YEAR <= int(match.group(1)) <= MAX_YEAR:
            raise ValueError(
                f"Ongeldige periode {code!r}: gebruik JJJJ-1 of JJJJ-2, "
                f"met een jaar van {MIN_YEAR} tot {MAX_YEAR}."
            )
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> "HalfYear":
        return cls(day.year, 1 if day.month <= 6 else 2)

    @property
    def code(self) -> str:
        return f"{self.year:04d}-{self.half}"

    @property
    def start(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    def previous(self) -> "HalfYear":
        return HalfYear(self.year - 1, 2) if self.half == 1 else HalfYear(self.year, 1)

    def next(self) -> "HalfYear":
        return HalfYear(self.year, 2) if self.half == 1 else HalfYear(self.year + 1, 1)

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.code
