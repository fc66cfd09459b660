"""Issue 8's authentication findings, each closed by a test: the admin login and staff
sessions without a second factor, login rate limits, sign-up timing, and the production
headers (CSP, Permissions-Policy, HSTS, no-store on files)."""

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.totp.internal.auth import yield_hotp_counters_from_time as counters
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from academies.imports import import_attendance
from academies.models import ApplicationState
from academies.services import recognition as recognition_services
from subsidies import services as subsidy_services
from subsidies.models import AwardLetter, PeriodStatus
from tests.factories import (
    PASSWORD,
    UserFactory,
    application_in_state,
    enable_totp,
    make_admin,
    make_partnership_lead,
    make_staff,
    municipality,
    pdf_bytes,
)
from tests.factories.activities import recognised_academy, register_rows
from tests.stemnet.test_deploy import PRODUCTION_ENV, ROOT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data", "fast_passwords")]


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(counters())))


@pytest.fixture
def paid(monkeypatch, django_capture_on_commit_callbacks):
    """An academy with an approved award and its letter, an attachment, a partnership."""
    monkeypatch.setattr("subsidies.letters.render_pdf", lambda html: pdf_bytes("Brief"))
    academy = recognised_academy(name="Geheime academie", iban="BE68539007547034")
    admin = make_admin(academy)
    import_attendance(actor=None, academy=academy, rows=register_rows(2, 2, start=date(2026, 3, 7)))
    application = application_in_state(ApplicationState.DRAFT, academy)
    attachment = recognition_services.add_attachment(
        actor=admin,
        application=application,
        upload=SimpleUploadedFile("verslag.pdf", pdf_bytes(), content_type="application/pdf"),
    )
    staff = make_staff()
    period = subsidy_services.ensure_period("2026-1")
    period.budget_cents = 100_000
    period.save()
    with django_capture_on_commit_callbacks(execute=True):
        subsidy_services.transition(actor=staff, period=period, to=PeriodStatus.CLOSED)
        subsidy_services.start_run(actor=staff, period=period)
    period.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        subsidy_services.transition(actor=staff, period=period, to=PeriodStatus.APPROVED)
        subsidy_services.send_letters(actor=staff, period=period)
    lead = make_partnership_lead()
    partnership = lead.led_partnerships.get()
    partnership.municipalities.add(municipality("44021"))
    return {
        "academy": academy,
        "admin": admin,
        "attachment": attachment,
        "letter": AwardLetter.objects.get(award__academy=academy),
        "partnership": partnership,
        "period": period,
    }


def _get(client, url):
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)  # the test client closes the file
    return response


def _academy_pages(paid) -> list[str]:
    a = paid["academy"].pk
    return [
        reverse("academies:detail", args=[a]),
        reverse("academies:members", args=[a]),
        reverse("academies:application", args=[a]),
        reverse("academies:attachment", args=[a, paid["attachment"].pk]),
        reverse("academies:activities", args=[a]),
        reverse("academies:period", args=[a, "2026-1"]),
        reverse("academies:export_csv", args=[a]),
        reverse("academies:export_xlsx", args=[a]),
        reverse("subsidies:letter", args=[paid["letter"].pk]),
        reverse("partnerships:detail", args=[paid["partnership"].pk]),
    ]


# --- Finding 1: the admin login is no way around the second factor ------------------------


