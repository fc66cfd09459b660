"""The run command's own configuration (issue 15 #1): SQLite in a file, Kombu's filesystem
broker and a real prefork worker with concurrency 2, as ``./dev.sh run`` starts them. Every
step runs in a process of its own (tests/embedded.py), against a private var directory."""

import json
import os
import subprocess
import sys
import time

import pytest

from tests.workers import ROOT, start_worker, stop_worker

pytestmark = pytest.mark.worker

# The run command sets none of these: SQLite and the filesystem broker are the default.
SERVERS = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")


@pytest.fixture
def var_dir(tmp_path):
    (tmp_path / "var").mkdir()  # as ./dev.sh run makes it (the settings create no folders)
    return tmp_path / "var"


def _env(var_dir):
    return {"STEMNET_VAR_DIR": str(var_dir), "MEDIA_ROOT": str(var_dir / "media")}


def _step(var_dir, *args) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in SERVERS} | _env(var_dir)
    done = subprocess.run(
        [sys.executable, "-m", "tests.embedded", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _worker(var_dir):
    """The run command's worker: the default queue, prefork, two processes."""
    return start_worker(_env(var_dir), "celery", pool="prefork", concurrency=2, drop=SERVERS)


def _wait_for(var_dir, worker, predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = _step(var_dir, "status")
        if predicate(status):
            return status
        assert worker.poll() is None, "the worker died:\n" + stop_worker(worker)
        time.sleep(2)
    return status


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_the_run_commands_configuration_renders_1300_letters_without_a_failure(var_dir):
    n = 1300
    _step(var_dir, "setup", n)
    worker = _worker(var_dir)
    try:
        started = time.monotonic()
        assert _step(var_dir, "send") == {"requested": n}
        status = _wait_for(
            var_dir, worker, lambda s: s["letters"] + len(s["failures"]) >= n, seconds=1100
        )
        elapsed = time.monotonic() - started
    finally:
        log = stop_worker(worker)
    print(f"\n{n} letters through the embedded worker in {elapsed:.0f} s")
    assert status["failures"] == [], status["failures"][:5]
    assert status["letters"] == n and status["files"] == n
    assert status["status"] == "letters_sent"
    assert "database is locked" not in log


def test_in_the_run_commands_configuration_a_failed_letter_is_kept_and_retried(var_dir):
    awards = _step(var_dir, "setup", 6)["awards"]
    broken = awards[3]
    _step(var_dir, "inject", broken)
    worker = _worker(var_dir)
    try:
        _step(var_dir, "send")
        status = _wait_for(
            var_dir, worker, lambda s: s["letters"] + len(s["failures"]) >= 6, seconds=240
        )
        assert status["letters"] == 5
        ((award_id, error),) = status["failures"]
        assert award_id == broken and "injected failure" in error
        assert status["status"] == "approved"  # not "letters sent" with one missing
        _step(var_dir, "uninject")
        assert _step(var_dir, "retry") == {"requested": 1}
        status = _wait_for(var_dir, worker, lambda s: s["letters"] == 6, seconds=240)
    finally:
        stop_worker(worker)
    assert status["failures"] == [] and status["files"] == 6
    assert status["status"] == "letters_sent"
