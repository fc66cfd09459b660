"""One participant rule for every entry point, bounded requests, and bad input refused
with a message instead of a 500 (issue 8 findings 4, 5, 7; issue 13's participant rule)."""

import io
import zipfile
from datetime import date, time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from academies.forms.activities import ParticipantForm, SeriesForm
from academies.imports import COLUMNS, ImportRejected, import_attendance, read_file
from academies.models import (
    Activity,
    Attendance,
    ImportJob,
    ImportStatus,
    Participant,
    Series,
    Session,
)
from academies.services import AcademyError
from academies.services import activities as services
from stemnet.models import Municipality
from stemnet.periods import HalfYear
from tests.factories import AcademyFactory, make_member
from tests.factories.activities import recognised_academy, register_rows, to_csv

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(m.objects.count() for m in (Activity, Series, Session, Participant, Attendance))


# (ref, birth_year, postal_code, accepted). The same table goes through the form and the
# import: both must accept and refuse exactly the same rows.
PARTICIPANTS = [
    ("K1", "2015", "9000", True),
    ("K1", "1900", "", True),  # the lower bound is the same everywhere now
    ("K1", "1899", "", False),
    ("K1", "1950", "9000", True),  # the form refused this before (≥ 1990), the import not
    ("K1", "2999", "", False),  # the future
    ("K1", "2015", "1000", False),  # Brussels: not Flemish
    ("K1", "2015", "90", False),
    ("K1", "2015", "９０００", False),  # full-width digits
    ("K\x0b1", "2015", "", False),
    ("K" * 51, "2015", "", False),
    ("", "2015", "", False),
]


@pytest.mark.parametrize(("ref", "birth_year", "postal_code", "accepted"), PARTICIPANTS)
def test_form_and_import_accept_and_refuse_the_same_participants(
    municipalities, ref, birth_year, postal_code, accepted
):
    form = ParticipantForm(
        {"ref": ref, "birth_year": birth_year, "residence_postal_code": postal_code}
    )
    assert form.is_valid() is accepted, form.errors
    academy = recognised_academy()
    row = {
        **register_rows(1, 1)[0],
        "participant_ref": ref,
        "birth_year": birth_year,
        "residence_postal_code": postal_code,
    }
    try:
        import_attendance(actor=None, academy=academy, rows=[row])
    except ImportRejected:
        imported = False
    else:
        imported = True
    assert imported is accepted
    if accepted:  # and the service, the third entry point
        participant = services.add_participant(
            actor=None,
            academy=AcademyFactory(),
            ref=ref,
            birth_year=int(birth_year),
            residence_postal_code=postal_code,
        )
        assert participant.pk
    else:
        with pytest.raises(AcademyError):
            services.add_participant(
                actor=None,
                academy=AcademyFactory(),
                ref=ref,
                birth_year=int(birth_year) if birth_year.isascii() else 2015,
                residence_postal_code=postal_code,
            )


@pytest.mark.parametrize(
    ("fields", "name"),
    [
        ({"birth_year": 1899}, "participant_birth_year_range"),
        ({"birth_year": 2101}, "participant_birth_year_range"),
        ({"ref": ""}, "participant_ref_clean"),
        ({"ref": "K\x0b1"}, "participant_ref_clean"),
    ],
)
def test_the_database_refuses_what_the_rule_refuses(fields, name):
    academy = AcademyFactory()
    values = {"academy": academy, "ref": "K1", "birth_year": 2015, **fields}
    with pytest.raises(IntegrityError, match=name), transaction.atomic():
        Participant.objects.bulk_create([Participant(**values)])


def test_the_database_refuses_session_dates_outside_2000_2100(municipalities):
    academy = recognised_academy()
    import_attendance(actor=None, academy=academy, rows=register_rows(1, 1))
    session = Session.objects.get()
    with pytest.raises(IntegrityError, match="session_date_in_range"), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(date=date(1, 1, 1))