def test_the_admin_login_forwards_to_allauth_and_never_signs_in_with_a_password(client, paid):
    staff = make_staff(email="medewerker@vlaio.example.org")
    response = client.post(reverse("admin:login"), {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    export = reverse("subsidies_staff:export_xlsx", args=[paid["period"].code])
    assert client.get(export).url.startswith(reverse("account_login"))
    # Following on to allauth's login, the password alone ends at the TOTP prompt.
    response = client.post(response.url, {"login": staff.email, "password": PASSWORD})
    assert response.url == reverse("mfa_authenticate")
    for url in (export, reverse("reporting:staff_home"), reverse("admin:index")):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url, url


def test_a_password_only_staff_session_is_asked_for_the_code_then_gets_its_powers(client, paid):
    """A session that skipped TOTP (what the old admin login gave) has no staff powers
    anywhere; entering the code in that session gives them."""
    staff = make_staff()
    secret = _totp_secret(staff)
    client.force_login(staff, mfa=False)
    export = reverse("subsidies_staff:export_xlsx", args=[paid["period"].code])
    for url in (export, reverse("reporting:staff_home"), reverse("admin:index")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("mfa_reauthenticate")), url
    for url in _academy_pages(paid):
        assert client.get(url).status_code == 404, url

    response = client.post(
        f"{reverse('mfa_reauthenticate')}?next={export}", {"code": _code(secret)}
    )
    assert response.status_code == 302 and response.url == export
    response = client.get(export)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(reverse("admin:index")).status_code == 200


def test_completing_the_totp_step_of_the_login_opens_staff_pages_and_the_admin(client):
    staff = make_staff()
    secret = _totp_secret(staff)
    response = client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert response.url == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": _code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("reporting:staff_home")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def _totp_secret(user) -> str:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return decrypt(authenticator.data["secret"])


# --- Finding 2: staff without MFA read nothing of any academy ------------------------------


def test_staff_without_mfa_see_no_academy_data_anywhere(client, paid):
    client.force_login(make_staff(mfa=False))
    for url in _academy_pages(paid):
        assert client.get(url).status_code == 404, url
    letters = client.get(reverse("subsidies:letters"))
    assert letters.status_code == 200
    assert paid["academy"].name not in letters.content.decode()
    partnerships = client.get(reverse("partnerships:home"))
    assert paid["partnership"].name not in partnerships.content.decode()
    # Staff pages and the admin send them to set TOTP up.
    for url in (reverse("reporting:staff_home"), reverse("admin:index")):
        assert client.get(url).url == reverse("mfa_activate_totp")


def test_setting_totp_up_is_not_enough_the_session_must_pass_it(client, paid):
    staff = make_staff(mfa=False)
    client.force_login(staff)
    enable_totp(staff)  # set up in another session, say; this one never entered a code
    assert client.get(reverse("academies:detail", args=[paid["academy"].pk])).status_code == 404
    assert client.get(reverse("reporting:staff_home")).url.startswith(reverse("mfa_reauthenticate"))


def test_staff_with_a_verified_session_see_every_academy(client, paid):
    client.force_login(make_staff())
    for url in _academy_pages(paid):
        assert _get(client, url).status_code == 200, url
    assert paid["academy"].name in client.get(reverse("subsidies:letters")).content.decode()


# --- Finding 8: login rate limits, shared and not a lock-out weapon -----------------------


TOO_MANY = "Te veel inlogpogingen"  # allauth's Dutch for "Too many failed login attempts"


def _login(client, email, password, ip):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip
    )


def test_a_stranger_failing_on_purpose_does_not_lock_the_owner_out(client):
    from django.test import Client

    owner = UserFactory(email="eigenaar@example.org")
    for _ in range(5):
        assert _login(client, owner.email, "fout-wachtwoord", "203.0.113.7").status_code == 200
    refused = _login(client, owner.email, PASSWORD, "203.0.113.7")  # even the right password
    assert not refused.wsgi_request.user.is_authenticated
    assert TOO_MANY in refused.content.decode()

    own_browser = Client()
    response = _login(own_browser, owner.email, PASSWORD, "198.51.100.20")
    assert response.status_code == 302
    assert response.wsgi_request.user == owner


def test_failed_logins_count_in_the_shared_cache_not_in_one_process(client):
    """The counters live in the database cache table (Redis in production), which every
    gunicorn worker reads: a second client (another worker, say) sees the same count."""
    from django.test import Client

    UserFactory(email="doelwit@example.org")
    for _ in range(3):
        _login(client, "doelwit@example.org", "fout", "203.0.113.8")
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM stemnet_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any(":allauth:rl:allauth.account:login_failed:" in key for key in keys)
    second = Client()
    for _ in range(2):
        _login(second, "doelwit@example.org", "fout", "203.0.113.8")
    response = _login(second, "doelwit@example.org", "fout", "203.0.113.8")
    assert TOO_MANY in response.content.decode()


def _settings_in_a_process(env: dict) -> dict:
    script = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps({'cache': settings.CACHES['default']['BACKEND'], "
        "'debug': settings.DEBUG}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**_clean_env(), "DJANGO_SETTINGS_MODULE": "stemnet.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _clean_env() -> dict:
    import os

    leave_out = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "CELERY_BROKER_URL"}
    return {k: v for k, v in os.environ.items() if k not in leave_out}


def test_production_uses_redis_as_the_shared_cache_and_the_embedded_default_the_database(
    tmp_path,
):
    production = _settings_in_a_process(PRODUCTION_ENV)
    assert production == {"cache": "django.core.cache.backends.redis.RedisCache", "debug": False}
    embedded = _settings_in_a_process({"DEBUG": "true", "STEMNET_VAR_DIR": str(tmp_path)})
    assert embedded["cache"] == "django.core.cache.backends.db.DatabaseCache"


# --- Issue 13: DEBUG is off unless set, and importing the settings creates no folders ------


def test_debug_is_off_without_the_variable_and_then_a_key_is_required(tmp_path):
    env = {**_clean_env(), "DJANGO_SETTINGS_MODULE": "stemnet.settings"}
    env["STEMNET_VAR_DIR"] = str(tmp_path / "var")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    # The zero-setup default (SQLite, filesystem broker): importing the settings makes no
    # folder; the Celery app makes the broker's folders when a process first uses it.
    var = tmp_path / "var"
    script = (
        "import django, json; django.setup(); from django.conf import settings; "
        "from pathlib import Path; var = Path(settings.VAR_DIR); before = var.exists(); "
        "from stemnet.celery import app; broker = app.conf.broker_url; "
        "print(json.dumps({'debug': settings.DEBUG, 'before': before, 'broker': broker, "
        "'queue': (var / 'celery' / 'queue').is_dir()}))"
    )
    env = {k: v for k, v in _clean_env().items() if k not in ("REDIS_URL", "DATABASE_URL")}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "stemnet.settings",
            "SECRET_KEY": PRODUCTION_ENV["SECRET_KEY"],
            "STEMNET_VAR_DIR": str(var),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == {"debug": False, "before": False, "broker": "filesystem://", "queue": True}


# --- Finding 9: sign-up costs the same for a known and an unknown address ------------------


def test_sign_up_with_a_new_or_a_known_address_hashes_once_and_only_enqueues_the_mail(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    from django.contrib.auth.hashers import MD5PasswordHasher

    UserFactory(email="bekend@example.org")
    hashed = []
    original = MD5PasswordHasher.encode
    monkeypatch.setattr(
        MD5PasswordHasher,
        "encode",
        lambda self, password, salt: hashed.append(1) or original(self, password, salt),
    )
    outcomes = []
    for email in ("nieuw@example.org", "bekend@example.org"):
        hashed.clear()
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = client.post(
                reverse("account_signup"),
                {"email": email, "password1": PASSWORD, "password2": PASSWORD},
            )
        client.logout()
        # Nothing was sent during the request: the mail waits for the worker.
        outcomes.append((response.status_code, response.url, len(hashed), len(mail.outbox)))
        assert len(callbacks) == 1
        callbacks[0]()  # the worker's turn (eager here)
        assert [m.to for m in mail.outbox] == [[email]]
    assert outcomes[0] == outcomes[1] == (302, reverse("account_email_verification_sent"), 1, 0)


# --- Finding 10: headers in production, no-store on every file ------------------------------


def test_production_headers(tmp_path):
    """A request through the production settings (DEBUG off, HTTPS behind the proxy)."""
    script = """
import django, json
django.setup()
from django.test import Client
response = Client().get("/healthz", secure=True, HTTP_HOST="stem.vlaio.example.org")
print(json.dumps({"status": response.status_code, **dict(response.headers)}))
"""
    env = {
        **_clean_env(),
        **PRODUCTION_ENV,
        "DJANGO_SETTINGS_MODULE": "stemnet.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    headers = json.loads(result.stdout.strip().splitlines()[-1])
    assert headers["status"] == 200
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ):
        assert directive in csp
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "geolocation=()" in headers["Permissions-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_every_file_with_personal_or_financial_data_is_never_stored(client, paid):
    code = paid["period"].code
    files = {
        paid["admin"]: [
            reverse("academies:export_csv", args=[paid["academy"].pk]),
            reverse("academies:export_xlsx", args=[paid["academy"].pk]),
            reverse("academies:attachment", args=[paid["academy"].pk, paid["attachment"].pk]),
            reverse("subsidies:letter", args=[paid["letter"].pk]),
        ],
        make_staff(): [
            reverse("subsidies_staff:export_csv", args=[code]),
            reverse("subsidies_staff:export_xlsx", args=[code]),
            reverse("subsidies_staff:letters_zip", args=[code]),
        ],
    }
    for user, urls in files.items():
        client.force_login(user)
        for url in urls:
            response = _get(client, url)
            assert response.status_code == 200, url
            assert "attachment" in response["Content-Disposition"], url
            directives = {part.strip() for part in response["Cache-Control"].split(",")}
            assert {"private", "no-store"} <= directives, url


def test_pages_carry_the_csp_and_permissions_policy_too(client):
    response = client.get(reverse("home"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]


# Templates rendered to PDF by WeasyPrint only, never served to a browser: CSP does not apply.
# Rendered only by WeasyPrint into PDF letters, never served as a page.
PDF_ONLY_TEMPLATES = {
    "subsidies/templates/subsidies/letter.html",
    "subsidies/templates/subsidies/correction_letter.html",
}
INLINE = [
    ("inline <script>", re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>")),
    ("style attribute", re.compile(r"\sstyle\s*=", re.IGNORECASE)),
    ("<style> block", re.compile(r"<style[\s>]", re.IGNORECASE)),
    ("inline event handler", re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)),
    ("javascript: URL", re.compile(r"javascript:", re.IGNORECASE)),
    ("htmx hx-on (eval)", re.compile(r"hx-on[:-]")),
]


def test_no_template_has_inline_script_or_style():
    """The CSP forbids inline code: every template of the project (allauth overrides in
    templates/allauth included) keeps JS and CSS in static files."""
    root = Path(ROOT)
    templates = [
        path
        for path in root.rglob("*.html")
        if ".venv" not in path.parts
        and "var" not in path.parts
        and "node_modules" not in path.parts
    ]
    assert len(templates) > 20
    found = []
    for path in templates:
        relative = path.relative_to(root).as_posix()
        if relative in PDF_ONLY_TEMPLATES:
            continue
        text = path.read_text(encoding="utf-8")
        found += [(relative, what) for what, pattern in INLINE if pattern.search(text)]
    assert found == []


def test_removing_totp_ends_the_staff_powers_of_sessions_that_had_passed_it(client, paid):
    from allauth.mfa.models import Authenticator

    staff = make_staff()
    client.force_login(staff)
    academy_page = reverse("academies:detail", args=[paid["academy"].pk])
    assert client.get(academy_page).status_code == 200
    Authenticator.objects.filter(user=staff).delete()
    assert client.get(academy_page).status_code == 404
    assert client.get(reverse("reporting:staff_home")).url == reverse("mfa_activate_totp")
