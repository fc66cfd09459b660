"""The PostgreSQL backend terminated during an import (issue 8, "Faults"): a clear
message, nothing half-written, and the same file imports at once when run again."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from academies import imports
from academies.models import Activity, Attendance, ImportJob, ImportStatus, Participant, Session
from academies.services.imports import start_import
from tests.factories import make_member
from tests.factories.activities import recognised_academy, register_rows, to_csv

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="pg_terminate_backend is PostgreSQL's"
    ),
]


def _terminate_own_backend():
    import psycopg2

    pid = connection.connection.get_backend_pid()
    settings = connection.settings_dict
    other = psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
    )
    other.autocommit = True
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    other.close()


def test_a_backend_killed_inside_the_import_transaction_leaves_nothing_and_a_rerun_works(
    municipalities, monkeypatch
):
    academy = recognised_academy()
    member = make_member(academy)
    content = to_csv(register_rows(5, 4))
    original = imports._write
    killed = []

    def dying_write(academy, valid):
        # A first write inside the transaction, then the backend dies under it.
        Activity.objects.create(academy=academy, code="HALF", title="half geschreven")
        _terminate_own_backend()
        killed.append(True)
        return original(academy, valid)

    monkeypatch.setattr(imports, "_write", dying_write)
    job = start_import(actor=member, academy=academy, upload=SimpleUploadedFile("r.csv", content))
    assert killed
    assert job.status == ImportStatus.FAILED
    assert "verbinding met de databank werd onderbroken" in job.message
    assert "opnieuw importeren" in job.message
    assert Activity.objects.count() == 0
    assert Session.objects.count() == Participant.objects.count() == Attendance.objects.count() == 0

    monkeypatch.setattr(imports, "_write", original)
    again = start_import(actor=member, academy=academy, upload=SimpleUploadedFile("r.csv", content))
    assert again.status == ImportStatus.SUCCEEDED
    assert again.created["attendance"] == 20
    assert Attendance.objects.count() == 20
    assert ImportJob.objects.filter(status=ImportStatus.FAILED).count() == 1
