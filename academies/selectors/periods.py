"""Reads for reporting periods and the period lock: data of a period can no longer change
once reporting is closed or the academy submitted its period report."""

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from stemnet.periods import HalfYear

from ..models import PeriodReport, ReportingPeriod


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
            "Je perioderapport voor %(code)s is ingediend; vraag VLAIO om het te heropenen."
        ) % {"code": period.code}
    return None


def locked_ranges(academy_id: int) -> list[tuple[date, date]]:
    periods = ReportingPeriod.objects.filter(
        Q(closed_at__isnull=False)
        | Q(reports__academy_id=academy_id, reports__submitted_at__isnull=False)
    ).distinct()
    return [(p.start_date, p.end_date) for p in periods]


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
