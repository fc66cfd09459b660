"""KIND-uren: one period's eligible KIND-uren for the whole network, summed over sessions
(stored eligible children), against the hand-written SQL aggregate over attendance rows;
the calculation end to end and the live what-if against the same baseline; importing
10,000 register rows. Prints both figures: they must be equal to the child-minute."""

import statistics
import time
from datetime import date

from django.db import connection, transaction

from academies.imports import import_attendance, read_file
from academies.kind_hours import (
    child_minutes_by_academy_and_municipality,
    child_minutes_by_academy_and_municipality_from_attendance,
    child_minutes_by_municipality,
    child_minutes_by_period,
)
from academies.models import Attendance, Session
from bench.timing import best_of, best_of_interleaved, percentile, table
from tests.factories.activities import register_rows, to_csv

HAND_SQL = """
SELECT s.academy_id, s.municipality_id, SUM(s.counted_minutes)
FROM academies_attendance a
JOIN academies_session s ON s.id = a.session_id
JOIN academies_participant p ON p.id = a.participant_id
JOIN stemnet_municipality m ON m.refnis = s.municipality_id
WHERE s.date BETWEEN %s AND %s
  AND s.counted_minutes > 0
  AND m.region = '02000'
  AND {year}(s.date) - p.birth_year BETWEEN 5 AND 18
  AND EXISTS (SELECT 1 FROM academies_recognition r
              WHERE r.academy_id = s.academy_id AND r.valid_from <= s.date
                AND (r.valid_until IS NULL OR r.valid_until >= s.date))
GROUP BY s.academy_id, s.municipality_id
ORDER BY s.academy_id, s.municipality_id
"""


def _hand_sql(start, end):
    year = "EXTRACT(YEAR FROM {})" if connection.vendor == "postgresql" else None
    sql = HAND_SQL.replace(
        "{year}(s.date)",
        year.format("s.date") + "::int" if year else "CAST(strftime('%%Y', s.date) AS INTEGER)",
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, end])
        return cursor.fetchall()


SESSION_SQL = """
SELECT s.academy_id, s.municipality_id, SUM(s.counted_minutes * s.eligible_children)
FROM academies_session s
JOIN stemnet_municipality m ON m.refnis = s.municipality_id
WHERE s.date BETWEEN %s AND %s
  AND s.counted_minutes > 0 AND s.eligible_children > 0
  AND m.region = '02000'
  AND EXISTS (SELECT 1 FROM academies_recognition r
              WHERE r.academy_id = s.academy_id AND r.valid_from <= s.date
                AND (r.valid_until IS NULL OR r.valid_until >= s.date))
GROUP BY s.academy_id, s.municipality_id
ORDER BY s.academy_id, s.municipality_id
"""


def _session_sql(start, end):
    with connection.cursor() as cursor:
        cursor.execute(SESSION_SQL, [start, end])
        return cursor.fetchall()


def _period_2016_1():
    from academies.models import ReportingPeriod
    from subsidies import services
    from subsidies.models import Period, PeriodStatus

    reporting, _ = ReportingPeriod.objects.get_or_create(
        code="2016-1", defaults={"start_date": date(2016, 1, 1), "end_date": date(2016, 6, 30)}
    )
    period, _ = Period.objects.get_or_create(reporting_period=reporting)
    if period.status == PeriodStatus.OPEN:
        period.budget_cents, period.academy_cap_cents = 500_000_00, 2_000_00
        period.save()
        services.transition(actor=None, period=period, to=PeriodStatus.CLOSED)
    return Period.objects.select_related("reporting_period").get(pk=period.pk)


def _what_if_changes(period, n: int) -> list[float]:
    """Server-side work of ``n`` live what-if answers (snapshot from the cache, exclusion
    rule, both distributions through the scheme, the comparison and the chart bars), one
    parameter changed each time, after one answer that filled the cache."""
    from subsidies import whatif

    def answer(budget_cents):
        current, proposed = whatif.simulate(period, {"budget_cents": budget_cents})
        rows = whatif.compare(current, proposed)
        whatif.distribution([a.amount_cents for a in proposed.awards])
        return rows

    answer(period.budget_cents)
    samples = []
    for i in range(n):
        started = time.perf_counter()
        answer(period.budget_cents + (i + 1) * 1_000_00)
        samples.append(time.perf_counter() - started)
    return samples


def _what_if_requests(period, n: int) -> list[float]:
    """Server time of ``n`` live what-if requests as the period page sends them (a staff
    session, the form's fields, one parameter changed each time) through Django's test
    client: URL routing, middleware, the snapshot, the scheme and the HTML fragment."""
    from django.urls import reverse

    from subsidies.forms import ParametersForm
    from tests.clients import PortalClient
    from tests.factories import make_staff

    name = f"bench-what-if-{time.time_ns()}"
    client = PortalClient(HTTP_HOST="localhost")
    client.force_login(make_staff(username=name, email=f"{name}@vlaio.example.org"))
    form = ParametersForm(initial=ParametersForm.initial_for(period))
    data = {field.html_name: field.value() for field in form}
    data = {k: "" if v is None else v for k, v in data.items()}
    url = reverse("subsidies_staff:what_if", args=[period.code])
    headers = {"HX-Request": "true"}
    assert client.post(url, data, headers=headers).status_code == 200
    samples = []
    for i in range(n):
        budget = f"{period.budget_cents // 100 + (i + 1) * 1000}"
        started = time.perf_counter()
        response = client.post(url, {**data, "budget_eur": budget}, headers=headers)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200 and b"what-if-result" in response.content
    return samples


