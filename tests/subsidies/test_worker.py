"""A calculation and the letters run through a real Celery worker process on Redis and
PostgreSQL (the same command docker-compose's worker runs), and a worker killed midway.
Each test's worker has a queue of its own (tests/workers.py says why)."""

import os
import signal
import time

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from pypdf import PdfReader

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
from subsidies.templatetags.cents import euro
from tests.factories.subsidies import closed_period, network
from tests.workers import database_url, private_queue, start_worker, stop_worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queue():
    with private_queue("test-subsidies") as name:
        yield name


def _start_worker(queue: str):
    """Letters go to the test's MEDIA_ROOT."""
    env = {
        "DATABASE_URL": database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    return start_worker(env, queue)


_stop = stop_worker


def _wait(predicate, worker=None, seconds=120):
    """Poll until ``predicate()``; give up early when the worker process has exited."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        if worker is not None and worker.poll() is not None:
            return False
        time.sleep(0.2)
    return False


def _status(run):
    return CalculationRun.objects.get(pk=run.pk).status


def test_calculation_and_letters_through_a_real_worker_on_redis(municipalities, queue):
    network(3)
    period, staff = closed_period(budget_cents=500_000, academy_cap_cents=200_000)
    expected = {a.academy_id: a.amount_cents for a in services.preview(period).awards}
    worker = _start_worker(queue)
    try:
        run = services.start_run(actor=staff, period=period)  # enqueued on commit
        done = _wait(lambda: _status(run) == RunStatus.SUCCEEDED, worker)
        assert done, "the calculation did not finish:\n" + _stop(worker)
        stored = dict(Award.objects.filter(run=run).values_list("academy_id", "amount_cents"))
        assert stored == expected
        period.refresh_from_db()
        services.transition(actor=staff, period=period, to=PeriodStatus.APPROVED)
        services.send_letters(actor=staff, period=period)  # a group of small batches
        letters = _wait(lambda: AwardLetter.objects.count() == 3, worker)
        assert letters, "letters missing:\n" + _stop(worker)
    finally:
        log = _stop(worker)
    assert "subsidies.tasks.run_calculation" in log
    assert "subsidies.tasks.render_letter" in log
    period.refresh_from_db()
    assert period.status == PeriodStatus.LETTERS_SENT
    for letter in AwardLetter.objects.select_related("award"):  # written by the worker
        with letter.file.open("rb") as handle:
            text = " ".join(" ".join(p.extract_text() for p in PdfReader(handle).pages).split())
        assert f"EUR {euro(letter.award.amount_cents)}" in text


def _raw_connection():
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    return psycopg2.connect(**params)


def _waiting_backend(cursor, table):
    """The pid of the backend waiting for a lock on ``table``, if any."""
    cursor.execute(
        "SELECT pid FROM pg_locks WHERE NOT granted AND relation = %s::regclass", [table]
    )
    row = cursor.fetchone()
    return row[0] if row else None


def test_a_worker_killed_midway_leaves_no_awards_and_a_rerun_gives_identical_amounts(
    municipalities, queue
):
    """The worker is stopped with SIGKILL while it is writing the awards (held there by a
    table lock the test takes), so the kill really lands midway: its transaction is gone,
    no award of the run remains, and the next start runs again to the same cents."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    network(3)
    period, staff = closed_period(budget_cents=500_001, academy_cap_cents=300_000)
    expected = {a.academy_id: a.amount_cents for a in services.preview(period).awards}

    blocker = _raw_connection()
    cursor = blocker.cursor()
    cursor.execute("LOCK TABLE subsidies_awardline IN SHARE ROW EXCLUSIVE MODE")
    worker = _start_worker(queue)
    try:
        killed = services.start_run(actor=staff, period=period)
        held = _wait(lambda: _waiting_backend(cursor, "subsidies_awardline"), worker)
        assert held, "the worker never reached the award lines:\n" + _stop(worker)
        backend = _waiting_backend(cursor, "subsidies_awardline")
        assert _status(killed) == RunStatus.RUNNING
        assert CalculationRun.objects.get(pk=killed.pk).progress == 70  # awards being written
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        _stop(worker)
        blocker.rollback()  # the dead worker's backend may go on, and finds no client

    def backend_gone():
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [backend])
        found = cursor.fetchone()[0]
        blocker.rollback()
        return found == 0

    try:
        assert _wait(backend_gone, seconds=60), "the killed worker's transaction lingers"
    finally:
        blocker.close()
    assert not Award.objects.filter(run=killed).exists()
    assert _status(killed) == RunStatus.RUNNING  # as the killed process left it

    worker = _start_worker(queue)
    try:
        rerun = services.start_run(actor=staff, period=period)  # not refused: nobody runs
        done = _wait(lambda: _status(rerun) == RunStatus.SUCCEEDED, worker)
        assert done, "the re-run did not finish:\n" + _stop(worker)
    finally:
        _stop(worker)
    failed = CalculationRun.objects.get(pk=killed.pk)
    assert failed.status == RunStatus.FAILED and "Onderbroken" in failed.error
    assert not Award.objects.filter(run=killed).exists()
    stored = dict(Award.objects.filter(run=rerun).values_list("academy_id", "amount_cents"))
    assert stored == expected
    assert sum(stored.values()) == 500_001


