"""Reads for subsidy pages."""

from django.db.models import Count, Sum

from academies.permissions import is_member
from stemnet.roles import is_staff_member

from .models import Award, AwardLetter, Period


def periods():
    return Period.objects.select_related("reporting_period", "approved_run").annotate(
        run_count=Count("runs")
    )


def awards_of(run):
    return (
        Award.objects.filter(run=run)
        .select_related("academy", "letter")
        .annotate(municipality_count=Count("lines"))
        .order_by("-amount_cents", "academy_id")
    )


def run_totals(run):
    return Award.objects.filter(run=run).aggregate(total=Sum("amount_cents"), academies=Count("id"))


def letters_for_user(user):
    """Letters of approved runs the user may read: staff all, members their academy's."""
    qs = AwardLetter.objects.select_related(
        "award__academy", "award__run__period__reporting_period"
    )
    if is_staff_member(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(award__academy__memberships__user=user)


def can_read_letter(user, letter) -> bool:
    return is_staff_member(user) or is_member(user, letter.award.academy)
