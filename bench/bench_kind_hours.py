"""KIND-uren: importing 10,000 register rows, and one period's eligible KIND-uren for the
whole network, compared with a hand-written SQL aggregate over the same tables."""

from datetime import date

from django.db import connection, transaction

from academies.imports import import_attendance, read_file
from academies.kind_hours import child_minutes_by_academy_and_municipality
from bench.timing import best_of, table
from tests.factories_activities import register_rows, to_csv

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
        f"network period 2016-1: {len(orm)} academy×municipality lines, {total} KIND-uren "
        f"({connection.vendor})"
    )
    table(
        [
            ("KIND-uren, hand-written SQL aggregate", sql_time, None),
            ("KIND-uren, ORM aggregation (kind_hours.py)", orm_time, sql_time),
            ("register file: parse 10,000 CSV rows", parse_time, None),
            ("register import: 10,000 rows, validate + write", import_time, parse_time),
        ]
    )
