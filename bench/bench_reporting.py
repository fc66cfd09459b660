"""Reporting: the staff dashboard's and the public catalogue's server time (p50/p95 over
repeated requests through Django's test client: URL routing, middleware, queries and
template), with the dashboard computed afresh ("cold") and from its cache ("warm"); and the
export of the largest table (a year's sessions) in rows/s, against a bare
``COPY (SELECT …) TO STDOUT`` of the same rows on PostgreSQL, measured in the same run."""

import io
import time
from datetime import date

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from academies.models import Session
from bench.timing import best_of, p50_p95
from reporting.dashboard import Span
from reporting.exports import build_dataset, render
from reporting.models import ExportTable

COPY_SQL = """
COPY (
  SELECT s.id, s.academy_id, a.name, act.code, s.series_id, se.code, s.municipality_id,
         s.date, s.start_time, s.end_time, s.counted_minutes, s.school_minutes,
         s.over_cap_minutes
  FROM academies_session s
  JOIN academies_academy a ON a.id = s.academy_id
  JOIN academies_series se ON se.id = s.series_id
  JOIN academies_activity act ON act.id = se.activity_id
  WHERE s.date BETWEEN %s AND %s
  ORDER BY s.id
) TO STDOUT WITH (FORMAT csv, HEADER)
"""


def _timed_requests(client, url, n):
    samples, queries = [], None
    for _ in range(n):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    return (*p50_p95(samples), queries)


def _staff_client():
    from tests.clients import PortalClient
    from tests.factories import make_staff

    name = f"bench-{time.time_ns()}"
    staff = make_staff(username=name, email=f"{name}@vlaio.example.org")
    client = PortalClient(HTTP_HOST="localhost")
    client.force_login(staff)  # with the second factor: staff powers need it
    return client, staff


def _copy(start, end) -> int:
    buffer = io.StringIO()
    with connection.cursor() as cursor:
        cursor.copy_expert(cursor.mogrify(COPY_SQL, [start, end]).decode(), buffer)
    return buffer.getvalue().count("\n") - 1


def run(args) -> None:
    requests = max(args.repeat * 4, 10)
    client, staff = _staff_client()
    rows = []
    with override_settings(DASHBOARD_CACHE_SECONDS=0):
        cold = _timed_requests(client, "/staff/cijfers/?periode=2016", max(args.repeat, 3))
        cold_period = _timed_requests(client, "/staff/cijfers/?periode=2016-1", max(args.repeat, 3))
    client.get("/staff/cijfers/?periode=2016")  # fills the cache
    warm = _timed_requests(client, "/staff/cijfers/?periode=2016", requests)
    anonymous = Client(HTTP_HOST="localhost")
    search = _timed_requests(anonymous, "/catalogus/?waar=9000&leeftijd=8", requests)
    browse = _timed_requests(anonymous, "/catalogus/", requests)
    rows += [
        ("dashboard 2016, computed (cold)", cold),
        ("dashboard 2016-1, computed (cold)", cold_period),
        ("dashboard 2016, cached (warm)", warm),
        ("catalogue: postal code 9000, age 8", search),
        ("catalogue: first page, no filter", browse),
    ]
    print(f"{'page':<40} {'p50':>9} {'p95':>9} {'queries':>8}")
    for label, (p50, p95, queries) in rows:
        print(f"{label:<40} {p50 * 1000:>7.0f}ms {p95 * 1000:>7.0f}ms {queries:>8}")

    span = Span.parse("2016")
    n = Session.objects.filter(date__gte=span.start, date__lte=span.end).count()
    timings = []
    for fmt in ("csv", "xlsx"):
        seconds, content = best_of(
            1, lambda fmt=fmt: render(build_dataset(ExportTable.SESSIONS, span), fmt)
        )
        timings.append((f"export sessions 2016 ({fmt}, import-export)", seconds, len(content)))
    if connection.vendor == "postgresql":
        copy_seconds, copied = best_of(
            args.repeat, lambda: _copy(date(2016, 1, 1), date(2016, 12, 31))
        )
        assert copied == n, (copied, n)
    else:
        copy_seconds = None
    title = f"export of {n:,} session rows"
    print(f"\n{title:<44} {'time':>9} {'rows/s':>10} {'ratio':>8}")
    if copy_seconds:
        baseline = "COPY … TO STDOUT (baseline)"
        print(f"{baseline:<44} {copy_seconds:>8.2f}s {n / copy_seconds:>10,.0f} {'1.00x':>8}")
    for label, seconds, size in timings:
        ratio = f"{seconds / copy_seconds:.1f}x" if copy_seconds else "n/a"
        print(
            f"{label:<44} {seconds:>8.2f}s {n / seconds:>10,.0f} {ratio:>8}  ({size / 1e6:.1f} MB)"
        )
    staff.delete()
    if settings.DEBUG:
        print("(DEBUG is on: run with DEBUG=false for production-like timings)")
