"""Reads for partnerships, scoped to the user."""

from django.db.models import Count

from stemnet.roles import has_staff_powers

from .models import Partnership


def partnerships_for_user(user):
    qs = Partnership.objects.select_related("lead_academy").annotate(
        municipality_count=Count("municipalities", distinct=True)
    )
    if has_staff_powers(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(leads=user)


def is_partnership_lead(user) -> bool:
    return user.is_authenticated and Partnership.objects.filter(leads=user).exists()


def region_coverage(partnership):
    """The partnership's municipalities with their number of sessions and academies;
    a municipality without sessions is a white spot."""
    return (
        partnership.municipalities.select_related("province")
        .annotate(
            session_count=Count("sessions", distinct=True),
            academy_count=Count("sessions__academy", distinct=True),
        )
        .order_by("name")
    )
