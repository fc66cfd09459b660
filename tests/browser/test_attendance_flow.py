"""An academy member creates an activity, a weekly series, ticks attendance for three
participants and sees the period's KIND-uren update — in real Chromium."""

from datetime import date

import pytest

from academies.models import Attendance
from tests.browser.conftest import login
from tests.factories import PASSWORD, ensure_municipalities, make_member
from tests.factories_activities import recognised_academy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_registers_a_weekly_series_and_ticks_attendance(page):
    ensure_municipalities()
    academy = recognised_academy(since=date(2020, 1, 1))
    make_member(academy, email="vrijwilliger@example.org")
    login(page, "vrijwilliger@example.org", PASSWORD)
    page.wait_for_url("**/academies/")

    page.get_by_role("link", name="Activiteiten, reeksen en aanwezigheden").click()
    page.get_by_label("Code").fill("ROBO")
    page.get_by_label("Titel").fill("Robotica voor beginners")
    page.get_by_role("button", name="Activiteit aanmaken").click()
    page.wait_for_url("**/activiteiten/*/")

    page.get_by_label("Code van de reeks").fill("VJ26")
    page.get_by_label("Postcode of NIS-code van de locatie").fill("9000")
    page.get_by_label("Startdatum").fill("2026-03-04")
    page.get_by_label("Einddatum").fill("2026-03-25")
    page.get_by_label("woensdag").check()
    page.get_by_label("Beginuur").fill("14:00")
    page.get_by_label("Einduur").fill("16:00")
    page.get_by_role("button", name="Reeks aanmaken").click()
    page.wait_for_url("**/reeksen/*/")
    assert "met 4 sessies" in page.locator(".messages").inner_text()

    for ref, year in [("K01", "2015"), ("K02", "2016"), ("K03", "2017")]:
        page.get_by_label("Referentie").fill(ref)
        page.get_by_label("Geboortejaar").fill(year)
        page.get_by_role("button", name="Toevoegen").first.click()
        page.wait_for_load_state()

    eligible = page.get_by_test_id("eligible-hours")
    assert eligible.inner_text() == "0,0"
    for ref in ["K01", "K02", "K03"]:
        cell = page.get_by_role("button", name=f"{ref} aanwezig op 04-03-2026")
        cell.click()
        page.get_by_role("button", name=f"{ref} aanwezig op 04-03-2026", pressed=True).wait_for()
    # Three children × two hours on a Wednesday afternoon = 6 KIND-uren.
    page.wait_for_function(
        "document.querySelector('[data-testid=eligible-hours]').textContent === '6,0'"
    )
    # Keyboard: Tab to a cell and press Enter to toggle it.
    page.get_by_role("button", name="K01 aanwezig op 11-03-2026").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "document.querySelector('[data-testid=eligible-hours]').textContent === '8,0'"
    )
    assert Attendance.objects.filter(session__academy=academy).count() == 4
