"""Load: the portal under gunicorn (production settings, 3 sync workers) on the benchmark's
PostgreSQL database, driven by closed-loop clients with logged-in sessions on loopback.

Per page: the server time of one warm request (best of a few, one client), then
``LOAD_CLIENTS`` clients (default 20) asking without think time for ``LOAD_SECONDS``
(default 20) seconds: requests/s, p50/p95/p99 latency and errors (anything but 200).
Last an open loop: ``LOAD_RATE`` requests/s (default 20) arriving over the mix of all pages,
latency counted from each planned arrival.
The clients are plain asyncio streams (HTTP/1.1, one connection per request as gunicorn's
sync workers close them), so the benchmark needs no HTTP library; they share the two
cores with the server, as a real client on the same machine would.

Needs PostgreSQL (``DATABASE_URL``); run it with ``python -m bench load``. It adds two
bench users (staff with TOTP, an academy admin) and their sessions to the database.
"""

import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.db import connection

from bench.timing import percentile

ROOT = Path(__file__).resolve().parent.parent
WORKERS = int(os.environ.get("LOAD_WORKERS", "3"))
CLIENTS = int(os.environ.get("LOAD_CLIENTS", "20"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "20"))
RATE = float(os.environ.get("LOAD_RATE", "20"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _get(port: int, path: str, cookie: str) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(
            (
                f"GET {path} HTTP/1.1\r\nHost: localhost\r\nCookie: {cookie}\r\n"
                "X-Forwarded-Proto: https\r\nConnection: close\r\n\r\n"
            ).encode("latin-1")
        )
        await writer.drain()
        status = await reader.readline()
        await reader.read()  # the rest, until the server closes
        return int(status.split()[1])
    finally:
        writer.close()


async def _closed_loop(port: int, path: str, cookie: str, clients: int, seconds: float):
    latencies, errors = [], 0
    started = time.perf_counter()
    deadline = started + seconds

    async def client():
        nonlocal errors
        while time.perf_counter() < deadline:
            begin = time.perf_counter()
            try:
                status = await _get(port, path, cookie)
            except OSError:
                status = 0
            latencies.append(time.perf_counter() - begin)
            if status != 200:
                errors += 1

    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, errors, time.perf_counter() - started


async def _open_loop(port: int, mix, rate: float, seconds: float):
    """Requests arrive at ``rate`` per second over the pages of ``mix`` in turn, whatever
    the server does; a latency counts from the planned arrival, so a queue cannot hide."""
    latencies, errors = [], 0
    start = time.perf_counter()

    async def one(path, cookie, planned):
        nonlocal errors
        try:
            status = await _get(port, path, cookie)
        except OSError:
            status = 0
        latencies.append(time.perf_counter() - planned)
        if status != 200:
            errors += 1

    tasks = []
    for i in range(int(rate * seconds)):
        planned = start + i / rate
        await asyncio.sleep(max(0.0, planned - time.perf_counter()))
        path, cookie = mix[i % len(mix)]
        tasks.append(asyncio.create_task(one(path, cookie, planned)))
    await asyncio.gather(*tasks)
    return latencies, errors


def _one_request(port: int, path: str, cookie: str, n: int = 5) -> tuple[float, int]:
    best, status = float("inf"), 0
    for _ in range(n):
        begin = time.perf_counter()
        status = asyncio.run(_get(port, path, cookie))
        best = min(best, time.perf_counter() - begin)
    return best, status


def _sessions():
    """Session cookies of a staff member (MFA passed) and of the admin of the academy with
    the largest series; the pages to drive."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from academies.models import MemberRole, Membership, Series
    from tests.clients import record_mfa_in_session

    users = get_user_model().objects
    staff, _ = users.get_or_create(username="bench-load-staff", email="bench-staff@x.org")
    staff.groups.add(Group.objects.get_or_create(name=settings.STAFF_GROUP_NAME)[0])
    if not Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(staff, generate_totp_secret())
    series = (
        Series.objects.filter(sessions__date__year=2016)
        .annotate(n=Count("sessions__attendances"))
        .order_by("-n", "pk")
        .select_related("activity")
        .first()
    )
    academy_id = series.activity.academy_id
    member, _ = users.get_or_create(username="bench-load-member", email="bench-member@x.org")
    Membership.objects.get_or_create(
        user=member, academy_id=academy_id, defaults={"role": MemberRole.ADMIN}
    )
    cookies = {}
    for name, user, mfa in (("staff", staff, True), ("member", member, False)):
        client = Client()
        client.force_login(user)
        if mfa:
            record_mfa_in_session(client, user)
        cookies[name] = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    pages = [
        ("academy home", "member", reverse("academies:dashboard")),
        (
            "attendance grid (largest series)",
            "member",
            reverse("academies:series", args=[academy_id, series.pk]),
        ),
        ("academy period page", "member", reverse("academies:period", args=[academy_id, "2016-1"])),
        ("staff recognition queue", "staff", reverse("academies_staff:queue")),
        ("staff period page", "staff", reverse("subsidies_staff:period", args=["2016-1"])),
        ("coverage of Flanders", "staff", "/staff/dekking/?periode=2016-1"),
        ("staff dashboard", "staff", reverse("reporting:dashboard") + "?periode=2016-1"),
        ("public catalogue", None, reverse("reporting:catalogue")),
    ]
    return cookies, pages


def run(args) -> None:
    if connection.vendor != "postgresql":
        print("load: needs PostgreSQL (DATABASE_URL); skipped")
        return
    from django.conf import settings

    from bench.bench_kind_hours import _period_2016_1

    _period_2016_1()  # the staff period page needs the period
    cookies, pages = _sessions()
    var = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "stemnet.settings",
        "DEBUG": "false",
        # The sessions were signed here: the server must check them with the same key.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STEMNET_VAR_DIR": str(var),
        "STATIC_ROOT": str(var / "static"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "stemnet.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(200):
            try:
                if _one_request(port, "/healthz", "", 1)[1] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        results = []
        for label, who, path in pages:
            cookie = cookies[who] if who else ""
            one, status = _one_request(port, path, cookie)
            latencies, errors, elapsed = asyncio.run(
                _closed_loop(port, path, cookie, CLIENTS, SECONDS)
            )
            results.append((label, status, one, latencies, errors, elapsed))
        mix = [(path, cookies[who] if who else "") for _label, who, path in pages]
        open_latencies, open_errors = asyncio.run(_open_loop(port, mix, RATE, SECONDS))
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(var, ignore_errors=True)
    print(
        f"gunicorn, {WORKERS} sync workers, production settings; {CLIENTS} closed-loop "
        f"clients, {SECONDS:.0f} s a page, no think time ({connection.vendor})"
    )
    print(
        f"{'page':<34} {'status':>6} {'one req':>9} {'req/s':>7} {'p50':>8} {'p95':>8} "
        f"{'p99':>8} {'errors':>6}"
    )
    for label, status, one, latencies, errors, elapsed in results:
        print(
            f"{label:<34} {status:>6} {one * 1000:>7.1f}ms {len(latencies) / elapsed:>7.1f} "
            f"{statistics.median(latencies) * 1000:>6.0f}ms "
            f"{percentile(latencies, 0.95) * 1000:>6.0f}ms "
            f"{percentile(latencies, 0.99) * 1000:>6.0f}ms {errors:>6}"
        )
    print(
        f"open loop, {RATE:.0f} requests/s over the mix of these pages for {SECONDS:.0f} s: "
        f"p50 {statistics.median(open_latencies) * 1000:.0f}ms, "
        f"p95 {percentile(open_latencies, 0.95) * 1000:.0f}ms, "
        f"p99 {percentile(open_latencies, 0.99) * 1000:.0f}ms, errors {open_errors}"
    )
