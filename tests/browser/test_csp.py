"""The Content-Security-Policy in real Chromium: the main pages of every role, the Django
admin and allauth's pages report no violation (``securitypolicyviolation`` events and
console errors), and the admin's login ends at the TOTP step."""

import os
import re
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from academies.imports import import_attendance
from academies.models import ApplicationState, Session
from stemnet.models import Municipality
from stemnet.roles import grant_staff
from tests.clients import PortalClient
from tests.factories import (
    FAST_PASSWORD_HASHERS,
    PASSWORD,
    application_in_state,
    ensure_municipalities,
    make_admin,
    make_member,
    make_partnership_lead,
    make_staff,
    municipality,
)
from tests.factories.activities import recognised_academy, register_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))

# Installed before any page script runs: collects what the CSP blocked.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@pytest.fixture
def network(transactional_db):
    ensure_municipalities()
    academy = recognised_academy(name="CSP-academie")
    import_attendance(actor=None, academy=academy, rows=register_rows(2, 3, start=date(2026, 3, 7)))
    lead = make_partnership_lead()
    partnership = lead.led_partnerships.get()
    partnership.municipalities.add(municipality("44021"))
    application_in_state(ApplicationState.SUBMITTED)
    staff = make_staff()
    grant_staff(actor=None, user=staff)
    return {
        "academy": academy,
        "series": Session.objects.filter(academy=academy).first().series,
        "partnership": partnership,
        "users": {
            "member": make_member(academy),
            "admin": make_admin(academy),
            "lead": lead,
            "staff": staff,
            "staff_no_mfa": make_staff(mfa=False),
        },
    }


def _pages(network) -> dict[str, list[str]]:
    a = network["academy"].pk
    ghent = Municipality.objects.get(refnis="44021").pk
    return {
        "anonymous": [
            reverse("home"),
            reverse("reporting:catalogue"),
            reverse("account_login"),
            reverse("account_signup"),
        ],
        "member": [
            reverse("academies:dashboard"),
            reverse("academies:activities", args=[a]),
            reverse("academies:series", args=[a, network["series"].pk]),
            reverse("academies:period", args=[a, "2026-1"]),
            reverse("subsidies:letters"),
        ],
        "admin": [
            reverse("academies:detail", args=[a]),
            reverse("academies:edit", args=[a]),
            reverse("academies:members", args=[a]),
            reverse("academies:application", args=[a]),
            reverse("academies:import", args=[a]),
        ],
        "lead": [
            reverse("partnerships:home"),
            reverse("partnerships:detail", args=[network["partnership"].pk]),
        ],
        "staff": [
            reverse("reporting:staff_home"),
            reverse("academies_staff:queue"),
            reverse("academies_staff:holidays"),
            reverse("subsidies_staff:periods"),
            reverse("reporting:dashboard"),
            reverse("reporting:audit_log"),
            reverse("admin:index"),
            reverse("admin:stemnet_municipality_changelist"),
            reverse("admin:stemnet_municipality_change", args=[ghent]),
            reverse("admin:academies_schoolholiday_add"),
            reverse("mfa_index"),
        ],
        "staff_no_mfa": [reverse("mfa_activate_totp")],
    }


# Chromium reports what the CSP blocked on the console too ("Refused to load/apply/execute").
CSP_CONSOLE = re.compile(r"Content Security Policy|Refused to")


def _sign_in(page, live_server, user):
    """A completed login (with TOTP for staff) as a session cookie, see tests.clients."""
    client = PortalClient()
    client.force_login(user)
    cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value}
    page.context.add_cookies([{**cookie, "url": live_server.url}])


def _visit(page, url, errors) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return [*page.evaluate("window.__cspViolations"), *errors]


def _shot(page, name):
    if os.environ.get("SCREENSHOT_DIR"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("role", ["anonymous", "member", "admin", "lead", "staff", "staff_no_mfa"])
def test_no_csp_violation_on_the_main_pages_of_each_role(network, page, live_server, role):
    page.context.add_init_script(LISTEN)
    errors: list[str] = []
    page.on(
        "console",
        lambda message: errors.append(message.text) if CSP_CONSOLE.search(message.text) else None,
    )
    if role != "anonymous":
        _sign_in(page, live_server, network["users"][role])
    if role == "staff_no_mfa":
        # Setting TOTP up starts with confirming the password (allauth's reauthentication).
        page.goto(reverse("mfa_activate_totp"))
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.locator("main button[type=submit]").click()
        page.wait_for_url("**/2fa/totp/activate/")
    pages = _pages(network)[role]
    found = {}
    for url in pages:
        errors.clear()
        violations = _visit(page, url, errors)
        assert page.url.endswith(url), f"{url} redirected to {page.url}"
        if violations:
            found[url] = violations
        _shot(page, f"csp-{role}-{re.sub(r'[^a-z0-9]+', '-', url).strip('-') or 'home'}")
    assert found == {}


def test_the_series_grid_still_works_under_the_csp(network, page, live_server):
    """htmx and the grid's own script are static files: a click still toggles attendance."""
    page.context.add_init_script(LISTEN)
    _sign_in(page, live_server, network["users"]["member"])
    a, series = network["academy"].pk, network["series"]
    page.goto(reverse("academies:series", args=[a, series.pk]))
    cell = page.locator("td button").first
    before = cell.get_attribute("aria-pressed")
    cell.click()
    page.wait_for_function(
        "([b]) => document.querySelector('td button').getAttribute('aria-pressed') !== b",
        arg=[before],
    )
    assert page.evaluate("window.__cspViolations") == []


def test_the_admin_login_ends_at_the_totp_step(network, page):
    """Issue 8's bypass, tried in the browser: e-mail and password on /admin/login/."""
    staff = network["users"]["staff"]
    page.goto(reverse("admin:login"))
    # The admin has no login form any more: it forwards to the portal's own login.
    page.wait_for_url("**/accounts/login/**")
    _shot(page, "admin-login-1-forwarded")
    page.get_by_label("E-mail").fill(staff.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    _shot(page, "admin-login-2-totp-step")
    assert page.get_by_label("Code").is_visible()
    # Not signed in until the code is entered: a staff page sends back to login / TOTP step.
    page.goto(reverse("subsidies_staff:periods"))
    assert urlparse(page.url).path in (reverse("account_login"), reverse("mfa_authenticate"))
    assert page.get_by_label("Code").is_visible()
