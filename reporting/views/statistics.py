"""Network statistics for staff."""

from django.shortcuts import render
from django.utils import timezone

from stemnet.decorators import staff_required

from ..selectors import network_statistics, years_with_sessions


@staff_required
def statistics(request):
    """Network figures for a year: academies, activities, series, KIND-uren, children."""
    years = years_with_sessions()
    try:
        year = int(request.GET.get("jaar") or (years[0] if years else timezone.localdate().year))
    except ValueError:
        year = years[0] if years else timezone.localdate().year
    return render(
        request,
        "reporting/statistics.html",
        {"stats": network_statistics(year), "years": years, "year": year},
    )
