"""Helpers for award-page, objection and correction tests: an approved period whose first
academy also has sessions that lose KIND-uren for each reason."""

from datetime import date

from academies.imports import import_attendance
from subsidies import services
from subsidies.models import Award, PeriodStatus
from tests.factories.activities import register_rows
from tests.factories.subsidies import closed_period, network


def lossy_rows():
    """Rows that lose child-minutes: a Tuesday afternoon partly in school hours, a child of
    3, a session in Brussels (outside Flanders)."""
    school = [
        {**r, "series_code": "DI", "start_time": "14:00", "end_time": "17:00"}
        for r in register_rows(2, 3, start=date(2026, 3, 3))  # Tuesdays
    ]
    toddler = [
        {**r, "participant_ref": "PEUTER", "birth_year": "2023"}
        for r in register_rows(1, 1, start=date(2026, 3, 7))
    ]
    brussels = [
        {
            **r,
            "series_code": "BXL",
            "location_nis": "21004",
            "start_time": "14:00",
            "end_time": "16:00",
        }
        for r in register_rows(1, 2, start=date(2026, 4, 4))
    ]
    return school + toddler + brussels


def approved_period(capture, *, academies=2, budget_cents=1_000_000, letters=False, **params):
    """``capture`` is pytest-django's ``django_capture_on_commit_callbacks``."""
    found = network(academies)
    import_attendance(actor=None, academy=found[0], rows=lossy_rows())
    period, staff = closed_period(budget_cents=budget_cents, **params)
    with capture(execute=True):
        services.start_run(actor=staff, period=period)
    period.refresh_from_db()
    with capture(execute=True):
        services.transition(actor=staff, period=period, to=PeriodStatus.APPROVED)
        if letters:
            services.send_letters(actor=staff, period=period)
    period.refresh_from_db()
    award = Award.objects.get(run=period.approved_run, academy=found[0])
    return period, staff, found, award
