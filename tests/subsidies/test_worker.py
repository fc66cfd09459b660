"""A calculation and the letters run through a real Celery worker process on Redis and
PostgreSQL (the same command docker-compose's worker runs)."""

import os
import time

import pytest

from subsidies import services
from subsidies.models import Award, AwardLetter, CalculationRun, PeriodStatus, RunStatus
from tests.factories_subsidies import closed_period, network
from tests.stemnet.test_worker import _database_url, _start_worker, _stop

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait(predicate, worker, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        if worker.poll() is not None:
            return False
        time.sleep(0.3)
    return False


def test_calculation_and_letters_through_a_real_worker_on_redis(municipalities):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("REDIS_URL is not set")
    network(3)
    period, staff = closed_period(budget_cents=500_000, academy_cap_cents=200_000)
    expected = {a.academy_id: a.amount_cents for a in services.preview(period).awards}
    worker = _start_worker({"DATABASE_URL": _database_url(), "REDIS_URL": redis_url})
    try:
        run = services.start_run(actor=staff, period=period)  # enqueued on commit
        done = _wait(
            lambda: CalculationRun.objects.get(pk=run.pk).status == RunStatus.SUCCEEDED, worker
        )
        assert done, "the calculation did not finish:\n" + _stop(worker)
        stored = dict(Award.objects.filter(run=run).values_list("academy_id", "amount_cents"))
        assert stored == expected
        period.refresh_from_db()
        services.transition(actor=staff, period=period, to=PeriodStatus.APPROVED)
        services.send_letters(actor=staff, period=period)
        assert _wait(lambda: AwardLetter.objects.count() == 3, worker), "letters missing"
    finally:
        log = _stop(worker)
    assert "subsidies.tasks.run_calculation" in log
    assert "subsidies.tasks.render_letter" in log
