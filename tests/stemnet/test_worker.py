"""Celery tasks run through a real worker process: the same command docker-compose runs
(`celery -A stemnet worker`), against Redis and against the zero-setup filesystem broker.

The worker is a separate process, so it needs a database both can see: these tests run
when the suite runs on PostgreSQL (as in CI) and Redis is configured."""

import time
import uuid

import pytest
from django.conf import settings

from stemnet.models import AuditEvent
from stemnet.tasks import ping
from tests.workers import database_url, private_queue, start_worker, stop_worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait_for_trace(token: str, worker, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if AuditEvent.objects.filter(action="system.ping", object_id=token).exists():
            return True
        if worker.poll() is not None:
            return False
        time.sleep(0.2)
    return False


def _run_through_worker(env: dict, publish, queue: str = "celery") -> None:
    token = uuid.uuid4().hex
    worker = start_worker({"DATABASE_URL": database_url(), **env}, queue)
    try:
        publish(token)
        ok = _wait_for_trace(token, worker)
    finally:
        log = stop_worker(worker)
    assert ok, f"the worker did not run the task; its log:\n{log}"
    assert "stemnet.tasks.ping" in log


def test_task_runs_through_a_real_worker_on_redis():
    with private_queue("test-ping") as queue:
        assert settings.CELERY_BROKER_URL.startswith("redis://")
        _run_through_worker({}, lambda token: ping.delay(token), queue)


def test_task_runs_through_a_real_worker_on_the_filesystem_broker(tmp_path):
    """The zero-setup default of the run command: no Redis, a folder as the queue."""
    from celery import Celery

    env = {"CELERY_BROKER_URL": "filesystem://", "STEMNET_VAR_DIR": str(tmp_path), "REDIS_URL": ""}
    queue = tmp_path / "celery" / "queue"
    queue.mkdir(parents=True)
    # Not the current app: shared tasks must keep publishing through the portal's app, or
    # later tests in this process would send their tasks into this folder.
    publisher = Celery("publisher", broker="filesystem://", set_as_current=False)
    publisher.conf.broker_transport = "stemnet.broker:Transport"  # as the settings choose
    publisher.conf.broker_transport_options = {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "control_folder": str(tmp_path / "celery" / "control"),
    }
    _run_through_worker(env, lambda token: publisher.send_task("stemnet.tasks.ping", args=[token]))
