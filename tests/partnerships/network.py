"""A small generated network for coverage tests: academies in a region and outside it,
sessions in and out of school hours, children of every age (some too young or too old),
residences in and out of Flanders, an academy recognised halfway, one never recognised,
a session in Brussels; and the period 2026-1 calculated and approved."""

import random
from datetime import date, timedelta

from django.db import transaction

from academies.imports import import_attendance
from academies.models import Recognition
from partnerships.models import Partnership
from subsidies import services
from tests.factories import AcademyFactory, municipality
from tests.factories.subsidies import closed_period

# Oost-Vlaanderen: Gent, Aalst, Sint-Niklaas, Lokeren, Eeklo (region); Leuven outside it;
# Brussels (21004) outside Flanders.
REGION = ["44021", "41002", "46021", "46029", "43005"]
PLACES = [*REGION, "24062", "21004"]
POSTAL_CODES = ["9000", "9300", "9100", "9160", "9900", "3000", "", "9050", "8500"]
SLOTS = [  # (weekday offset from a Monday, start, end): Saturday, Wednesday pm, Monday am
    (5, "10:00", "12:00"),
    (2, "13:30", "16:00"),
    (0, "09:00", "11:00"),  # school hours: no KIND-uren
    (4, "15:00", "17:30"),  # half inside school hours
]


def _rows(rng: random.Random, academy_index: int, n_series: int, first_day: date):
    rows, children = [], []
    for c in range(rng.randint(6, 14)):
        children.append(
            (f"K{academy_index}-{c:03d}", rng.randint(2004, 2023), rng.choice(POSTAL_CODES))
        )
    for s in range(n_series):
        place = rng.choice(PLACES)
        weekday, start, end = SLOTS[s % len(SLOTS)]
        first = first_day + timedelta(days=weekday + s // len(SLOTS), weeks=rng.randint(0, 3))
        group = rng.sample(children, rng.randint(2, len(children)))
        for week in range(rng.randint(2, 6)):
            day = first + timedelta(weeks=week * 3)
            for ref, birth_year, postal_code in group:
                if rng.random() < 0.2:
                    continue  # absent
                rows.append(
                    {
                        "activity_code": f"ACT{s % 3}",
                        "activity_title": f"Activiteit {s % 3}",
                        "series_code": f"R{s}",
                        "session_date": day.isoformat(),
                        "start_time": start,
                        "end_time": end,
                        "location_nis": place,
                        "participant_ref": ref,
                        "birth_year": str(birth_year),
                        "residence_postal_code": postal_code,
                    }
                )
    return rows


def generated_network(
    seed: int = 9, n_academies: int = 5, n_series: int = 4, start: date = date(2026, 1, 5)
):
    """Returns (partnership with the region, approved period)."""
    rng = random.Random(seed)
    academies = []
    for i in range(n_academies):
        academy = AcademyFactory(name=f"Gegenereerde academie {seed}-{i}")
        if i % 5 == 3:
            Recognition.objects.create(academy=academy, valid_from=date(2026, 3, 1))
        elif i % 5 != 4:
            Recognition.objects.create(academy=academy, valid_from=date(2020, 1, 1))
        rows = [r for r in _rows(rng, i, n_series, start) if r]
        if rows:
            import_attendance(actor=None, academy=academy, rows=rows)
        academies.append(academy)
    partnership = Partnership.objects.create(name=f"Regio {seed}")
    partnership.municipalities.add(*[municipality(code) for code in REGION])
    return partnership, academies


def approve(code="2026-1", budget_cents=1_234_567):

    period, staff = closed_period(
        code, budget_cents=budget_cents, spread_bonus="0.1", spread_cap="0.3"
    )
    with transaction.atomic():
        run = services.start_run(actor=staff, period=period, enqueue=False)
    services.execute_run(run.pk)
    period.refresh_from_db()
    services.transition(actor=staff, period=period, to="approved")
    period.refresh_from_db()
    return period, staff
