"""An export through a real Celery worker process on Redis and PostgreSQL (the command
docker-compose's worker runs), on a queue of its own (tests/workers.py says why)."""

import io
import os
import time

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from academies.models import Academy, Session
from reporting.models import ExportJob, ExportStatus
from tests.factories import make_staff
from tests.reporting.test_dashboard import _small_network
from tests.workers import database_url, private_queue, start_worker, stop_worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queue():
    with private_queue("test-exports") as name:
        yield name


def _wait(predicate, worker, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        if worker.poll() is not None:
            return False
        time.sleep(0.2)
    return False


def test_xlsx_export_through_a_real_worker(client, municipalities, queue):
    _small_network()
    Academy.objects.update(name="@SUM(1+1)*cmd|' /C calc'!A0")
    staff, other = make_staff(), make_staff()
    env = {
        "DATABASE_URL": database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    worker = start_worker(env, queue)
    try:
        client.force_login(staff)
        response = client.post(
            reverse("reporting:start_export"),
            {"tabel": "sessions", "formaat": "xlsx", "periode": "2016"},
        )
        assert response.status_code == 302
        job = ExportJob.objects.get()
        done = _wait(
            lambda: (
                ExportJob.objects.get(pk=job.pk).status in (ExportStatus.DONE, ExportStatus.FAILED)
            ),
            worker,
        )
        assert done, "the export did not finish:\n" + stop_worker(worker)
    finally:
        log = stop_worker(worker)
    assert "reporting.tasks.run_export" in log
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE, job.error
    download = client.get(reverse("reporting:download", args=[job.pk]))
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:3] == ("id", "academy", "academie")
    database = list(
        Session.objects.filter(date__year=2016)
        .order_by("id")
        .values_list("id", "academy_id", "date", "counted_minutes")
    )
    date_col, minutes_col = header.index("date"), header.index("counted_minutes")
    exported = [(int(r[0]), int(r[1]), str(r[date_col])[:10], int(r[minutes_col])) for r in body]
    assert exported == [(i, a, d.isoformat(), m) for i, a, d, m in database]
    assert {r[2] for r in body} == {"'@SUM(1+1)*cmd|' /C calc'!A0"}  # neutralised
    assert job.rows_total == len(database) and job.progress_percent == 100
    client.force_login(other)
    assert client.get(reverse("reporting:download", args=[job.pk])).status_code == 404