def run(args) -> None:
    from academies.models import Academy
    from bench.bench_subsidies import _calculation
    from subsidies import services

    start, end = date(2016, 1, 1), date(2016, 6, 30)
    period = _period_2016_1()
    (sql_time, session_sql_time, orm_time, rows_orm_time, calc_time), results = best_of_interleaved(
        args.repeat,
        lambda: _hand_sql(start, end),
        lambda: _session_sql(start, end),
        lambda: child_minutes_by_academy_and_municipality(start, end),
        lambda: child_minutes_by_academy_and_municipality_from_attendance(start, end),
        lambda: _calculation(period, None),
    )
    sql, session_sql, orm, rows_orm, awards = results
    over_rows = [tuple(row) for row in sql]
    over_sessions = [(r.academy_id, r.municipality_id, r.child_minutes) for r in orm]
    assert over_sessions == over_rows, "KIND-uren over sessions and over attendance disagree"
    assert [tuple(row) for row in session_sql] == over_rows
    assert [(r.academy_id, r.municipality_id, r.child_minutes) for r in rows_orm] == over_rows
    total_rows = sum(row[2] for row in over_rows)
    total_sessions = sum(row[2] for row in over_sessions)
    total = total_sessions // 60
    what_if = _what_if_changes(period, 50)
    what_if_requests = _what_if_requests(period, 50)
    cold_time, _ = best_of(1, lambda: services.preview(period, {"academy_cap_cents": 1_500_00}))

    # The whole year (both periods, ~1.1M attendance rows at 10x): the same comparison,
    # plus the per-municipality and per-period aggregates the reporting pages use.
    year_start, year_end = date(2016, 1, 1), date(2016, 12, 31)
    year_sql_time, year_sql = best_of(args.repeat, lambda: _hand_sql(year_start, year_end))
    year_orm_time, year_orm = best_of(
        args.repeat, lambda: child_minutes_by_academy_and_municipality(year_start, year_end)
    )
    assert sum(r.child_minutes for r in year_orm) == sum(row[2] for row in year_sql)
    place_time, by_place = best_of(
        args.repeat, lambda: child_minutes_by_municipality(year_start, year_end)
    )
    period_time, by_period = best_of(
        args.repeat, lambda: child_minutes_by_period(year_start, year_end)
    )
    assert sum(by_place.values()) == sum(by_period.values()) == sum(row[2] for row in year_sql)
    sizes = {
        label: Attendance.objects.filter(session__date__gte=a, session__date__lte=b).count()
        for label, a, b in [("2016-1", start, end), ("2016", year_start, year_end)]
    }
    session_count = Session.objects.filter(date__gte=start, date__lte=end).count()

    content = to_csv(register_rows(200, 50, start=date(2026, 3, 7)))
    parse_time, rows = best_of(args.repeat, lambda: read_file(content, "register.csv"))

    def one_import():
        with transaction.atomic():
            academy = Academy.objects.order_by("id").first()
            result = import_attendance(actor=None, academy=academy, rows=rows)
            transaction.set_rollback(True)
        return result

    import_time, result = best_of(args.repeat, one_import)
    assert result.created["attendance"] == 10_000
    print(
        f"network: {Academy.objects.count()} academies, {Session.objects.count()} sessions, "
        f"{Attendance.objects.count()} attendance rows; 2016-1 has {sizes['2016-1']} "
        f"attendance rows in {session_count} sessions, 2016 has {sizes['2016']} "
        f"({connection.vendor})"
    )
    print(
        f"period 2016-1: {len(orm)} academy×municipality lines, {awards} awards; "
        f"child-minutes over attendance rows {total_rows}, over sessions {total_sessions} "
        f"({'equal' if total_rows == total_sessions else 'DIFFERENT'}, every line equal); "
        f"{total} KIND-uren; 2016: {sum(by_period.values()) // 60} KIND-uren in "
        f"{len(by_place)} municipalities"
    )
    table(
        [
            ("KIND-uren 2016-1, bare SQL over attendance", sql_time, None),
            ("KIND-uren 2016-1, bare SQL over sessions", session_sql_time, sql_time),
            ("KIND-uren 2016-1, kind_hours.py over sessions", orm_time, sql_time),
            ("KIND-uren 2016-1, kind_hours.py over attendance", rows_orm_time, sql_time),
            ("calculation end to end (aggregate, scheme, store)", calc_time, sql_time),
            ("what-if, snapshot not cached (preview)", cold_time, sql_time),
            ("live what-if, one change, p50 of 50", statistics.median(what_if), sql_time),
            ("live what-if, one change, p95 of 50", percentile(what_if, 0.95), sql_time),
            ("KIND-uren 2016, hand-written SQL aggregate", year_sql_time, None),
            ("KIND-uren 2016, ORM per academy × municipality", year_orm_time, year_sql_time),
            ("KIND-uren 2016, ORM per municipality", place_time, year_sql_time),
            ("KIND-uren 2016, ORM per period", period_time, year_sql_time),
            ("register file: parse 10,000 CSV rows", parse_time, None),
            ("register import: 10,000 rows, validate + write", import_time, parse_time),
        ]
    )
    print(
        f"{'live what-if request (htmx, server time), 50 changes':<52} "
        f"p50 {statistics.median(what_if_requests) * 1000:.1f}ms, "
        f"p95 {percentile(what_if_requests, 0.95) * 1000:.1f}ms  (goal p95 ≤ 50 ms)"
    )