def test_a_series_over_decades_is_refused_by_form_and_service(municipalities):
    data = {
        "code": "X",
        "place": "44021",
        "start_date": "2027-01-01",
        "end_date": "2099-12-31",
        "weekdays": ["0", "1", "2", "3", "4", "5", "6"],
        "start_time": "10:00",
        "end_time": "11:00",
    }
    form = SeriesForm(data)
    assert not form.is_valid()
    assert "hoogstens een jaar" in str(form.errors["end_date"])
    academy = recognised_academy()
    activity = Activity.objects.create(academy=academy, code="A", title="A")
    with pytest.raises(AcademyError, match="hoogstens een jaar"):
        services.create_series(
            actor=None,
            activity=activity,
            code="X",
            municipality=Municipality.objects.get(refnis="44021"),
            start_date=date(2027, 1, 1),
            end_date=date(2099, 12, 31),
            weekdays=range(7),
            start_time=time(10),
            end_time=time(11),
        )
    assert Session.objects.count() == 0 and Series.objects.count() == 0
    # A year of every weekday is the most one request creates.
    series = services.create_series(
        actor=None,
        activity=activity,
        code="Y",
        municipality=Municipality.objects.get(refnis="44021"),
        start_date=date(2027, 1, 1),
        end_date=date(2027, 12, 31),
        weekdays=range(7),
        start_time=time(10),
        end_time=time(11),
    )
    assert series.sessions.count() == 365


def test_the_series_post_over_decades_is_a_form_error_not_26000_sessions(client, municipalities):
    academy = recognised_academy()
    activity = Activity.objects.create(academy=academy, code="A", title="A")
    client.force_login(make_member(academy))
    response = client.post(
        reverse("academies:activity", args=[academy.pk, activity.pk]),
        {
            "code": "X",
            "place": "44021",
            "start_date": "2027-01-01",
            "end_date": "2099-12-31",
            "weekdays": ["0", "1", "2", "3", "4", "5", "6"],
            "start_time": "10:00",
            "end_time": "11:00",
        },
    )
    assert response.status_code == 200
    assert "hoogstens een jaar" in response.content.decode()
    assert Session.objects.count() == 0


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"not a zip at all", "r.xlsx", "geen geldig XLSX"),
        (_zip({"xl/workbook.xml": b"<x/>"}), "r.xlsx", "geen geldig XLSX"),
        (
            _zip({"[Content_Types].xml": b"<x/>", "xl/worksheets/sheet1.xml": b"0" * 50_000_000}),
            "r.xlsx",
            "uitgepakt te groot",
        ),
        (_zip({"[Content_Types].xml": b"<x/>"}), "r.xlsx", "kan niet gelezen worden"),
        (
            ",".join(COLUMNS).encode() + b'\n"' + b"x" * 140_000 + b'"\n',
            "r.csv",
            "kan niet gelezen",
        ),
        ((",".join(COLUMNS) + "\nRobotica é").encode("latin-1"), "r.csv", "UTF-8"),
    ],
)
def test_broken_files_are_refused_with_a_message(content, name, message):
    with pytest.raises(ValueError, match=message):
        read_file(content, name)


def test_a_file_over_the_row_limit_is_refused_before_anything_is_written(
    municipalities, monkeypatch
):
    from academies import imports

    monkeypatch.setattr(imports, "MAX_ROWS", 5)
    with pytest.raises(ValueError, match="meer dan 5 rijen"):
        read_file(to_csv(register_rows(2, 3)), "r.csv")


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        ({"activity_title": "x" * 201}, "activity_title", "hoogstens 200"),
        ({"activity_code": "x" * 51}, "activity_code", "hoogstens 50"),
        ({"series_code": "x" * 51}, "series_code", "hoogstens 50"),
        ({"participant_ref": "x" * 51}, "participant_ref", "hoogstens 50"),
        ({"activity_title": "x" * 5000}, "activity_title", "te lang"),
        ({"activity_title": "a\x00b"}, "activity_title", "controleteken"),
        ({"participant_ref": "K\x0b"}, "participant_ref", "controleteken"),
        ({"session_date": "0001-01-01"}, "session_date", "tussen 2000 en 2100"),
        ({"session_date": "2101-01-01"}, "session_date", "tussen 2000 en 2100"),
        ({"birth_year": "١٢٣٤"}, "birth_year", "vier cijfers"),
    ],
)
def test_bad_values_are_row_errors_not_500s(municipalities, change, column, message):
    academy = recognised_academy()
    rows = register_rows(1, 2)
    rows[1] = {**rows[1], **change}
    with pytest.raises(ImportRejected) as rejected:
        import_attendance(actor=None, academy=academy, rows=rows)
    errors = rejected.value.result.errors
    assert [(e.row, e.column) for e in errors] == [(3, column)]
    assert message in errors[0].message
    assert _counts() == (0, 0, 0, 0, 0)


def test_period_codes_are_zero_padded_and_bounded():
    assert HalfYear(1, 1).code == "0001-1"
    for code in ("0001-1", "1999-2", "2101-1", "9999-2"):
        with pytest.raises(ValueError):
            HalfYear.parse(code)
    assert HalfYear.parse("2026-2").code == "2026-2"


def _upload(rows, name="r.csv"):
    return SimpleUploadedFile(name, to_csv(rows))


