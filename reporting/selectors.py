"""Network statistics: the figures the 2016 press release gave, for any year.

Every figure is one aggregate query over the academies' data; nothing loops over rows.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from academies.kind_hours import as_kind_hours, eligible_totals
from academies.selectors.network import (
    offer_between,
    recognised_academies_between,
    years_with_sessions,
)

__all__ = ["NetworkStatistics", "network_statistics", "years_with_sessions"]


@dataclass(frozen=True)
class NetworkStatistics:
    year: int
    recognised_academies: int
    activities: int
    series: int
    sessions: int
    child_minutes: int
    children: int
    municipalities: int

    @property
    def kind_hours(self) -> Decimal:
        return as_kind_hours(self.child_minutes)


def network_statistics(year: int) -> NetworkStatistics:
    start, end = date(year, 1, 1), date(year, 12, 31)
    eligible = eligible_totals(start, end)
    return NetworkStatistics(
        year=year,
        recognised_academies=recognised_academies_between(start, end),
        **offer_between(start, end),
        **eligible,
    )
