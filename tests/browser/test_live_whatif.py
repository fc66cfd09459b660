"""The live what-if in real Chromium: changing a parameter updates the simulated
distribution by itself (debounced htmx), without the button and without a reload."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.test_period_flow import _same_document, _staff_session
from tests.factories import FAST_PASSWORD_HASHERS
from tests.factories.subsidies import closed_period, network

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


def test_typing_a_budget_updates_the_simulation_by_itself(municipalities, page):
    network(3)
    period, _staff = closed_period(budget_cents=600_001)
    _staff_session(page)
    page.goto(period.get_absolute_url())
    page.evaluate("window.__sameDocument = true")
    budget = page.get_by_label("Budget (EUR)")
    budget.fill("9000")
    result = page.locator("#what-if-result")
    expect(result).to_contain_text("Toegekend: EUR 9.000,00", timeout=30_000)
    budget.fill("7500")
    expect(result).to_contain_text("Toegekend: EUR 7.500,00", timeout=30_000)
    assert _same_document(page), "the page was reloaded instead of updating itself"
    assert_accessible(page)
