"""Calculation runs, approval, letters and exports (Celery eager here; a real worker in
test_worker.py)."""

import csv
import io
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.signals import request_finished
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from subsidies import services
from subsidies.models import Award, CalculationRun, PeriodStatus, RunStatus
from subsidies.services import SubsidyError
from subsidies.templatetags.cents import euro
from tests.factories import make_member, make_staff
from tests.factories.subsidies import closed_period, network

pytestmark = pytest.mark.django_db


def _close(response):
    """Close a streamed file response the way the test client does: without the
    request_finished signal closing the test's database connection."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def _amounts(run):
    return sorted(Award.objects.filter(run=run).values_list("academy_id", "amount_cents"))


def _run(period, staff):
    with transaction.atomic():
        run = services.start_run(actor=staff, period=period)
    run.refresh_from_db()
    return run


@pytest.fixture
def period_and_staff(municipalities):
    network(3)
    return closed_period(budget_cents=600_001)


def test_a_run_stores_one_award_per_academy_and_a_line_per_municipality(
    period_and_staff, django_capture_on_commit_callbacks
):
    period, staff = period_and_staff
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(actor=staff, period=period)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED and run.progress == 100
    assert run.total_cents == 600_001 and run.unspent_cents == 0
    assert len(run.fingerprint) == 64
    awards = list(Award.objects.filter(run=run).order_by("academy_id"))
    assert len(awards) == 3
    assert sum(a.amount_cents for a in awards) == 600_001
    last = awards[-1]
    assert sorted(last.lines.values_list("municipality_id", flat=True)) == ["24062", "44021"]
    assert sum(last.lines.values_list("amount_cents", flat=True)) == last.amount_cents
    period.refresh_from_db()
    assert period.status == PeriodStatus.CALCULATED


def test_a_failure_midway_leaves_no_awards_and_a_rerun_gives_identical_amounts(
    period_and_staff, django_capture_on_commit_callbacks, monkeypatch
):
    period, staff = period_and_staff
    with django_capture_on_commit_callbacks(execute=True):
        clean = services.start_run(actor=staff, period=period)
    expected = [(a, c) for a, c in _amounts(clean)]

    original = services._write_lines

    def explode(*args, **kwargs):  # awards are written, then the lines fail
        raise RuntimeError("worker killed")

    monkeypatch.setattr(services, "_write_lines", explode)
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        failed = services.start_run(actor=staff, period=period)
    failed = (
        CalculationRun.objects.get(pk=failed.pk)
        if hasattr(failed, "pk")
        else CalculationRun.objects.filter(status=RunStatus.FAILED).get()
    )
    assert failed.status == RunStatus.FAILED
    assert not Award.objects.filter(run=failed).exists()
    monkeypatch.setattr(services, "_write_lines", original)
    with django_capture_on_commit_callbacks(execute=True):
        rerun = services.start_run(actor=staff, period=period)
    assert _amounts(rerun) == expected
    rerun.refresh_from_db()
    assert rerun.fingerprint == CalculationRun.objects.get(pk=clean.pk).fingerprint


def test_the_database_refuses_a_second_active_run(period_and_staff):
    period, staff = period_and_staff
    CalculationRun.objects.create(period=period, status=RunStatus.QUEUED)
    with pytest.raises(IntegrityError), transaction.atomic():
        CalculationRun.objects.create(period=period, status=RunStatus.RUNNING)
    with pytest.raises(SubsidyError, match="Er loopt al een berekening"):
        services.start_run(actor=staff, period=period)


def test_a_running_run_blocks_while_its_executor_lives_and_not_after(
    period_and_staff, django_capture_on_commit_callbacks
):
    """The executor holds an advisory lock on its own connection; while another session
    holds it a new start is refused, once it is gone the run counts as interrupted."""
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks need PostgreSQL")
    import psycopg2

    period, staff = period_and_staff
    running = CalculationRun.objects.create(period=period, status=RunStatus.RUNNING)
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    executor = psycopg2.connect(**params)
    try:
        executor.cursor().execute(
            "SELECT pg_advisory_lock(%s, %s)", [services.RUN_LOCK_NAMESPACE, running.pk]
        )
        with pytest.raises(SubsidyError, match="Er loopt al een berekening"):
            services.start_run(actor=staff, period=period)
        assert services.execute_run(running.pk) is None  # a redelivery does not run it twice
    finally:
        executor.close()  # the executor dies: its lock goes with its connection
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(actor=staff, period=period)
    run.refresh_from_db()
    running.refresh_from_db()
    assert running.status == RunStatus.FAILED and "Onderbroken" in running.error
    assert run.status == RunStatus.SUCCEEDED


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_starts_one_is_refused(municipalities, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    from subsidies import tasks

    monkeypatch.setattr(tasks.run_calculation, "delay", lambda run_id: None)
    network(1)
    period, staff = closed_period()
    barrier, outcomes = threading.Barrier(2), []

    def start():
        try:
            barrier.wait()
            services.start_run(actor=staff, period=period)
            outcomes.append("started")
        except SubsidyError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "started"]
    assert CalculationRun.objects.filter(period=period).count() == 1


def _approve(period, staff, capture):
    with capture(execute=True):
        services.start_run(actor=staff, period=period)
    period.refresh_from_db()
    services.transition(actor=staff, period=period, to=PeriodStatus.APPROVED)
    period.refresh_from_db()
    return period


def test_letters_contain_academy_period_total_and_municipality_lines(
    period_and_staff, django_capture_on_commit_callbacks
):
    period, staff = period_and_staff
    period = _approve(period, staff, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.send_letters(actor=staff, period=period) == 3
    assert callbacks
    period.refresh_from_db()
    assert period.status == PeriodStatus.LETTERS_SENT
    for award in Award.objects.filter(run=period.approved_run).select_related("academy", "letter"):
        with award.letter.file.open("rb") as handle:
            text = " ".join(page.extract_text() for page in PdfReader(handle).pages)
        text = " ".join(text.split())
        assert award.academy.name in text
        assert "2026-1" in text
        assert f"EUR {euro(award.amount_cents)}" in text
        for line in award.lines.select_related("municipality"):
            assert f"{line.municipality.name} {line.municipality_id}" in text
            assert euro(line.amount_cents) in text
    assert {m.to[0] for m in mail.outbox} == {
        a.academy.memberships.get().user.email
        for a in Award.objects.filter(run=period.approved_run)
    }


def test_approved_amounts_never_change(
    period_and_staff, django_capture_on_commit_callbacks, client
):
    period, staff = period_and_staff
    period = _approve(period, staff, django_capture_on_commit_callbacks)
    before = _amounts(period.approved_run)
    with pytest.raises(SubsidyError):
        services.start_run(actor=staff, period=period)
    with pytest.raises(SubsidyError):
        services.update_parameters(
            actor=staff, period=period, values={"budget_cents": 1}, priority_municipalities=[]
        )
    with pytest.raises(SubsidyError):
        services.transition(actor=staff, period=period, to=PeriodStatus.OPEN, reason="x")
    client.force_login(staff)
    url = reverse("subsidies_staff:period", args=[period.code])
    client.post(
        url,
        {
            "action": "parameters",
            "budget_eur": "1",
            "min_kind_hours": "0",
            "priority_weight": "1",
            "spread_bonus_pct": "0",
            "spread_cap_pct": "0",
        },
    )
    client.post(reverse("subsidies_staff:start_run", args=[period.code]))
    award = Award.objects.filter(run=period.approved_run).first()
    superuser = make_staff(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    change = reverse("admin:subsidies_award_change", args=[award.pk])
    assert client.post(change, {"amount_cents": 1}).status_code == 403
    assert (
        client.post(
            reverse("admin:subsidies_award_delete", args=[award.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert _amounts(period.approved_run) == before


def test_payment_export_and_letter_permissions(
    period_and_staff, django_capture_on_commit_callbacks, client
):
    period, staff = period_and_staff
    period = _approve(period, staff, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_letters(actor=staff, period=period)
    client.force_login(staff)
    response = client.get(reverse("subsidies_staff:export_csv", args=[period.code]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["kbo", "naam", "iban", "bedrag_eur", "referentie"]
    awards = Award.objects.filter(run=period.approved_run).select_related("academy")
    assert sorted(rows[1:]) == sorted(
        [
            a.academy.enterprise_number,
            a.academy.name,
            a.academy.iban,
            f"{a.amount_cents // 100}.{a.amount_cents % 100:02d}",
            a.reference,
        ]
        for a in awards
    )
    xlsx = client.get(reverse("subsidies_staff:export_xlsx", args=[period.code]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sorted([[c or "" for c in r] for r in sheet.iter_rows(values_only=True)][1:]) == sorted(
        rows[1:]
    )
    zipped = client.get(reverse("subsidies_staff:letters_zip", args=[period.code]))
    assert zipped["Content-Type"] == "application/zip"
    _close(zipped)
    first, second = Award.objects.filter(run=period.approved_run).order_by("academy_id")[:2]
    member = make_member(first.academy)
    client.force_login(member)
    own = client.get(reverse("subsidies:letter", args=[first.letter.pk]))
    assert own.status_code == 200
    assert b"".join(own.streaming_content).startswith(b"%PDF")
    _close(own)
    assert client.get(reverse("subsidies:letter", args=[second.letter.pk])).status_code == 404
    assert client.get(reverse("subsidies_staff:export_csv", args=[period.code])).status_code == 403


def test_what_if_shows_the_distribution_without_storing(period_and_staff, client):
    period, staff = period_and_staff
    client.force_login(staff)
    response = client.post(
        reverse("subsidies_staff:what_if", args=[period.code]),
        {
            "budget_eur": "3000",
            "academy_cap_eur": "1000",
            "min_kind_hours": "0",
            "priority_weight": "1",
            "spread_bonus_pct": "0",
            "spread_cap_pct": "0",
            "priority_refnis": "",
        },
    )
    body = response.content.decode()
    assert "3 academies, 2 gemeenten bereikt" in body
    assert "EUR 3.000,00" in body
    assert not CalculationRun.objects.exists()


def test_compute_subsidies_command_prints_the_same_figures(period_and_staff, tmp_path):
    period, _staff = period_and_staff
    out, csv_path = io.StringIO(), tmp_path / "out.csv"
    call_command("compute_subsidies", period.code, "--dry-run", "--csv", str(csv_path), stdout=out)
    rows = csv_path.read_text().splitlines()
    assert rows[0] == "kbo,academy,kind_uren,points,amount_eur"
    assert sum(int(r.split(",")[-1].replace(".", "")) for r in rows[1:]) == 600_001
    assert "6000.01" in out.getvalue()
    assert not CalculationRun.objects.exists()
