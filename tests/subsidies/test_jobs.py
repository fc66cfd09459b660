"""Background jobs never fail silently (issue 8 #6, issue 15 #1): a broker that cannot be
reached leaves nothing behind and says so, a run whose worker stopped shows as interrupted
and can be restarted at once, a letter that fails is shown with its error and retried, and
the payment export and the ZIP wait until every letter exists."""

import ast
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from stemnet.models import AuditEvent
from subsidies import services
from subsidies.models import (
    Award,
    AwardLetter,
    CalculationRun,
    LetterFailure,
    Period,
    PeriodStatus,
    RunStatus,
)
from tests.factories.subsidies import closed_period, network
from tests.subsidies.test_calculation import _close
from tests.workers import unreachable_broker

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _imports_of(path: Path) -> set[str]:
    """The subsidies modules a file imports, at any depth (function-level imports too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:  # from . import x / from .x import y
                if node.module:
                    found.add(node.module.split(".")[0])
                else:
                    found.update(alias.name for alias in node.names)
            elif node.module and node.module.startswith("subsidies."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(
                a.name.split(".")[1] for a in node.names if a.name.startswith("subsidies.")
            )
    return found


def test_no_import_cycle_in_subsidies():
    modules = {p.stem: p for p in (ROOT / "subsidies").glob("*.py")}
    graph = {name: _imports_of(path) & modules.keys() for name, path in modules.items()}
    assert "services" in graph["tasks"] and "tasks" not in graph["services"]

    def reaches(start, target, seen=()):
        return any(
            nxt == target or (nxt not in seen and reaches(nxt, target, (*seen, nxt)))
            for nxt in graph[start]
        )

    cycles = [name for name in graph if reaches(name, name)]
    assert cycles == []


@pytest.fixture
def period_and_staff(municipalities):
    network(3)
    return closed_period(budget_cents=600_001)


def _calculate_and_approve(period, staff, capture):
    with capture(execute=True):
        services.start_run(actor=staff, period=period)
    period.refresh_from_db()
    services.transition(actor=staff, period=period, to=PeriodStatus.APPROVED)
    return Period.objects.get(pk=period.pk)


@contextmanager
def executor_alive(run):
    """On PostgreSQL a live executor holds the run's advisory lock: hold it for the test."""
    if connection.vendor != "postgresql":
        yield
        return
    import psycopg2

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    executor = psycopg2.connect(**params)
    try:
        executor.cursor().execute(
            "SELECT pg_advisory_lock(%s, %s)", [services.RUN_LOCK_NAMESPACE, run.pk]
        )
        yield
    finally:
        executor.close()


def _page(client, period):
    return client.get(period.get_absolute_url()).content.decode()


# --- the broker cannot be reached ----------------------------------------------------------
# Transactional: the task is handed over when the view's transaction really commits.


@pytest.mark.django_db(transaction=True)
def test_a_calculation_started_with_the_broker_down_leaves_no_run_and_can_be_retried_at_once(
    period_and_staff, client
):
    period, staff = period_and_staff
    client.force_login(staff)
    start = reverse("subsidies_staff:start_run", args=[period.code])
    with unreachable_broker():
        response = client.post(start, follow=True)
    assert response.status_code == 200  # not a 500
    text = response.content.decode()
    assert "De taakverwerking is niet bereikbaar" in text and "niets bewaard" in text
    assert not CalculationRun.objects.exists()
    assert not AuditEvent.objects.filter(action="calculation.started").exists()
    period.refresh_from_db()
    assert period.status == PeriodStatus.CLOSED
    # The broker is back: the next start is not refused ("Er loopt al een berekening").
    response = client.post(start, follow=True)
    assert "Er loopt al een berekening" not in response.content.decode()
    run = CalculationRun.objects.get()
    assert run.status == RunStatus.SUCCEEDED and run.total_cents == 600_001
    assert AuditEvent.objects.filter(action="calculation.started").count() == 1


@pytest.mark.django_db(transaction=True)
def test_letters_requested_with_the_broker_down_leave_no_audit_claim_and_can_be_retried(
    period_and_staff, client, django_capture_on_commit_callbacks
):
    period, staff = period_and_staff
    period = _calculate_and_approve(period, staff, django_capture_on_commit_callbacks)
    client.force_login(staff)
    send = reverse("subsidies_staff:send_letters", args=[period.code])
    with unreachable_broker():
        response = client.post(send, {"confirm": "1"}, follow=True)
    assert response.status_code == 200
    assert "De taakverwerking is niet bereikbaar" in response.content.decode()
    assert not AuditEvent.objects.filter(action="letters.requested").exists()
    period.refresh_from_db()
    assert period.letters_requested_at is None and not AwardLetter.objects.exists()
    client.post(send, {"confirm": "1"})
    assert AwardLetter.objects.count() == 3
    assert AuditEvent.objects.filter(action="letters.requested").count() == 1
    period.refresh_from_db()
    assert period.status == PeriodStatus.LETTERS_SENT


# --- a worker that stopped -----------------------------------------------------------------


def test_a_run_whose_heartbeat_stopped_shows_as_interrupted_and_restarts_at_once(
    period_and_staff, client, settings, django_capture_on_commit_callbacks
):
    period, staff = period_and_staff
    old = timezone.now() - timedelta(seconds=settings.SUBSIDY_HEARTBEAT_TIMEOUT + 5)
    dead = CalculationRun.objects.create(
        period=period, status=RunStatus.RUNNING, progress=40, started_at=old, heartbeat_at=old
    )
    client.force_login(staff)
    page = _page(client, period)
    assert "Onderbroken" in page and "Bezig" not in page
    assert 'hx-trigger="every 1s"' not in page  # nothing to wait for
    assert reverse("subsidies_staff:start_run", args=[period.code]) in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("subsidies_staff:start_run", args=[period.code]))
    dead.refresh_from_db()
    assert dead.status == RunStatus.FAILED and "Onderbroken" in dead.error
    assert period.runs.first().status == RunStatus.SUCCEEDED


