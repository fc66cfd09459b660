"""KIND-uren: importing 10,000 register rows, and one period's eligible KIND-uren for the
whole network, compared with a hand-written SQL aggregate over the same tables."""

from datetime import date

from django.db import connection, transaction

from academies.imports import import_attendance, read_file
from academies.kind_hours import (
    child_minutes_by_academy_and_municipality,
    child_minutes_by_municipality,
    child_minutes_by_period,
)
from academies.models import Attendance, Session
from bench.timing import best_of, table
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


def run(args) -> None:
    from academies.models import Academy

    start, end = date(2016, 1, 1), date(2016, 6, 30)
    orm_time, orm = best_of(
        args.repeat, lambda: child_minutes_by_academy_and_municipality(start, end)
    )
    sql_time, sql = best_of(args.repeat, lambda: _hand_sql(start, end))
    assert [(r.academy_id, r.municipality_id, r.child_minutes) for r in orm] == [
        tuple(row) for row in sql
    ], "ORM and hand-written SQL disagree"
    total = sum(r.child_minutes for r in orm) // 60

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
        f"attendance rows, 2016 has {sizes['2016']} ({connection.vendor})"
    )
    print(
        f"period 2016-1: {len(orm)} academy×municipality lines, {total} KIND-uren; "
        f"2016: {sum(by_period.values()) // 60} KIND-uren in {len(by_place)} municipalities"
    )
    table(
        [
            ("KIND-uren 2016-1, hand-written SQL aggregate", sql_time, None),
            ("KIND-uren 2016-1, ORM aggregation (kind_hours.py)", orm_time, sql_time),
            ("KIND-uren 2016, hand-written SQL aggregate", year_sql_time, None),
            ("KIND-uren 2016, ORM per academy × municipality", year_orm_time, year_sql_time),
            ("KIND-uren 2016, ORM per municipality", place_time, year_sql_time),
            ("KIND-uren 2016, ORM per period", period_time, year_sql_time),
            ("register file: parse 10,000 CSV rows", parse_time, None),
            ("register import: 10,000 rows, validate + write", import_time, parse_time),
        ]
    )
