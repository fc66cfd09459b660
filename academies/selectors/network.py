"""Counts over the whole network for the reporting pages: each figure one aggregate."""

from datetime import date

from django.db.models import Count, Q

from ..kind_hours import valid_during
from ..models import Activity, Recognition, Series, Session


def recognised_academies_between(start: date, end: date) -> int:
    """Academies recognised on at least one day from ``start`` to ``end``."""
    return Recognition.objects.filter(valid_during(start, end)).values("academy").distinct().count()


def offer_between(start: date, end: date) -> dict:
    """Activities and series with a session from ``start`` to ``end``, and those sessions."""
    in_range = Q(sessions__date__gte=start, sessions__date__lte=end)
    activities = Activity.objects.filter(
        series__sessions__date__gte=start, series__sessions__date__lte=end
    ).aggregate(n=Count("id", distinct=True))["n"]
    series = Series.objects.filter(in_range).aggregate(n=Count("id", distinct=True))["n"]
    sessions = Session.objects.filter(date__gte=start, date__lte=end).count()
    return {"activities": activities, "series": series, "sessions": sessions}


def years_with_sessions() -> list[int]:
    return sorted({d.year for d in Session.objects.dates("date", "year")}, reverse=True)
