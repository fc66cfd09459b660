"""Home pages per role: the public home, and where each signed-in role starts."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from academies.selectors.organisation import memberships_of
from partnerships.permissions import municipalities_represented
from partnerships.selectors import is_partnership_lead
from stemnet.decorators import staff_required
from stemnet.roles import in_staff_group


@require_GET
def home(request):
    """Send each role to its own home page: staff, partnership lead, academy member."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "reporting/public_home.html")
    if in_staff_group(user):
        return redirect("reporting:staff_home")
    if is_partnership_lead(user):
        return redirect("partnerships:home")
    if memberships_of(user).exists():
        return redirect("academies:dashboard")
    if municipalities_represented(user):
        return redirect("partnerships:requests")
    return redirect("academies:start")


@staff_required
def staff_home(request):
    """VLAIO staff's home page (staff powers need a session that passed MFA)."""
    return render(request, "reporting/staff_home.html")
