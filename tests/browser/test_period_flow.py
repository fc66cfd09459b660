"""The staff period workflow in real Chromium with a real worker (issue 15 #1 and #5): the
page follows a calculation, the approval and the letters by itself (htmx polling that
stops), shows a failed letter and retries it, and holds the exports back meanwhile.
axe-core checks the period page and the what-if; screenshots at desktop and 390 px."""

import os
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from playwright.sync_api import expect

from subsidies.models import Award, AwardLetter, LetterFailure
from tests.browser.axe import assert_accessible
from tests.browser.conftest import login, totp_code
from tests.factories import FAST_PASSWORD_HASHERS, PASSWORD, make_staff
from tests.factories.subsidies import closed_period, network
from tests.subsidies.test_jobs import _inject_letter_failure, _remove_letter_failure
from tests.workers import database_url, private_queue, start_worker, stop_worker

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))
SLOW = 60_000  # ms: the worker shares two cores with the browser and the live server


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@pytest.fixture
def worker(municipalities):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the worker process must see the test database")
    with private_queue("test-browser-period") as queue:
        process = start_worker(
            {
                "DATABASE_URL": database_url(),
                "REDIS_URL": os.environ["REDIS_URL"],
                "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            },
            queue,
        )
        yield process
        stop_worker(process)


_totp_code = totp_code


def _staff_session(page, email="periodebeheer@vlaio.example.org"):
    staff = make_staff(email=email)
    login(page, staff.email, PASSWORD)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(_totp_code(staff))
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/staff/")
    return staff


def _shot(page, name):
    if os.environ.get("SCREENSHOT_DIR"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


class _TableLock:
    """Hold a table (another connection) so the worker waits exactly there."""

    def __init__(self, table):
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        self.conn = psycopg2.connect(**params)
        self.conn.cursor().execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")

    def release(self):
        self.conn.rollback()
        self.conn.close()


_WIDER_THAN_VIEWPORT = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
               && !(e.parentElement && e.parentElement.closest('.table-scroll')))
  .slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id + ' '
                   + Math.round(e.getBoundingClientRect().right))"""


def _mark_document(page):
    """A flag that only survives while the browser stays on the same document."""
    page.evaluate("window.__sameDocument = true")


def _same_document(page) -> bool:
    return page.evaluate("window.__sameDocument === true")


def test_the_period_page_follows_calculation_approval_and_letters_by_itself(worker, page):
    network(3)
    period, _ = closed_period(budget_cents=600_001)
    _staff_session(page)
    page.goto(period.get_absolute_url())
    badge = page.locator("#period-status")
    expect(badge).to_have_text("Afgesloten voor rapportering")

    # Calculate: the worker is held while it writes the awards, so the page loads mid-run.
    lock = _TableLock("subsidies_awardline")
    try:
        page.get_by_role("button", name="Berekenen").click()
        expect(page.locator("#run-status")).to_contain_text("Bezig", timeout=SLOW)
        _mark_document(page)
        expect(page.get_by_role("button", name="Bedragen goedkeuren")).to_have_count(0)
        _shot(page, "period-calculating")
    finally:
        lock.release()
    expect(badge).to_have_text("Berekend (ontwerp)", timeout=SLOW)
    expect(page.get_by_role("button", name="Bedragen goedkeuren")).to_be_visible()
    expect(page.locator("#awards")).to_be_visible()  # the results, without "Toon de resultaten"
    expect(page.get_by_text("Toon de resultaten")).to_have_count(0)
    assert _same_document(page), "the page was reloaded instead of updating itself"
    page.wait_for_timeout(2500)
    assert page.locator("#period-job[hx-trigger]").count() == 0  # polling stopped
    assert_accessible(page)
    _shot(page, "period-calculated")

    page.get_by_role("button", name="Simuleer verdeling").click()
    expect(page.locator("#what-if-caption")).to_be_visible(timeout=SLOW)
    expect(page.locator("svg.chart")).to_be_visible()
    assert_accessible(page)
    _shot(page, "period-what-if")

    page.get_by_label("Ik keur EUR 6.000,01 voor 3 academies definitief goed.").check()
    page.get_by_role("button", name="Bedragen goedkeuren").click()
    expect(badge).to_have_text("Goedgekeurd")

    # Letters: held while the first one is written, so the page loads while they are made.
    lock = _TableLock("subsidies_awardletter")
    try:
        page.get_by_label("Alle brieven opmaken").check()
        page.get_by_role("button", name="Brieven opmaken en versturen").click()
        expect(page.locator("#letters-progress")).to_contain_text("0 van 3", timeout=SLOW)
        _mark_document(page)
        expect(page.locator("#downloads")).to_have_count(0)
        expect(page.locator("#downloads-held")).to_be_visible()
    finally:
        lock.release()
    expect(badge).to_have_text("Brieven verstuurd", timeout=SLOW)
    expect(page.locator("#letters-progress")).to_contain_text("3 van 3")
    expect(page.locator("#downloads")).to_be_visible()
    expect(page.get_by_role("link", name="Vernieuwen")).to_have_count(0)
    assert _same_document(page), "the page was reloaded instead of updating itself"
    assert AwardLetter.objects.count() == 3
    assert_accessible(page)
    _shot(page, "period-letters-sent")
    page.set_viewport_size({"width": 390, "height": 844})
    _shot(page, "period-letters-sent-390")
    wide = page.evaluate(_WIDER_THAN_VIEWPORT)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide


def test_a_failed_letter_shows_on_the_page_and_a_retry_completes_the_letters(worker, page):
    network(3)
    period, staff = closed_period(budget_cents=600_001)
    from subsidies import services

    services.start_run(actor=staff, period=period, enqueue=False)
    services.execute_run(period.runs.get().pk)
    period.refresh_from_db()
    services.transition(actor=staff, period=period, to="approved")
    broken = Award.objects.filter(run=period.runs.get()).order_by("academy_id").last()
    _inject_letter_failure(broken)
    _staff_session(page)
    page.goto(period.get_absolute_url())
    _mark_document(page)
    page.get_by_label("Alle brieven opmaken").check()
    page.get_by_role("button", name="Brieven opmaken en versturen").click()
    _mark_document(page)
    failures = page.locator("#letter-failures")
    expect(failures).to_contain_text("1 brief kon niet worden opgemaakt", timeout=SLOW)
    expect(failures).to_contain_text(broken.academy.name)
    expect(failures).to_contain_text("injected failure")
    expect(page.locator("#downloads")).to_have_count(0)
    expect(page.locator("#downloads-held")).to_contain_text(broken.academy.name)
    expect(page.locator("#period-status")).to_have_text("Goedgekeurd")
    assert LetterFailure.objects.count() == 1
    assert_accessible(page)
    _shot(page, "period-letter-failed")
    page.set_viewport_size({"width": 390, "height": 844})
    _shot(page, "period-letter-failed-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    _remove_letter_failure()
    page.get_by_role("button", name="De ontbrekende brief opnieuw opmaken").click()
    expect(page.locator("#period-status")).to_have_text("Brieven verstuurd", timeout=SLOW)
    expect(page.locator("#letter-failures")).to_have_count(0)
    expect(page.locator("#downloads")).to_be_visible()
    assert AwardLetter.objects.count() == 3 and not LetterFailure.objects.exists()
