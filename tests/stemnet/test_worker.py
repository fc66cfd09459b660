"""Celery tasks run through a real worker process: the same command docker-compose runs
(`celery -A stemnet worker`), against Redis and against the zero-setup filesystem broker.

The worker is a separate process, so it needs a database both can see: these tests run
when the suite runs on PostgreSQL (as in CI) and Redis is configured."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from stemnet.models import AuditEvent
from stemnet.tasks import ping

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("needs PostgreSQL: the worker process must see the test database")
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "stemnet",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _wait_for_trace(token: str, worker: subprocess.Popen, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if AuditEvent.objects.filter(action="system.ping", object_id=token).exists():
            return True
        if worker.poll() is not None:
            return False
        time.sleep(0.2)
    return False


def _stop(worker: subprocess.Popen) -> str:
    """Stop the worker and return its log (empty if it was stopped before)."""
    if worker.stdout.closed:
        return ""
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
    with worker.stdout:
        return worker.stdout.read()


def _run_through_worker(env: dict, publish) -> None:
    token = uuid.uuid4().hex
    worker = _start_worker({"DATABASE_URL": _database_url(), **env})
    try:
        publish(token)
        ok = _wait_for_trace(token, worker)
    finally:
        log = _stop(worker)
    assert ok, f"the worker did not run the task; its log:\n{log}"
    assert "stemnet.tasks.ping" in log


def test_task_runs_through_a_real_worker_on_redis():
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("REDIS_URL is not set")
    assert settings.CELERY_BROKER_URL == redis_url
    _run_through_worker({"REDIS_URL": redis_url}, lambda token: ping.delay(token))


def test_task_runs_through_a_real_worker_on_the_filesystem_broker(tmp_path):
    """The zero-setup default of the run command: no Redis, a folder as the queue."""
    from celery import Celery

    env = {"CELERY_BROKER_URL": "filesystem://", "STEMNET_VAR_DIR": str(tmp_path), "REDIS_URL": ""}
    queue = tmp_path / "celery" / "queue"
    queue.mkdir(parents=True)
    # Not the current app: shared tasks must keep publishing through the portal's app, or
    # later tests in this process would send their tasks into this folder.
    publisher = Celery("publisher", broker="filesystem://", set_as_current=False)
    publisher.conf.broker_transport_options = {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "control_folder": str(tmp_path / "celery" / "control"),
    }
    _run_through_worker(env, lambda token: publisher.send_task("stemnet.tasks.ping", args=[token]))
