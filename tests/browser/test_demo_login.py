"""The run command's demo accounts: each logs in through the real login page in Chromium
and lands on its role's home page."""

import io

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.utils import decrypt
from django.core.management import call_command

from reporting.demo import DEMO_PASSWORD, LEAD_EMAIL, MEMBER_EMAIL, STAFF_EMAIL
from tests.browser.conftest import login
from tests.factories import AcademyFactory, ensure_municipalities

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    ensure_municipalities()
    AcademyFactory(name="Demo-academie")  # the demo network itself is tested elsewhere
    call_command("setup_demo", stdout=io.StringIO())


def _current_totp(email: str) -> str:
    authenticator = Authenticator.objects.get(user__email=email, type=Authenticator.Type.TOTP)
    counter = next(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(decrypt(authenticator.data["secret"]), counter))


def test_academy_member_lands_on_the_academy_dashboard(demo, page):
    login(page, MEMBER_EMAIL, DEMO_PASSWORD)
    page.wait_for_url("**/academies/")
    assert page.locator("h1").first.inner_text()
    assert page.get_by_role("button", name="Afmelden").is_visible()


def test_partnership_lead_lands_on_the_partnerships_page(demo, page):
    login(page, LEAD_EMAIL, DEMO_PASSWORD)
    page.wait_for_url("**/partnerships/")
    assert page.locator("h1").inner_text() == "Mijn STEM-partnerschappen"
    assert page.get_by_role("link", name="STEM-partnerschap Oost-Vlaanderen").is_visible()


def test_staff_log_in_with_their_authenticator_code_and_land_on_staff_home(demo, page):
    login(page, STAFF_EMAIL, DEMO_PASSWORD)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(_current_totp(STAFF_EMAIL))
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/staff/")
    assert page.locator("h1").inner_text() == "Startpagina medewerkers"


def test_demo_staff_through_the_admin_login_end_at_the_totp_step(demo, page):
    """Issue 8's bypass with the demo staff account: /admin/login/ forwards to the portal's
    login, and the password alone ends at the authenticator code, not in the admin."""
    page.goto("/admin/login/?next=/admin/")
    page.wait_for_url("**/accounts/login/**")
    page.get_by_label("E-mail").fill(STAFF_EMAIL)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(_current_totp(STAFF_EMAIL))
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/admin/")
    assert page.get_by_role("link", name="Gemeenten").first.is_visible()


def test_skip_link_and_visible_focus(demo, page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Naar de inhoud"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
