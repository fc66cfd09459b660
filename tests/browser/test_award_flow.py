"""In real Chromium (issue 10): an academy admin opens the award from the letters page,
drills down to a municipality and a session, and files an objection; staff grant it partly
and issue a correction; the academy sees the new total. axe-core on every page."""

import re
from contextlib import nullcontext

import pytest
from playwright.sync_api import expect

from subsidies.models import Correction, Objection, ObjectionState
from subsidies.templatetags.cents import euro
from tests.browser.axe import assert_accessible
from tests.browser.conftest import login
from tests.browser.test_recognition_flow import _totp_code
from tests.factories import FAST_PASSWORD_HASHERS, PASSWORD, make_admin, make_staff, pdf_bytes
from tests.factories.awards import approved_period

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


def _staff_page(browser, live_server):
    staff = make_staff(email="bezwaren@vlaio.example.org")
    context = browser.new_context(base_url=live_server.url, locale="nl-BE")
    context.set_default_timeout(15_000)
    page = context.new_page()
    login(page, staff.email, PASSWORD)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(_totp_code(staff))
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/staff/")
    return context, page


def test_objection_to_correction(page, browser, live_server, municipalities, monkeypatch):
    monkeypatch.setattr("subsidies.letters.render_pdf", lambda html: pdf_bytes("Brief"))
    period, _staff, _academies, award = approved_period(
        lambda execute: nullcontext(), letters=True, academy_cap_cents=300_000
    )
    admin = make_admin(award.academy, email="beheerder@academie.example.org")

    # The academy admin: letters page -> award -> municipality -> session.
    login(page, admin.email, PASSWORD)
    page.goto("/subsidies/brieven/")
    assert_accessible(page)
    page.get_by_role("link", name="Toekenning bekijken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(award.academy.name)
    expect(page.locator("#award-total")).to_contain_text(euro(award.amount_cents))
    assert_accessible(page)
    page.get_by_role("link", name="Sessies in Gent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sessies in Gent")
    assert_accessible(page)
    page.locator("tbody a").first.click()  # the first session: Saturday 3 January
    expect(page.locator("#session-earned")).to_contain_text("600")  # 120 min × 5 children
    assert_accessible(page)

    # ... and files an objection.
    page.goto(f"/subsidies/toekenningen/{award.pk}/")
    page.get_by_role("link", name="Bezwaar indienen").click()
    assert_accessible(page)
    page.get_by_role("button", name="Bezwaar indienen").click()  # empty: the form says so
    expect(page.locator(".errorlist").first).to_be_visible()
    page.get_by_label("Reden van uw bezwaar").fill("De sessie van dinsdag telde niet mee.")
    page.get_by_role("button", name="Bezwaar indienen").click()
    expect(page.locator("#objection-state")).to_have_text("Ingediend")
    assert_accessible(page)
    objection = Objection.objects.get(award=award)

    # Staff: the open objections, the decision, the correction.
    context, staff_page = _staff_page(browser, live_server)
    staff_page.goto("/staff/subsidies/bezwaren/")
    assert_accessible(staff_page)
    staff_page.get_by_role("link", name=award.academy.name).click()
    staff_page.get_by_label("Motivering van de beslissing").fill("Eén sessie telde te weinig.")
    staff_page.get_by_role("button", name="Gedeeltelijk gegrond").click()
    expect(staff_page.locator("#objection-state")).to_have_text("Gedeeltelijk gegrond")
    assert_accessible(staff_page)
    staff_page.get_by_role("link", name="Herziening nemen").click()
    assert_accessible(staff_page)
    staff_page.get_by_label(re.compile("^Verschil in euro")).fill("150,00")
    staff_page.get_by_label("Reden van de herziening").fill("Sessie van dinsdag alsnog geteld.")
    staff_page.get_by_role("button", name="Herziening nemen").click()  # not confirmed yet
    expect(staff_page.locator(".has-error .errorlist")).to_be_visible()
    expect(staff_page.get_by_label(re.compile("^Verschil in euro"))).to_have_value("150,00")
    staff_page.get_by_role("checkbox", name=re.compile("Ik neem deze herziening")).check()
    staff_page.get_by_role("button", name="Herziening nemen").click()
    new_total = euro(award.amount_cents + 15_000)
    expect(staff_page.locator("#award-total")).to_contain_text(new_total)
    staff_page.goto("/staff/subsidies/begroting/?jaar=2026")
    assert_accessible(staff_page)
    context.close()
    correction = Correction.objects.get()
    assert correction.objection_id == objection.pk and correction.amount_cents == 15_000
    assert Objection.objects.get(pk=objection.pk).state == ObjectionState.PARTLY

    # The academy sees the decision and the new total, approved and corrections both.
    page.goto(f"/subsidies/bezwaren/{objection.pk}/")
    expect(page.locator("#objection-state")).to_have_text("Gedeeltelijk gegrond")
    page.goto(f"/subsidies/toekenningen/{award.pk}/")
    expect(page.locator("#award-total")).to_contain_text(new_total)
    expect(page.get_by_text("EUR +150,00", exact=True)).to_be_visible()
    expect(page.locator("#award-approved")).to_have_text(f"EUR {euro(award.amount_cents)}")
    assert_accessible(page)