def test_a_run_with_a_fresh_heartbeat_still_blocks_a_second_start(period_and_staff, client):
    period, staff = period_and_staff
    run = CalculationRun.objects.create(
        period=period, status=RunStatus.RUNNING, progress=40, heartbeat_at=timezone.now()
    )
    with executor_alive(run):
        client.force_login(staff)
        response = client.post(
            reverse("subsidies_staff:start_run", args=[period.code]), follow=True
        )
    assert "Er loopt al een berekening" in response.content.decode()
    assert "Bezig" in response.content.decode()


def test_the_executor_writes_a_heartbeat(period_and_staff, django_capture_on_commit_callbacks):
    period, staff = period_and_staff
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(actor=staff, period=period)
    run.refresh_from_db()
    assert run.heartbeat_at is not None and run.heartbeat_at >= run.started_at


# --- a letter that fails -------------------------------------------------------------------


def _inject_letter_failure(award):
    """The database refuses this award's letter (a trigger): a failure that no retry fixes."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_refuse_letter() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.award_id = {int(award.pk)} THEN RAISE EXCEPTION 'injected failure'; "
                "END IF; RETURN NEW; END; $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER test_refuse_letter BEFORE INSERT ON subsidies_awardletter "
                "FOR EACH ROW EXECUTE FUNCTION test_refuse_letter()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER test_refuse_letter BEFORE INSERT ON subsidies_awardletter "
                f"WHEN NEW.award_id = {int(award.pk)} "
                "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
            )


def _remove_letter_failure():
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER test_refuse_letter ON subsidies_awardletter"
            if connection.vendor == "postgresql"
            else "DROP TRIGGER test_refuse_letter"
        )
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION test_refuse_letter()")


def test_a_failed_letter_is_shown_retried_and_holds_back_the_exports(
    period_and_staff, client, django_capture_on_commit_callbacks, not_propagating
):
    period, staff = period_and_staff
    period = _calculate_and_approve(period, staff, django_capture_on_commit_callbacks)
    broken = Award.objects.filter(run=period.approved_run).order_by("academy_id").last()
    _inject_letter_failure(broken)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("subsidies_staff:send_letters", args=[period.code]), {"confirm": "1"})

    failure = LetterFailure.objects.get()
    assert failure.award == broken and "injected failure" in failure.error
    assert AwardLetter.objects.count() == 2
    period.refresh_from_db()
    assert period.status == PeriodStatus.APPROVED  # not "letters sent" with one missing
    page = _page(client, period)
    assert "1 brief kon niet worden opgemaakt" in page
    assert broken.academy.name in page and "injected failure" in page
    row = next(r for r in page.split("<tr>") if r.startswith(f"<td>{broken.academy.name}</td>"))
    assert '<span class="badge err">mislukt</span>' in row  # in the awards table too
    assert sum("PDF<span" in r for r in page.split("<tr>")) == 2  # the two letters made
    retry = reverse("subsidies_staff:retry_letters", args=[period.code])
    assert f'action="{retry}"' in page and "De ontbrekende brief opnieuw opmaken" in page
    assert "Brieven: 2 van 3 opgemaakt." in page
    for name in ["export_csv", "export_xlsx", "letters_zip"]:
        url = reverse(f"subsidies_staff:{name}", args=[period.code])
        assert url not in page  # not offered
        response = client.get(url, follow=True)  # and not served
        text = response.content.decode()
        assert "Nog niet alle brieven bestaan" in text and broken.academy.name in text
        assert response.redirect_chain[-1][0] == period.get_absolute_url()

    _remove_letter_failure()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry, follow=True)
    assert "1 ontbrekende brief wordt opnieuw opgemaakt." in response.content.decode()
    assert AwardLetter.objects.count() == 3 and not LetterFailure.objects.exists()
    period.refresh_from_db()
    assert period.status == PeriodStatus.LETTERS_SENT
    page = _page(client, period)
    assert "kon niet worden opgemaakt" not in page and "Alle brieven zijn opgemaakt." in page
    for name in ["export_csv", "export_xlsx", "letters_zip"]:
        url = reverse(f"subsidies_staff:{name}", args=[period.code])
        assert url in page
        response = client.get(url)
        assert response.status_code == 200
        _close(response)


def test_a_transient_database_error_is_retried(
    period_and_staff, django_capture_on_commit_callbacks, monkeypatch, not_propagating
):
    from django.db import OperationalError

    from subsidies import letters as letters_module

    period, staff = period_and_staff
    period = _calculate_and_approve(period, staff, django_capture_on_commit_callbacks)
    original, calls = letters_module.render_pdf, []

    def locked_once(html):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return original(html)

    monkeypatch.setattr(letters_module, "render_pdf", locked_once)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_letters(actor=staff, period=period)
    assert len(calls) == 4  # the first one twice
    assert AwardLetter.objects.count() == 3 and not LetterFailure.objects.exists()


def test_the_embedded_sqlite_default_is_safe_for_its_own_worker(tmp_path):
    """The run command's database (no DATABASE_URL): WAL, a busy timeout and immediate
    transactions, read from the settings as a fresh process without servers sees them."""
    import json
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["STEMNET_VAR_DIR"] = str(tmp_path)
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "stemnet.settings", "DEBUG": "true"},
        capture_output=True,
        text=True,
        check=True,
    )
    options = json.loads(done.stdout.strip().splitlines()[-1])
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 20
    assert "journal_mode=WAL" in options["init_command"]
