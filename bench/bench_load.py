"""Load run: the portal under gunicorn (production settings, 3 workers, as docker-compose's web
service) on the benchmark database, driven over loopback by logged-in clients.

Per page it prints one warm request's time (median of sequential requests, client side on
loopback), then the throughput and p50/p95/p99 of ``LOAD_CLIENTS`` closed-loop clients (no
think time) for ``LOAD_SECONDS``; finally an open-loop run: requests arrive at
``LOAD_RATE`` per second over a mix of all pages, latency counted from the planned arrival
(so a slow server cannot hide its queue). Errors are responses other than 200 and failed
connections. Environment: LOAD_CLIENTS (20), LOAD_SECONDS (10), LOAD_RATE (20),
LOAD_WORKERS (3), LOAD_PAGES (comma-separated names, default all).
"""

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.test import Client

from academies.models import Academy, Membership, Series
from partnerships.models import Partnership
from subsidies.models import Period

ROOT = Path(__file__).resolve().parent.parent
STAFF_EMAIL = "bench-staff@example.org"
MEMBER_EMAIL = "bench-member@example.org"


@dataclass
class Page:
    name: str
    path: str
    cookie: str
    samples: list = field(default_factory=list)


def _env_int(name, default):
    return int(os.environ.get(name, default))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _session_cookie(user, *, mfa: bool) -> str:
    from tests.clients import record_mfa_in_session

    client = Client()
    client.force_login(user)
    if mfa:
        record_mfa_in_session(client, user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _staff_user():
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Group

    user, _ = get_user_model().objects.get_or_create(
        username=STAFF_EMAIL, defaults={"email": STAFF_EMAIL}
    )
    user.groups.add(Group.objects.get_or_create(name=settings.STAFF_GROUP_NAME)[0])
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    return user


def pages() -> list[Page]:
    """The pages of the issue, each for a user who may see it, on the largest objects."""
    series = (
        Series.objects.annotate(n=Count("sessions"))
        .order_by("-n")
        .select_related("activity")
        .first()
    )
    academy = series.activity.academy if series else Academy.objects.first()
    member, _ = get_user_model().objects.get_or_create(
        username=MEMBER_EMAIL, defaults={"email": MEMBER_EMAIL}
    )
    Membership.objects.get_or_create(user=member, academy=academy, defaults={"role": "admin"})
    member_cookie = _session_cookie(member, mfa=False)
    staff_cookie = _session_cookie(_staff_user(), mfa=True)
    period = Period.objects.select_related("reporting_period").order_by("-pk").first()
    partnership = Partnership.objects.order_by("pk").first()
    listed = [
        Page("academy home", "/academies/", member_cookie),
        Page("attendance grid", f"/academies/{academy.pk}/reeksen/{series.pk}/", member_cookie),
        Page("recognition queue", "/staff/academies/aanvragen/", staff_cookie),
        Page("catalogue", "/catalogus/", ""),
        Page("dashboard", "/staff/cijfers/", staff_cookie),
        Page("coverage Flanders", "/staff/dekking/", staff_cookie),
    ]
    if period:
        code = period.reporting_period.code
        listed.insert(
            2, Page("academy period", f"/academies/{academy.pk}/periodes/{code}/", member_cookie)
        )
        listed.insert(4, Page("staff period", f"/staff/subsidies/{code}/", staff_cookie))
    if partnership:
        listed.append(
            Page("coverage partnership", f"/dekking/partnerschap/{partnership.pk}/", staff_cookie)
        )
    wanted = os.environ.get("LOAD_PAGES")
    if wanted:
        names = {name.strip() for name in wanted.split(",")}
        listed = [page for page in listed if page.name in names]
    return listed


class Server:
    """gunicorn with the production settings on a free loopback port."""

    def __init__(self, workers: int):
        self.port = _free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "stemnet.settings",
            "DEBUG": "false",
            "SECRET_KEY": settings.SECRET_KEY,  # the sessions made here must verify there
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
        }
        # As the image does at build time (Dockerfile): the manifest the pages' static URLs need.
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "stemnet.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        for _ in range(200):
            try:
                if get(self.port, "/healthz", "")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn did not answer /healthz")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def get(port: int, path: str, cookie: str) -> tuple[int, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
        if cookie:
            headers["Cookie"] = cookie
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


def percentile(ordered, share):
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def closed_loop(port, page, clients, seconds):
    latencies, errors = [], 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client():
        nonlocal errors
        while time.perf_counter() < deadline:
            try:
                status, took = get(port, page.path, page.cookie)
            except OSError:
                status, took = 0, 0.0
            with lock:
                if status == 200:
                    latencies.append(took)
                else:
                    errors += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - started


def open_loop(port, mix, rate, seconds):
    latencies, errors = [], 0
    lock = threading.Lock()

    def fire(page, planned):
        nonlocal errors
        try:
            status, _took = get(port, page.path, page.cookie)
        except OSError:
            status = 0
        with lock:
            if status == 200:
                latencies.append(time.perf_counter() - planned)
            else:
                errors += 1

    with ThreadPoolExecutor(max_workers=200) as pool:
        start = time.perf_counter()
        for i in range(int(rate * seconds)):
            planned = start + i / rate
            pause = planned - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            pool.submit(fire, mix[i % len(mix)], planned)
    return latencies, errors


def _ms(seconds):
    return f"{seconds * 1000:8.1f}"


def run(args) -> None:
    clients = _env_int("LOAD_CLIENTS", 20)
    seconds = _env_int("LOAD_SECONDS", 10)
    rate = _env_int("LOAD_RATE", 20)
    listed = pages()
    server = Server(_env_int("LOAD_WORKERS", 3))
    try:
        print(
            f"gunicorn {_env_int('LOAD_WORKERS', 3)} workers; {clients} closed-loop clients, "
            f"{seconds} s a page"
        )
        print(
            f"{'page':<22} {'one (ms)':>9} {'req/s':>7} {'p50':>8} {'p95':>8} {'p99':>8} "
            f"{'errors':>7}"
        )
        for page in listed:
            warm = []
            for _ in range(max(args.repeat, 5) + 1):
                status, took = get(server.port, page.path, page.cookie)
                if status != 200:
                    raise RuntimeError(f"{page.name}: {page.path} answered {status}")
                warm.append(took)
            one = statistics.median(warm[1:])
            latencies, errors, elapsed = closed_loop(server.port, page, clients, seconds)
            ordered = sorted(latencies) or [float("nan")]
            print(
                f"{page.name:<22} {_ms(one):>9} {len(latencies) / elapsed:7.1f} "
                f"{_ms(percentile(ordered, 0.5))} {_ms(percentile(ordered, 0.95))} "
                f"{_ms(percentile(ordered, 0.99))} {errors:7d}"
            )
        latencies, errors = open_loop(server.port, listed, rate, max(seconds * 2, 10))
        ordered = sorted(latencies) or [float("nan")]
        print(
            f"open loop {rate} req/s over the mix: p50 {_ms(percentile(ordered, 0.5))} ms, "
            f"p95 {_ms(percentile(ordered, 0.95))} ms, p99 {_ms(percentile(ordered, 0.99))} ms, "
            f"errors {errors}"
        )
    finally:
        server.stop()
