"""Reads for reporting periods and the period lock: data of a period can no longer change
once reporting is closed or the academy submitted its period report."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from stemnet.periods import HalfYear

from ..models import PeriodReport, ReportingPeriod, SchoolHoliday


def reporting_period(code: str) -> ReportingPeriod:
    """The stored period of that code, or an unsaved one with its dates (reading a page
    never creates a period)."""
    half = HalfYear.parse(code)
    return ReportingPeriod.objects.filter(code=half.code).first() or ReportingPeriod(
        code=half.code, start_date=half.start, end_date=half.end
    )


def period_report_of(academy, period: ReportingPeriod) -> PeriodReport | None:
    if period.pk is None:
        return None
    return PeriodReport.objects.filter(academy=academy, period=period).first()


def locked_reason(academy_id: int, day: date) -> str | None:
    """Why data of that day can no longer change, or None when it can."""
    period = ReportingPeriod.objects.filter(start_date__lte=day, end_date__gte=day).first()
    if period is None:
        return None
    if period.closed_at:
        return _("Periode %(code)s is afgesloten voor rapportering.") % {"code": period.code}
    if PeriodReport.objects.filter(
        academy_id=academy_id, period=period, submitted_at__isnull=False
    ).exists():
        return _(
            "Uw perioderapport voor %(code)s is ingediend; vraag VLAIO om het te heropenen."
        ) % {"code": period.code}
    return None


def locked_ranges(academy_id: int) -> list[tuple[date, date]]:
    """The date ranges of the periods locked for the academy (closed, or its report
    submitted): the same rule as ``locked_reason``, for a page that shades many days."""
    periods = ReportingPeriod.objects.filter(
        Q(closed_at__isnull=False)
        | Q(reports__academy_id=academy_id, reports__submitted_at__isnull=False)
    ).distinct()
    return [(p.start_date, p.end_date) for p in periods]


def locked_reasons(academy_id: int, days: Iterable[date]) -> dict[date, str]:
    """``locked_reason`` for many days: the locked ones with their reason. One query for
    the periods, then the one rule once per period concerned (not once per day)."""
    days = sorted(set(days))
    if not days:
        return {}
    reasons = {}
    periods = ReportingPeriod.objects.filter(start_date__lte=days[-1], end_date__gte=days[0])
    for period in periods:
        inside = [d for d in days if period.start_date <= d <= period.end_date]
        reason = locked_reason(academy_id, inside[0]) if inside else None
        if reason:
            reasons.update(dict.fromkeys(inside, reason))
    return reasons


def has_school_holidays(start: date, end: date) -> bool:
    """Whether any school holiday is entered between ``start`` and ``end``: a half year
    without one is almost certainly a calendar staff forgot to enter, and its KIND-uren
    would count school-holiday weekdays as school hours."""
    return SchoolHoliday.objects.filter(start_date__lte=end, end_date__gte=start).exists()


def recognised_with_report(period: ReportingPeriod):
    """The academies recognised at the period's end, each with ``report_submitted_at`` (None
    when its period report was not submitted), those without a report first."""
    from django.db.models import F, OuterRef, Subquery

    from .recognition import recognised_academies

    submitted = PeriodReport.objects.filter(
        period=period, academy=OuterRef("pk"), submitted_at__isnull=False
    ).values("submitted_at")[:1]
    return (
        recognised_academies(on=period.end_date)
        .annotate(report_submitted_at=Subquery(submitted))
        .order_by(F("report_submitted_at").asc(nulls_first=True), "name", "pk")
    )
