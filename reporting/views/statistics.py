"""The former statistics page: the dashboard replaced it; old links keep working."""

from django.shortcuts import redirect
from django.urls import reverse

from stemnet.decorators import staff_required
from stemnet.validation import MAX_YEAR, MIN_YEAR


@staff_required
def statistics(request):
    """Moved: the network's figures per year are on the dashboard."""
    year = request.GET.get("jaar", "").strip()
    url = reverse("reporting:dashboard")
    # Only a year the portal can hold; anything else opens the default year.
    if year.isascii() and year.isdigit() and MIN_YEAR <= int(year) <= MAX_YEAR:
        url += f"?periode={year}"
    return redirect(url, permanent=True)
