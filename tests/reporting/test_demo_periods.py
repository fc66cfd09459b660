"""The run command's demo lives today: recent periods in every state the staff meet, with
real amounts and letters, and school holidays for every school year it covers."""

import csv
from datetime import date

import pytest
from django.urls import reverse

from academies.demo_network import HOLIDAYS_FILE, school_holidays
from academies.models import Academy, SchoolHoliday
from academies.selectors.activities import period_summary
from reporting.demo import MEMBER_EMAIL, setup_demo
from subsidies.models import AwardLetter, Period, PeriodStatus
from tests.factories import make_staff
from tests.factories.activities import recognised_academy

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 1)


@pytest.fixture
def demo(municipalities):
    for i in range(3):
        recognised_academy(since=date(2014, 9, 1), name=f"Demo-academie {i}")
    setup_demo(today=TODAY)


def test_recent_periods_are_approved_with_letters_approved_closed_and_open(demo):
    statuses = dict((p.code, p.status) for p in Period.objects.select_related("reporting_period"))
    assert statuses == {
        "2025-1": PeriodStatus.LETTERS_SENT,
        "2025-2": PeriodStatus.APPROVED,
        "2026-1": PeriodStatus.CLOSED,
        "2026-2": PeriodStatus.OPEN,
    }
    for code in ("2025-1", "2025-2"):
        period = Period.objects.get(reporting_period__code=code)
        letters = AwardLetter.objects.filter(award__run=period.approved_run)
        awards = period.approved_run.awards.all()
        total = sum(a.amount_cents for a in awards)
        assert awards and total == min(period.budget_cents, sum(a.cap_cents for a in awards))
        expected = len(awards) if code == "2025-1" else 0  # 2025-2: letters still to send
        assert letters.exclude(file="").count() == expected


def test_the_member_has_kind_hours_in_the_current_period(demo):
    academy = Academy.objects.get(memberships__user__email=MEMBER_EMAIL)
    summary = period_summary(academy, date(2026, 7, 1), date(2026, 12, 31))
    assert summary.eligible > 0


def test_every_school_year_covered_has_its_five_holidays(demo):
    names = set(SchoolHoliday.objects.values_list("name", flat=True))
    for school_year in ("2024-2025", "2025-2026", "2026-2027"):
        for holiday in ("Herfstvakantie", "Kerstvakantie", "Krokusvakantie", "Paasvakantie"):
            assert f"{holiday} {school_year}" in names
    assert {"Zomervakantie 2025", "Zomervakantie 2026"} <= names


def test_setup_demo_twice_changes_nothing(demo):
    counts = (Period.objects.count(), SchoolHoliday.objects.count(), AwardLetter.objects.count())
    setup_demo(today=TODAY)
    assert counts == (
        Period.objects.count(),
        SchoolHoliday.objects.count(),
        AwardLetter.objects.count(),
    )


def test_the_holiday_calendar_holds_the_published_flemish_dates():
    published_2025_2026 = {
        "Herfstvakantie 2025-2026": (date(2025, 10, 27), date(2025, 11, 2)),
        "Kerstvakantie 2025-2026": (date(2025, 12, 22), date(2026, 1, 4)),
        "Krokusvakantie 2025-2026": (date(2026, 2, 16), date(2026, 2, 22)),
        "Paasvakantie 2025-2026": (date(2026, 4, 6), date(2026, 4, 19)),
        "Zomervakantie 2026": (date(2026, 7, 1), date(2026, 8, 31)),
    }
    rows = {name: (a, b) for name, a, b in school_holidays(date(2025, 9, 1), date(2026, 8, 31))}
    assert rows == published_2025_2026
    with HOLIDAYS_FILE.open(encoding="utf-8") as handle:
        years = [r["name"].rsplit(" ", 1)[1] for r in csv.DictReader(handle)]
    for first in range(2015, 2028):
        assert years.count(f"{first}-{first + 1}") == 4 and years.count(str(first + 1)) == 1


def test_period_page_warns_when_no_school_holidays_are_entered(municipalities, client):
    from subsidies.services import ensure_period

    staff = make_staff()
    client.force_login(staff)
    period = ensure_period("2027-1")
    url = reverse("subsidies_staff:period", args=[period.code])
    assert "geen schoolvakanties ingevoerd" in client.get(url).content.decode()
    SchoolHoliday.objects.create(
        name="Krokusvakantie", start_date=date(2027, 2, 8), end_date=date(2027, 2, 14)
    )
    assert "geen schoolvakanties ingevoerd" not in client.get(url).content.decode()


def test_the_totp_hint_works_outside_the_venv(demo):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    assert ".venv/bin/python manage.py demo_totp_code" in out.getvalue()
    assert "./manage.py" not in out.getvalue()