def test_a_worker_killed_during_the_letters_shows_them_interrupted_and_a_retry_completes_them(
    municipalities, queue, client, settings
):
    """The worker is killed while it writes the first letter (held there by a table lock);
    the next worker makes the others; the page says the letters were interrupted and offers
    the missing one, which a retry makes, once, even when the broker was down at first."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from django.urls import reverse

    from tests.workers import unreachable_broker

    settings.SUBSIDY_HEARTBEAT_TIMEOUT = 1  # the page's bound; the worker's is its own
    network(3)
    period, staff = closed_period(budget_cents=500_000)
    worker = _start_worker(queue)
    try:
        run = services.start_run(actor=staff, period=period)
        assert _wait(lambda: _status(run) == RunStatus.SUCCEEDED, worker), _stop(worker)
        period.refresh_from_db()
        services.transition(actor=staff, period=period, to=PeriodStatus.APPROVED)
        blocker = _raw_connection()
        cursor = blocker.cursor()
        cursor.execute("LOCK TABLE subsidies_awardletter IN SHARE ROW EXCLUSIVE MODE")
        services.send_letters(actor=staff, period=period)
        held = _wait(lambda: _waiting_backend(cursor, "subsidies_awardletter"), worker)
        assert held, "the worker never reached the letters:\n" + _stop(worker)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        _stop(worker)
    blocker.rollback()
    blocker.close()
    assert AwardLetter.objects.count() == 0

    worker = _start_worker(queue)
    try:
        # The letters still queued are made; the killed one's message is unacknowledged.
        assert _wait(lambda: AwardLetter.objects.count() == 2, worker), _stop(worker)
        time.sleep(1.5)  # beyond the page's heartbeat bound: nothing happens any more
        client.force_login(staff)
        page = client.get(period.get_absolute_url()).content.decode()
        assert "Het opmaken van de brieven is onderbroken: 1 brief ontbreekt nog." in page
        assert 'hx-trigger="every 1s"' not in page
        retry = reverse("subsidies_staff:retry_letters", args=[period.code])
        assert f'action="{retry}"' in page
        with unreachable_broker():
            text = client.post(retry, follow=True).content.decode()
        assert "De taakverwerking is niet bereikbaar" in text
        client.post(retry)  # the broker is back: at once
        assert _wait(lambda: AwardLetter.objects.count() == 3, worker), _stop(worker)
        assert _wait(
            lambda: Period.objects.get(pk=period.pk).status == PeriodStatus.LETTERS_SENT, worker
        )
    finally:
        _stop(worker)
    assert not LetterFailure.objects.exists()
    assert sorted(AwardLetter.objects.values_list("award__academy_id", flat=True)) == sorted(
        Award.objects.filter(run=run).values_list("academy_id", flat=True)
    )
