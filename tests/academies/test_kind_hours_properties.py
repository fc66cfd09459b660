"""Property-based tests: KIND-uren do not depend on row order, and a file imported in two
parts gives the same totals as the whole file."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from academies.imports import import_attendance
from academies.kind_hours import child_minutes_by_academy_and_municipality
from academies.models import Academy, Activity, Participant
from tests.factories.activities import recognised_academy

PERIOD = (date(2026, 1, 1), date(2026, 6, 30))
PLACES = ["44021", "24062", "21004"]  # Gent, Leuven, Brussel (outside Flanders)

EXAMPLES = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

row = st.fixed_dictionaries(
    {
        "series": st.sampled_from(["A", "B", "C"]),
        "day": st.dates(date(2026, 1, 1), date(2026, 6, 30)),
        "start": st.sampled_from(["08:00", "10:00", "14:00", "15:00", "18:00"]),
        "hours": st.integers(1, 10),
        "child": st.integers(0, 15),
    }
)


def _rows(specs):
    rows, seen = [], set()
    for spec in specs:
        key = (spec["series"], spec["day"], spec["start"], spec["child"])
        if key in seen:
            continue
        seen.add(key)
        start_hour = int(spec["start"][:2])
        end_hour = min(start_hour + spec["hours"], 23)
        rows.append(
            {
                "activity_code": "ACT",
                "activity_title": "Techniek",
                "series_code": spec["series"],
                "session_date": spec["day"].isoformat(),
                "start_time": spec["start"],
                "end_time": f"{end_hour:02d}:00",
                "location_nis": PLACES["ABC".index(spec["series"])],
                "participant_ref": f"K{spec['child']}",
                "birth_year": str(2004 + spec["child"]),  # ages 4..22 in 2026
                "residence_postal_code": "",
            }
        )
    # One end time per session: the first row's.
    ends = {}
    for r in rows:
        r["end_time"] = ends.setdefault(
            (r["series_code"], r["session_date"], r["start_time"]), r["end_time"]
        )
    # A child cannot be at two overlapping sessions: keep the first of such rows only.
    kept, busy = [], {}
    for r in rows:
        moment = (r["start_time"], r["end_time"])
        taken = busy.setdefault((r["participant_ref"], r["session_date"]), [])
        if any(moment[0] < end and start < moment[1] for start, end in taken):
            continue
        taken.append(moment)
        kept.append(r)
    return kept


def _totals(academy):
    return [
        (line.municipality_id, line.child_minutes)
        for line in child_minutes_by_academy_and_municipality(*PERIOD, academy_ids=[academy.pk])
    ]


def _reset():
    Activity.objects.all().delete()
    Participant.objects.all().delete()
    Academy.objects.all().delete()


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(specs=st.lists(row, min_size=1, max_size=40), seed=st.randoms(use_true_random=False))
def test_kind_hours_do_not_depend_on_row_order(municipalities, specs, seed):
    rows = _rows(specs)
    first = recognised_academy(since=date(2026, 2, 1))
    import_attendance(actor=None, academy=first, rows=rows)
    shuffled = list(rows)
    seed.shuffle(shuffled)
    second = recognised_academy(since=date(2026, 2, 1))
    import_attendance(actor=None, academy=second, rows=shuffled)
    assert _totals(first) == _totals(second)
    _reset()


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(specs=st.lists(row, min_size=2, max_size=40), cut=st.integers(0, 40))
def test_importing_a_file_in_two_parts_gives_the_same_totals(municipalities, specs, cut):
    rows = _rows(specs)
    cut = min(cut, len(rows))
    whole = recognised_academy()
    import_attendance(actor=None, academy=whole, rows=rows)
    parts = recognised_academy()
    if rows[:cut]:
        import_attendance(actor=None, academy=parts, rows=rows[:cut])
    if rows[cut:]:
        import_attendance(actor=None, academy=parts, rows=rows[cut:])
    assert _totals(whole) == _totals(parts)
    _reset()


@pytest.mark.django_db
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(specs=st.lists(row, min_size=1, max_size=30))
def test_totals_per_academy_municipality_and_period_agree(municipalities, specs):
    from academies.kind_hours import child_minutes_by_municipality, child_minutes_by_period

    rows = _rows(specs)
    # Move every other row to the second half of the year (same weekday, 26 weeks later).
    for i, r in enumerate(rows):
        if i % 2:
            r["session_date"] = (
                date.fromisoformat(r["session_date"]) + timedelta(weeks=26)
            ).isoformat()
    academy = recognised_academy()
    import_attendance(actor=None, academy=academy, rows=rows)
    year = (date(2026, 1, 1), date(2026, 12, 31))
    lines = child_minutes_by_academy_and_municipality(*year)
    by_place = child_minutes_by_municipality(*year)
    by_period = child_minutes_by_period(*year)
    total = sum(line.child_minutes for line in lines)
    assert sum(by_place.values()) == total == sum(by_period.values())
    assert set(by_period) <= {"2026-1", "2026-2"}
    assert by_period.get("2026-1", 0) == sum(
        line.child_minutes for line in child_minutes_by_academy_and_municipality(*PERIOD)
    )
    assert "21004" not in by_place  # Brussels never counts
    _reset()
