"""The SQL of academies.kind_hours against the pure rules of academies.eligibility: on
random registers (ages 3–20, any hours, public and school holidays, recognitions that
start or end within the period, sessions outside Flanders) both give the same eligible
child-minutes per academy and municipality."""

from collections import defaultdict
from datetime import date, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from academies.eligibility import Calendar, child_counts, recognised_on, session_minutes
from academies.imports import import_attendance
from academies.kind_hours import child_minutes_by_academy_and_municipality
from academies.models import Academy, Recognition, SchoolHoliday
from stemnet.models import FLEMISH_REGION, Municipality
from tests.factories import AcademyFactory

START, END = date(2026, 1, 1), date(2026, 6, 30)
KROKUS = (date(2026, 2, 16), date(2026, 2, 20))
PLACES = ["44021", "24062", "21004"]  # Gent, Leuven, Brussel (outside Flanders)

session = st.fixed_dictionaries(
    {
        "day": st.integers(0, 180),  # days after 1 January: each session on its own day
        "start": st.integers(6 * 4, 20 * 4),  # quarter hours
        "quarters": st.integers(1, 14 * 4),
        "place": st.sampled_from(PLACES),
        "children": st.lists(st.integers(2006, 2023), min_size=1, max_size=4),
    }
)
academy = st.fixed_dictionaries(
    {
        "sessions": st.lists(session, min_size=1, max_size=6, unique_by=lambda s: s["day"]),
        "from_day": st.integers(-30, 120),
        "until_day": st.one_of(st.none(), st.integers(0, 200)),
    }
)


@pytest.mark.django_db
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(academies=st.lists(academy, min_size=1, max_size=3))
def test_sql_equals_the_pure_rules(municipalities, academies):
    Academy.objects.all().delete()
    SchoolHoliday.objects.get_or_create(
        name="Krokusvakantie", start_date=KROKUS[0], end_date=KROKUS[1]
    )
    calendar = Calendar.for_years([2026], school_holidays=[KROKUS])
    flemish = set(
        Municipality.objects.filter(region=FLEMISH_REGION, refnis__in=PLACES).values_list(
            "refnis", flat=True
        )
    )
    expected = defaultdict(int)
    for spec in academies:
        a = AcademyFactory()
        since = START + timedelta(days=spec["from_day"])
        until = None
        if spec["until_day"] is not None:
            until = max(since, START + timedelta(days=spec["until_day"]))
        Recognition.objects.create(academy=a, valid_from=since, valid_until=until)
        rows = []
        for s in spec["sessions"]:
            day = START + timedelta(days=s["day"])
            first = s["start"] * 15
            last = min(first + s["quarters"] * 15, 23 * 60 + 45)
            begin, end = time(first // 60, first % 60), time(last // 60, last % 60)
            minutes = session_minutes(day, begin, end, calendar).counted
            for i, born in enumerate(s["children"]):
                rows.append(
                    {
                        "activity_code": "ACT",
                        "activity_title": "Techniek",
                        "series_code": f"R{s['place']}",  # a series has one place
                        "session_date": day.isoformat(),
                        "start_time": begin.strftime("%H:%M"),
                        "end_time": end.strftime("%H:%M"),
                        "location_nis": s["place"],
                        "participant_ref": f"K{i}-{born}",
                        "birth_year": str(born),
                        "residence_postal_code": "",
                    }
                )
                if (
                    s["place"] in flemish
                    and child_counts(day, born)
                    and recognised_on(day, [(since, until)])
                ):
                    expected[(a.pk, s["place"])] += minutes
        import_attendance(actor=None, academy=a, rows=rows)
    measured = {
        (r.academy_id, r.municipality_id): r.child_minutes
        for r in child_minutes_by_academy_and_municipality(START, END)
    }
    assert measured == {k: v for k, v in expected.items() if v}
