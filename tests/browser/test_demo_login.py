"""The run command's demo accounts: each logs in through the real login page in Chromium
and lands on its role's home page."""

import io
import re
from datetime import date

import pytest
from django.core.management import call_command

from reporting.demo import DEMO_PASSWORD, LEAD_EMAIL, MEMBER_EMAIL, STAFF_EMAIL
from tests.browser.conftest import login, totp_code
from tests.factories import ensure_municipalities
from tests.factories.activities import recognised_academy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    ensure_municipalities()
    # The 2016 network itself is tested elsewhere; the recent periods are built on these.
    for i in range(3):
        recognised_academy(since=date(2014, 9, 1), name=f"Demo-academie {i}")
    call_command("setup_demo", stdout=io.StringIO())


_current_totp = totp_code


def test_academy_member_lands_on_the_academy_dashboard(demo, page):
    login(page, MEMBER_EMAIL, DEMO_PASSWORD)
    page.wait_for_url("**/academies/")
    assert page.locator("h1").first.inner_text()
    assert page.get_by_role("button", name="Afmelden").is_visible()


def test_member_sees_kind_hours_of_the_current_period(demo, page):
    login(page, MEMBER_EMAIL, DEMO_PASSWORD)
    page.wait_for_url("**/academies/")
    line = page.get_by_text(re.compile(r"KIND-uren in aanmerking in periode \d{4}-[12]"))
    hours = line.locator("strong").inner_text()
    assert re.fullmatch(r"[\d.]+,\d\d", hours) and hours != "0,00", hours


def test_staff_find_an_approved_recent_period_with_its_letters(demo, page):
    _staff_login(page)
    page.goto("/staff/subsidies/")
    row = page.get_by_role("row").filter(has_text="Brieven verstuurd").first
    row.get_by_role("link").click()
    page.wait_for_url("**/staff/subsidies/**")
    done = page.get_by_text(re.compile(r"Brieven: \d+ van \d+ opgemaakt"))
    found = re.search(r"(\d+) van (\d+)", done.inner_text())
    assert found.group(1) == found.group(2) and int(found.group(1)) > 0
    assert page.get_by_role("link", name="alle brieven (ZIP)").is_visible()
    page.goto("/staff/subsidies/")
    assert page.get_by_role("row").filter(has_text="Open voor rapportering").count() == 1
    assert page.get_by_role("row").filter(has_text="Afgesloten voor rapportering").count() == 1


def _staff_login(page) -> None:
    login(page, STAFF_EMAIL, DEMO_PASSWORD)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(_current_totp(STAFF_EMAIL))
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/staff/")


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
