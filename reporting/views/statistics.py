"""Network statistics for staff."""

from django.shortcuts import render
from django.utils import timezone

from stemnet.decorators import staff_required
from stemnet.validation import MAX_YEAR, MIN_YEAR

from ..selectors import network_statistics, years_with_sessions


@staff_required
def statistics(request):
    """Network figures for a year: academies, activities, series, KIND-uren, children."""
    years = years_with_sessions()
    default = years[0] if years else timezone.localdate().year
    wanted = request.GET.get("jaar", "").strip()
    # Only a year the portal can hold; anything else shows the default year.
    year = int(wanted) if wanted.isascii() and wanted.isdigit() else default
    if not MIN_YEAR <= year <= MAX_YEAR:
        year = default
    return render(
        request,
        "reporting/statistics.html",
        {"stats": network_statistics(year), "years": years, "year": year},
    )