def test_a_large_import_runs_as_a_job_the_page_polls(client, municipalities, monkeypatch):
    """Above the synchronous size the upload becomes a queued job; the worker imports
    it; the page (htmx partial while running) shows progress, then the outcome."""
    from academies.services import imports as import_services
    from academies.tasks import run_import_job

    monkeypatch.setattr(import_services, "SYNC_MAX_BYTES", 0)
    monkeypatch.setattr("academies.tasks.enqueue_import", lambda job_id: None)  # the broker
    academy = recognised_academy()
    client.force_login(make_member(academy))
    response = client.post(
        reverse("academies:import", args=[academy.pk]), {"file": _upload(register_rows(3, 3))}
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("academies:import_job", args=[academy.pk, job.pk])
    assert job.status == ImportStatus.QUEUED and job.file
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, rows_checked=1000)
    partial = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "1000 rijen nagekeken" in partial and "hx-get" in partial
    assert "<html" not in partial
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
    run_import_job(job.pk)
    run_import_job(job.pk)  # a second delivery of the task changes nothing
    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED and job.created["attendance"] == 9
    assert not job.file  # the personal data file is gone once processed
    page = client.get(response["Location"]).content.decode()
    assert "9 rijen ingelezen" in page and "hx-get" not in page
    assert Attendance.objects.count() == 9


def test_a_refused_background_import_lists_every_error_and_writes_nothing(
    client, municipalities, monkeypatch, django_capture_on_commit_callbacks
):
    from academies.services import imports as import_services

    monkeypatch.setattr(import_services, "SYNC_MAX_BYTES", 0)
    monkeypatch.setattr(
        "academies.tasks.enqueue_import", lambda job_id: import_services.run_import(job_id)
    )
    academy = recognised_academy()
    client.force_login(make_member(academy))
    rows = register_rows(3, 3)
    rows[4] = {**rows[4], "location_nis": "99999"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("academies:import", args=[academy.pk]), {"file": _upload(rows)}
        )
    with_commit = client.get(response["Location"])
    page = with_commit.content.decode()
    assert "<td>6</td><td><code>location_nis</code></td>" in page
    assert "Er werd niets ingelezen" in page
    assert _counts() == (0, 0, 0, 0, 0)


def test_the_broker_down_leaves_a_failed_job_with_a_message(
    client, municipalities, monkeypatch, django_capture_on_commit_callbacks
):
    from academies.services import imports as import_services
    from academies.tasks import run_import_job

    def down(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(import_services, "SYNC_MAX_BYTES", 0)
    monkeypatch.setattr(run_import_job, "delay", down)
    academy = recognised_academy()
    client.force_login(make_member(academy))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("academies:import", args=[academy.pk]),
            {"file": _upload(register_rows(1, 1))},
        )
    response = client.get(response["Location"])
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "niet bereikbaar" in response.content.decode()
    assert _counts() == (0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("r.xlsx", b"PK\x03\x04 broken"),
        ("r.csv", b"\x00\x01\x02"),
        ("r.csv", "activity_code\n".encode("utf-16")),
    ],
)
def test_the_import_page_answers_broken_files_with_a_form_error(client, name, content):
    academy = recognised_academy()
    client.force_login(make_member(academy))
    response = client.post(
        reverse("academies:import", args=[academy.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode() or "err" in response.content.decode()
    assert ImportJob.objects.get().status == ImportStatus.REJECTED


def test_a_job_whose_worker_died_shows_as_interrupted_not_running_for_ever(client, municipalities):
    from datetime import timedelta

    from django.utils import timezone

    academy = recognised_academy()
    client.force_login(make_member(academy))
    job = ImportJob.objects.create(
        academy=academy,
        filename="r.csv",
        status=ImportStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=5),
    )
    url = reverse("academies:import_job", args=[academy.pk, job.pk])
    assert "hx-get" in client.get(url).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(hours=1))
    page = client.get(url).content.decode()
    assert "hx-get" not in page and "Importeer het bestand opnieuw" in page


def test_an_import_job_of_someone_no_longer_member_is_refused_with_the_reason(
    municipalities,
):
    from academies.models import Membership
    from academies.services import imports as import_services

    academy = recognised_academy()
    member = make_member(academy)
    job = ImportJob.objects.create(academy=academy, created_by=member, filename="r.csv")
    job.file.save("r.csv", SimpleUploadedFile("r.csv", to_csv(register_rows(1, 1))))
    Membership.objects.filter(user=member).delete()
    import_services.run_import(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.REJECTED
    assert "Enkel leden van de academie" in job.message
    assert _counts() == (0, 0, 0, 0, 0)
