"""Background exports: the status row, the file's rows, neutralised formulas, owner only."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from academies.models import Academy, Session
from reporting import exports
from reporting.models import ExportJob, ExportStatus, ExportTable
from stemnet.models import AuditEvent
from tests.factories import AcademyFactory, make_member, make_staff
from tests.reporting.test_dashboard import _small_network

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+32 9 123", "'+32 9 123"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-12", "-12"),
        ("-3.50", "-3.50"),
        ("Gent", "Gent"),
        (12, 12),
        (None, None),
    ],
)
def test_formula_like_cells_are_neutralised(value, expected):
    assert exports.neutralise(value) == expected


def _start(client, user, table, fmt="csv", period=""):
    client.force_login(user)
    return client.post(
        reverse("reporting:start_export"), {"tabel": table, "formaat": fmt, "periode": period}
    )


def _rows(job):
    with job.file.open("rb") as handle:
        content = handle.read()
    if job.format == "xlsx":
        sheet = load_workbook(io.BytesIO(content), read_only=True).active
        return [
            ["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)
        ]
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


def test_export_runs_on_commit_and_only_its_owner_can_download(
    client, django_capture_on_commit_callbacks
):
    _small_network()
    Academy.objects.update(name="=cmd|' /C calc'!A0")
    staff, other = make_staff(), make_staff()
    with django_capture_on_commit_callbacks(execute=True):
        response = _start(client, staff, ExportTable.SESSIONS, "csv", "2016")
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.DONE and job.owner == staff
    rows = _rows(job)
    assert rows[0][:3] == ["id", "academy", "academie"]
    expected = list(
        Session.objects.filter(date__year=2016).order_by("id").values_list("id", flat=True)
    )
    assert [int(r[0]) for r in rows[1:]] == expected
    assert {r[2] for r in rows[1:]} == {"'=cmd|' /C calc'!A0"}
    assert job.expires_at > timezone.now()
    assert AuditEvent.objects.filter(action="export.requested", object_id=str(job.pk)).exists()
    page = client.get(reverse("reporting:downloads")).content.decode()
    assert reverse("reporting:download", args=[job.pk]) in page
    assert 'hx-trigger="every 2s"' not in page  # nothing pending: no polling
    download = client.get(reverse("reporting:download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"id,academy")
    client.force_login(other)
    assert client.get(reverse("reporting:download", args=[job.pk])).status_code == 404
    assert (
        reverse("reporting:download", args=[job.pk])
        not in client.get(reverse("reporting:downloads")).content.decode()
    )
    client.force_login(make_member())
    assert client.get(reverse("reporting:download", args=[job.pk])).status_code == 403


def test_xlsx_kind_hours_export_matches_the_dashboard(client, django_capture_on_commit_callbacks):
    _small_network()
    with django_capture_on_commit_callbacks(execute=True):
        _start(client, make_staff(), ExportTable.KIND_HOURS, "xlsx", "2016")
    job = ExportJob.objects.get()
    rows = _rows(job)
    assert rows[0] == [
        "academie_id",
        "kbo",
        "academie",
        "nis",
        "gemeente",
        "kindminuten",
        "kind_uren",
    ]
    assert sum(int(r[5]) for r in rows[1:]) == 600  # 10 KIND-uren, as the dashboard says


def test_pending_export_is_polled_and_shows_progress(client):
    staff = make_staff()
    client.force_login(staff)
    ExportJob.objects.create(
        owner=staff, table="sessions", format="csv", status="running", rows_total=10, rows_done=4
    )
    page = client.get(reverse("reporting:downloads_status")).content.decode()
    assert 'hx-trigger="every 2s"' in page and 'value="40"' in page


def test_every_table_exports(django_capture_on_commit_callbacks):
    _small_network()
    AcademyFactory()
    staff = make_staff()
    for table in ExportTable.values:
        with django_capture_on_commit_callbacks(execute=True):
            job = exports.request_export(actor=staff, table=table, fmt="csv", period="2016")
        job.refresh_from_db()
        assert job.status == ExportStatus.DONE, (table, job.error)
        assert len(_rows(job)) >= 1


def test_bad_requests_are_refused_with_a_message(client):
    response = _start(client, make_staff(), "passwords", "csv")
    assert response.status_code == 302 and not ExportJob.objects.exists()
    with pytest.raises(exports.ExportError):
        exports.request_export(actor=make_member(), table="academies", fmt="csv")
    with pytest.raises(exports.ExportError):
        exports.request_export(actor=make_staff(), table="kind_hours", fmt="csv")


def test_expired_files_are_deleted_and_no_longer_served(client, django_capture_on_commit_callbacks):
    staff = make_staff()
    with django_capture_on_commit_callbacks(execute=True):
        job = exports.request_export(actor=staff, table="academies", fmt="csv")
    job.refresh_from_db()
    path = job.file.path
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(staff)
    assert client.get(reverse("reporting:download", args=[job.pk])).status_code == 404
    assert exports.purge_expired_exports() == 1
    job.refresh_from_db()
    assert job.status == ExportStatus.EXPIRED and not job.file
    import os

    assert not os.path.exists(path)


def test_a_rerun_of_a_finished_export_changes_nothing(django_capture_on_commit_callbacks):
    staff = make_staff()
    with django_capture_on_commit_callbacks(execute=True):
        job = exports.request_export(actor=staff, table="academies", fmt="csv")
    job.refresh_from_db()
    assert exports.run_export(job.pk) is None
    assert ExportJob.objects.get(pk=job.pk).file == job.file
