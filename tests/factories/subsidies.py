"""Helpers for subsidy tests: a small network with eligible KIND-uren in a closed period."""

from datetime import date

from academies.imports import import_attendance
from academies.models import MemberRole
from subsidies.services import ensure_period, transition
from tests.factories import make_member, make_staff
from tests.factories.activities import recognised_academy, register_rows


def network(n_academies=3, *, start=date(2026, 1, 3), prefix="Academie"):
    """Academies with 1, 2, 3 … × 10 sessions of 2 h with 5 children in Gent (and the
    last one also in Leuven, in the afternoon) from ``start`` on, each with an admin."""
    academies = []
    for i in range(1, n_academies + 1):
        academy = recognised_academy(name=f"{prefix} {i}")
        make_member(academy, role=MemberRole.ADMIN, email=f"admin{academy.pk}@example.org")
        rows = register_rows(10 * i, 5, start=start)
        if i == n_academies:
            rows += [
                {
                    **r,
                    "series_code": "LEU",
                    "location_nis": "24062",
                    "residence_postal_code": "3000",
                    # the same children in the afternoon: a child cannot be at two
                    # sessions at once (a Saturday afternoon counts the same 120 minutes)
                    "start_time": "14:00",
                    "end_time": "16:00",
                }
                for r in register_rows(4, 5, start=start)
            ]
        import_attendance(actor=None, academy=academy, rows=rows)
        academies.append(academy)
    return academies


def closed_period(code="2026-1", budget_cents=1_000_000, **params):
    staff = make_staff()
    period = ensure_period(code)
    period.budget_cents = budget_cents
    for name, value in params.items():
        setattr(period, name, value)
    period.save()
    transition(actor=staff, period=period, to="closed")
    period.refresh_from_db()
    return period, staff
