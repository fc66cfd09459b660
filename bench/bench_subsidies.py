"""Subsidies: a calculation for the whole network end to end, against the bare SQL
aggregate of the same data; letter rendering against bare WeasyPrint; a batch of letters
on two worker processes."""

import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from weasyprint import HTML

from bench.bench_kind_hours import _hand_sql
from bench.timing import best_of_interleaved, table

# Letters in a half year at ten times the network (one per academy, 1,300): the batches.
LETTERS = 1300


def _calculation(period, staff_id):
    from subsidies import services
    from subsidies.models import CalculationRun

    with transaction.atomic():
        run = CalculationRun.objects.create(period=period, started_by_id=staff_id)
        services.execute_run(run.pk)
        awards = run.awards.count()
        if connection.vendor == "postgresql":
            # The foreign keys are checked at commit: make them part of the time, although
            # nothing is committed.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
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
    cpu = time.process_time()
    for pk in award_ids:
        render_pdf(letter_html(by_id[pk]))
    return len(award_ids), time.process_time() - cpu


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
    period.save()
    if period.status == PeriodStatus.OPEN:  # a derived status: closed through the service
        services.transition(actor=None, period=period, to=PeriodStatus.CLOSED)
        period.refresh_from_db()

    (sql_time, calc_time, what_if_time), (_rows, awards, outcome) = best_of_interleaved(
        args.repeat,
        lambda: _hand_sql(reporting.start_date, reporting.end_date),
        lambda: _calculation(period, None),
        lambda: services.preview(period, {"academy_cap_cents": 1_500_00}),
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
    (bare_time, ours_time), (_, pdf) = best_of_interleaved(
        15, lambda: HTML(string=html).write_pdf(), lambda: render_pdf(letter_html(award))
    )
    assert pdf.startswith(b"%PDF")

    # 1,300 letters (the 10x network); the generated network may have fewer awards, then
    # some letters are rendered twice, which costs the same.
    ids = list(run_obj.awards.order_by("id").values_list("pk", flat=True))
    ids = (ids * (LETTERS // len(ids) + 1))[:LETTERS]
    chunks = [ids[0::2], ids[1::2]]
    connection.close()
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        results = pool.map(_render_many, chunks)
    rendered = sum(count for count, _cpu in results)
    cpu_per_letter = sum(cpu for _count, cpu in results) / rendered
    batch_time = time.perf_counter() - started

    celery_batch = _celery_batch(args) if os.environ.get("REDIS_URL") else None

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
    print(
        f"{'  of which CPU per letter in the batch (load-proof)':<52} "
        f"{cpu_per_letter * 1000:>8.1f}ms"
    )
    if celery_batch:
        count, seconds, award_ids = celery_batch
        bare = _bare_batch(award_ids)
        print(
            f"{f'batch: {count} letters, bare WeasyPrint on 2 processes':<52} {bare:>8.1f}s "
            f"  ({count / bare:.1f} letters/s; baseline)"
        )
        print(
            f"{f'batch: {count} letters, Celery worker --concurrency=2':<52} {seconds:>8.1f}s "
            f"  ({count / seconds:.1f} letters/s; render, store, e-mail, period moves on)"
            f"  {seconds / bare:.2f}x (goal <= 1.2x)"
        )


def _bare_many(htmls):
    """Bare WeasyPrint: each letter's HTML (made beforehand) to PDF, nothing else."""
    for html in htmls:
        HTML(string=html).write_pdf()
    return len(htmls)


def _bare_batch(award_ids) -> float:
    """The same letters' HTML rendered by bare WeasyPrint on two processes: the baseline of
    the worker's batch (seconds)."""
    from subsidies.letters import letter_html
    from subsidies.models import Award

    awards = Award.objects.select_related("run__period__reporting_period", "academy__municipality")
    by_id = awards.in_bulk(award_ids)
    htmls = [letter_html(by_id[pk]) for pk in award_ids]
    connection.close()
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(_bare_many, [htmls[0::2], htmls[1::2]])
    return time.perf_counter() - started


def _forget_queue(redis_url: str, name: str) -> None:
    """Remove the bench queue's keys (its list and Kombu's bindings) from Redis."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"*{name}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def _celery_batch(args):
    """Period 2016-2 calculated, approved and its letters sent through a real Celery worker
    with two processes (on a queue of its own), timed from each request to its last letter.
    Letters go to a temporary folder, e-mails nowhere. Returns how many letters, the
    seconds, and the awards in the order their letters were made (some twice)."""
    from academies.models import ReportingPeriod
    from stemnet.celery import app as celery_app
    from subsidies import services
    from subsidies.models import AwardLetter, Period, PeriodStatus

    reporting, _ = ReportingPeriod.objects.get_or_create(
        code="2016-2", defaults={"start_date": date(2016, 7, 1), "end_date": date(2016, 12, 31)}
    )
    period, _ = Period.objects.get_or_create(reporting_period=reporting)
    if period.status == PeriodStatus.OPEN:
        period.budget_cents, period.academy_cap_cents = 500_000_00, 2_000_00
        period.save()
        services.transition(actor=None, period=period, to=PeriodStatus.CLOSED)
        period.refresh_from_db()
    if period.status == PeriodStatus.CLOSED:
        with transaction.atomic():
            run = services.start_run(actor=None, period=period, enqueue=False)
        services.execute_run(run.pk)
        period.refresh_from_db()
    if period.status == PeriodStatus.CALCULATED:
        services.transition(actor=None, period=period, to=PeriodStatus.APPROVED)
    period.refresh_from_db()
    awards = period.approved_run.awards
    queue = f"bench-letters-{os.getpid()}"
    media = tempfile.mkdtemp(prefix="bench-letters-")
    env = {
        **os.environ,
        "MEDIA_ROOT": media,
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "stemnet",
            "worker",
            "--concurrency=2",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--queues={queue}",
            f"--hostname={queue}@%h",
        ],
        env=env,
        start_new_session=True,
    )
    try:
        time.sleep(8)  # let the worker start before the clock runs
        ids = list(awards.order_by("pk").values_list("pk", flat=True))
        letters = AwardLetter.objects.filter(award__run=period.approved_run)
        letters.delete()
        seconds, rendered = 0.0, []
        # 1,300 letters, as many as the 10x network would send: all of the period's, then
        # the first ones again (deleted, sent as the missing ones) until there are 1,300.
        while len(rendered) < LETTERS:
            again = ids[: LETTERS - len(rendered)]
            letters.filter(award__in=again).delete()
            previous = celery_app.conf.task_default_queue
            celery_app.conf.task_default_queue = queue
            started = time.perf_counter()
            try:
                services.send_letters(actor=None, period=period, only_missing=True)
            finally:
                celery_app.conf.task_default_queue = previous
            while letters.count() < len(ids):
                if worker.poll() is not None or time.perf_counter() - started > 1800:
                    raise RuntimeError("the worker stopped before all letters were rendered")
                time.sleep(0.5)
            seconds += time.perf_counter() - started
            rendered += again
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
        shutil.rmtree(media, ignore_errors=True)
        _forget_queue(os.environ["REDIS_URL"], queue)
    return len(rendered), seconds, rendered
