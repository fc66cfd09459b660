from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from stemnet.periods import HalfYear

from ..permissions import can_manage_academy, remember_role
from ..selectors.activities import period_summary
from ..selectors.organisation import current_academy, memberships_of, open_invitations_for
from ..selectors.recognition import current_recognition, latest_application
from ..services import terms


@login_required
def dashboard(request):
    """The academy member's home page: their current academy at a glance."""
    memberships = list(memberships_of(request.user))
    for membership in memberships:  # the roles for the checks below, without a query each
        remember_role(request.user, membership.academy_id, membership.role)
    academy = current_academy(request, memberships)
    if academy is None:
        return redirect("academies:start")
    half = HalfYear.containing(timezone.localdate())
    return render(
        request,
        "academies/dashboard.html",
        {
            "academy": academy,
            "memberships": memberships,
            "invitations": open_invitations_for(request.user),
            "can_manage": can_manage_academy(request.user, academy).allowed,
            "recognition": current_recognition(academy),
            "lapse": terms.lapse_status(academy),
            "application": latest_application(academy),
            "current_period": half.code,
            "summary": period_summary(academy, half.start, half.end),
        },
    )


@login_required
def start(request):
    """For a signed-up user without an academy: create one or wait for an invitation."""
    return render(
        request, "academies/start.html", {"invitations": open_invitations_for(request.user)}
    )
