"""Subsidies: a calculation for the whole network end to end, against the bare SQL
aggregate of the same data; letter rendering against bare WeasyPrint; a batch of letters
on two worker processes."""

import multiprocessing
import time
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from weasyprint import HTML

from bench.bench_kind_hours import _hand_sql
from bench.timing import best_of, table


def _calculation(period, staff_id):
    from subsidies import services
    from subsidies.models import CalculationRun

    with transaction.atomic():
        run = CalculationRun.objects.create(period=period, started_by_id=staff_id)
        services.execute_run(run.pk)
        awards = run.awards.count()
        transaction.set_rollback(True)  # leave the database as it was
    return awards


def _render_many(award_ids):
    import django

    django.setup()
    from django.db import connection as conn

    conn.close()  # a forked process opens its own connection
    from subsidies.letters import letter_html, render_pdf
    from subsidies.models import Award

    awards = Award.objects.select_related("run__period__reporting_period", "academy__municipality")
    by_id = awards.in_bulk(set(award_ids))
    for pk in award_ids:
        render_pdf(letter_html(by_id[pk]))
    return len(award_ids)


def run(args) -> None:
    from academies.models import ReportingPeriod
    from subsidies import services
    from subsidies.letters import letter_html, render_pdf
    from subsidies.models import CalculationRun, Period, PeriodStatus

    code = "2016-1"
    reporting, _ = ReportingPeriod.objects.get_or_create(
        code=code, defaults={"start_date": date(2016, 1, 1), "end_date": date(2016, 6, 30)}
    )
    period, _ = Period.objects.get_or_create(reporting_period=reporting)
    period.budget_cents = 500_000_00
    period.academy_cap_cents = 2_000_00
    period.spread_bonus, period.spread_cap = Decimal("0.1"), Decimal("0.3")
    if period.status == PeriodStatus.OPEN:
        period.status = PeriodStatus.CLOSED
    period.save()

    sql_time, _rows = best_of(
        args.repeat, lambda: _hand_sql(reporting.start_date, reporting.end_date)
    )
    calc_time, awards = best_of(args.repeat, lambda: _calculation(period, None))
    what_if_time, outcome = best_of(
        args.repeat, lambda: services.preview(period, {"academy_cap_cents": 1_500_00})
    )
    assert outcome.total_cents <= period.budget_cents

    # A stored run to render letters from (kept for the letter benchmark).
    run_obj = period.runs.filter(status="succeeded").first()
    if run_obj is None:
        run_obj = CalculationRun.objects.create(period=period)
        services.execute_run(run_obj.pk)
    award = (
        run_obj.awards.select_related("academy__municipality", "run__period__reporting_period")
        .order_by("-amount_cents")
        .first()
    )
    html = letter_html(award)
    bare_time, _ = best_of(5, lambda: HTML(string=html).write_pdf())
    ours_time, pdf = best_of(5, lambda: render_pdf(letter_html(award)))
    assert pdf.startswith(b"%PDF")

    # 1,300 letters (the 10x network); the generated network may have fewer awards, then
    # some letters are rendered twice, which costs the same.
    ids = list(run_obj.awards.order_by("id").values_list("pk", flat=True))
    ids = (ids * (1300 // len(ids) + 1))[:1300]
    chunks = [ids[0::2], ids[1::2]]
    connection.close()
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        rendered = sum(pool.map(_render_many, chunks))
    batch_time = time.perf_counter() - started

    print(
        f"period {code}: {awards} awards from {len(_rows)} academy×municipality lines "
        f"({connection.vendor})"
    )
    table(
        [
            ("bare SQL aggregate of the period's KIND-uren", sql_time, None),
            ("calculation end to end (aggregate, scheme, store)", calc_time, sql_time),
            ("what-if preview (aggregate, scheme, nothing stored)", what_if_time, sql_time),
            ("one letter: bare WeasyPrint of the same HTML", bare_time, None),
            ("one letter: letters.py (template + WeasyPrint)", ours_time, bare_time),
        ]
    )
    print(f"{'one letter, absolute per core':<52} {ours_time * 1000:>8.1f}ms  (goal ≤ 250 ms)")
    print(
        f"{f'batch: {rendered} letters on 2 worker processes':<52} {batch_time:>8.1f}s "
        f"  ({rendered / batch_time:.1f} letters/s)"
    )
