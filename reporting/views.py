"""Home pages per role, the staff overview and public pages."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from academies.selectors import memberships_of
from partnerships.selectors import is_partnership_lead
from stemnet.decorators import staff_required
from stemnet.models import AuditEvent
from stemnet.roles import is_staff_member

from .selectors import network_statistics, years_with_sessions


@require_GET
def home(request):
    """Send each role to its own home page: staff, partnership lead, academy member."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "reporting/public_home.html")
    if is_staff_member(user):
        return redirect("reporting:staff_home")
    if is_partnership_lead(user):
        return redirect("partnerships:home")
    if memberships_of(user).exists():
        return redirect("academies:dashboard")
    return redirect("academies:start")


@staff_required
def staff_home(request):
    """VLAIO staff's home page (MFA is enforced for /staff/ by middleware)."""
    return render(request, "reporting/staff_home.html")


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


@staff_required
def audit_log(request):
    """Who changed what, newest first; filter by action (prefix) and object type."""
    events = AuditEvent.objects.select_related("actor")
    action = request.GET.get("actie", "").strip()
    object_type = request.GET.get("type", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    if object_type:
        events = events.filter(object_type=object_type)
    page = Paginator(events, 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "reporting/audit_log.html",
        {"page": page, "action": action, "object_type": object_type},
    )
