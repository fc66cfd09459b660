"""The production processes of docker-compose.yml, started the same way without Docker:
gunicorn serving the portal (checked by the container health check) and celery beat."""

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.stemnet.test_deploy import PRODUCTION_ENV
from tests.workers import database_url as _database_url

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.django_db(transaction=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _spawn(args, env):
    return subprocess.Popen(
        args,
        cwd=ROOT,
        env={**os.environ, **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "stemnet.settings", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _finish(process) -> str:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    with process.stdout:
        return process.stdout.read()


def test_gunicorn_serves_the_portal_and_passes_the_health_check(tmp_path):
    port = _free_port()
    env = {"DATABASE_URL": _database_url(), "PORT": str(port), "STEMNET_VAR_DIR": str(tmp_path)}
    web = _spawn(
        [
            str(BIN / "gunicorn"),
            "stemnet.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        env,
    )
    healthy = False
    try:
        for _ in range(100):
            check = subprocess.run(
                [sys.executable, "-m", "stemnet.healthcheck"],
                cwd=ROOT,
                env={
                    **os.environ,
                    **PRODUCTION_ENV,
                    "DJANGO_SETTINGS_MODULE": "stemnet.settings",
                    **env,
                },
                capture_output=True,
                timeout=10,
            )
            if check.returncode == 0:
                healthy = True
                break
            time.sleep(0.2)
    finally:
        log = _finish(web)
    assert healthy, log


def test_celery_beat_starts(tmp_path):
    beat = _spawn(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "stemnet",
            "beat",
            "--loglevel=INFO",
            f"--schedule={tmp_path / 'celerybeat-schedule'}",
        ],
        {"DATABASE_URL": _database_url(), "STEMNET_VAR_DIR": str(tmp_path)},
    )
    # Wait for beat to say it started (seconds on a loaded machine), reading its output as
    # it comes; it must still be running then.
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(beat.stdout), daemon=True)
    reader.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and beat.poll() is None:
        if any("beat: Starting" in line for line in lines):
            break
        time.sleep(0.2)
    still_running = beat.poll() is None
    beat.terminate()
    try:
        beat.wait(timeout=20)
    except subprocess.TimeoutExpired:
        beat.kill()
        beat.wait()
    reader.join(timeout=5)
    beat.stdout.close()
    log = "".join(lines)
    assert still_running, log
    assert "beat: Starting" in log
