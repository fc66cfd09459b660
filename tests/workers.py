"""A real Celery worker process for tests: the command docker-compose's worker runs.

Each worker consumes from a queue of its own and the test publishes to it: a Redis database
is shared (by the whole suite, by other developers' test runs, by a dev server's worker),
and any other worker on the default queue would take our tasks and run them against its
own database. The worker logs to a file: a pipe nobody reads fills up at 64 KB and then
blocks the worker mid-task."""

import json
import os
import signal
import subprocess
import sys
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from stemnet.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    """The test database as a URL, for processes started by the test."""
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("needs PostgreSQL: the worker process must see the test database")
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def private_queue(prefix: str):
    """Publish this process's tasks to a fresh Redis queue; remove its traces afterwards."""
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("REDIS_URL is not set")
    name = f"{prefix}-{uuid.uuid4().hex[:12]}"
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = name
    try:
        yield name
    finally:
        celery_app.conf.task_default_queue = previous
        _forget_queue(redis_url, name)


def _forget_queue(redis_url: str, name: str) -> None:
    """Remove the queue's keys (its list and Kombu's bindings) and the messages a killed
    worker left unacknowledged on it, which Kombu would otherwise restore an hour later."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"*{name}*"))
        if keys:
            client.delete(*keys)
        for tag, raw in client.hgetall("unacked").items():
            _message, exchange, routing_key = json.loads(raw)
            if name in (exchange, routing_key):
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
    finally:
        client.close()


def start_worker(
    env: dict, queue: str = "celery", *, pool: str = "solo", concurrency: int = 1, drop=()
) -> subprocess.Popen:
    """Start `celery -A stemnet worker` on ``queue`` with ``env`` on top of ours (without
    the variables named in ``drop``)."""
    fd, path = tempfile.mkstemp(prefix=f"{queue}-", suffix=".log")
    # The worker imports the real settings (pytest's tests/settings.py is for this process).
    base = {**os.environ, "DJANGO_SETTINGS_MODULE": "stemnet.settings", "DEBUG": "true"}
    environment = {k: v for k, v in {**base, **env}.items() if k not in drop}
    with os.fdopen(fd, "w") as log:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "stemnet",
                "worker",
                f"--pool={pool}",
                f"--concurrency={concurrency}",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--queues={queue}",
                f"--hostname={queue}@%h",
            ],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
    worker.log_path = path
    return worker


def stop_worker(worker: subprocess.Popen) -> str:
    """Stop the worker (SIGTERM, then SIGKILL) and return its log; safe to call twice."""
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=20)
    log = Path(worker.log_path)
    if not log.exists():
        return ""
    text = log.read_text()
    log.unlink()
    return text


@contextmanager
def unreachable_broker():
    """Tasks are published (not run in-process) to a broker nobody listens on: what the web
    process sees when Redis is down. Our connection and producer pools are set aside, so
    nothing already connected can hide the failure."""
    from unittest import mock

    from kombu import Connection

    def connection_for_write(*args, **kwargs):
        return Connection("redis://127.0.0.1:1/0", connect_timeout=1)

    conf = celery_app.conf
    eager, propagates = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager = False
    try:
        with (
            mock.patch.object(celery_app, "connection_for_write", connection_for_write),
            mock.patch.object(celery_app, "_pool", None),
            mock.patch.object(celery_app.amqp, "_producer_pool", None),
        ):
            yield
    finally:
        conf.task_always_eager, conf.task_eager_propagates = eager, propagates
