"""Network statistics: the figures the 2016 press release gave, for any year.

Every figure is one aggregate query over the academies' data; nothing loops over rows.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q

from academies.kind_hours import as_kind_hours, eligible_totals, valid_during
from academies.models import Activity, Recognition, Series, Session


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
    recognised = (
        Recognition.objects.filter(valid_during(start, end)).values("academy").distinct().count()
    )
    in_year = Q(sessions__date__gte=start, sessions__date__lte=end)
    activities = Activity.objects.filter(
        Q(series__sessions__date__gte=start, series__sessions__date__lte=end)
    ).aggregate(n=Count("id", distinct=True))["n"]
    series = Series.objects.filter(in_year).aggregate(n=Count("id", distinct=True))["n"]
    sessions = Session.objects.filter(date__gte=start, date__lte=end).aggregate(
        n=Count("id"), m=Count("municipality", distinct=True)
    )
    eligible = eligible_totals(start, end)
    return NetworkStatistics(
        year=year,
        recognised_academies=recognised,
        activities=activities,
        series=series,
        sessions=sessions["n"],
        child_minutes=eligible["child_minutes"],
        children=eligible["children"],
        municipalities=eligible["municipalities"],
    )


def years_with_sessions() -> list[int]:
    return sorted(
        {d.year for d in Session.objects.dates("date", "year")},
        reverse=True,
    )
