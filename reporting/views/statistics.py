"""The former statistics page: the dashboard replaced it; old links keep working."""

from django.shortcuts import redirect
from django.urls import reverse

from stemnet.decorators import staff_required


@staff_required
def statistics(request):
    """Moved: the network's figures per year are on the dashboard."""
    year = request.GET.get("jaar", "")
    url = reverse("reporting:dashboard")
    if year.isdigit() and len(year) == 4:
        url += f"?periode={year}"
    return redirect(url, permanent=True)
