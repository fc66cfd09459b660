"""An academy member creates an activity, a weekly series, ticks attendance for three
participants and sees the period's KIND-uren update — in real Chromium."""

from datetime import date

import pytest
from django.urls import reverse

from academies.models import Attendance
from tests.browser.conftest import login
from tests.factories import PASSWORD, ensure_municipalities, make_member
from tests.factories.activities import recognised_academy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_registers_a_weekly_series_and_ticks_attendance(page):
    ensure_municipalities()
    academy = recognised_academy(since=date(2020, 1, 1))
    make_member(academy, email="vrijwilliger@example.org")
    login(page, "vrijwilliger@example.org", PASSWORD)
    page.wait_for_url("**/academies/")

    page.get_by_role("link", name="Activiteiten, reeksen en aanwezigheden").click()
    page.get_by_role("textbox", name="Code", exact=True).fill("ROBO")
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
    assert eligible.inner_text() == "0,00"
    for ref in ["K01", "K02", "K03"]:
        cell = page.get_by_role("button", name=f"{ref} aanwezig op 04-03-2026")
        cell.click()
        page.get_by_role("button", name=f"{ref} aanwezig op 04-03-2026", pressed=True).wait_for()
    # Three children × two hours on a Wednesday afternoon = 6 KIND-uren. (A function, not a
    # bare expression: Playwright evaluates an expression with eval, which the CSP refuses.)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=eligible-hours]').textContent === '6,00'"
    )
    # Keyboard: from K01's first cell, arrow right to the next session and press Enter;
    # arrow down to K02 and press Space.
    page.get_by_role("button", name="K01 aanwezig op 04-03-2026").focus()
    page.keyboard.press("ArrowRight")
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == "K01 aanwezig op 11-03-2026"
    page.keyboard.press("Enter")
    page.get_by_role("button", name="K01 aanwezig op 11-03-2026", pressed=True).wait_for()
    page.get_by_role("button", name="K01 aanwezig op 11-03-2026").focus()
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == "K02 aanwezig op 11-03-2026"
    page.keyboard.press("Space")
    page.get_by_role("button", name="K02 aanwezig op 11-03-2026", pressed=True).wait_for()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=eligible-hours]').textContent === '10,00'"
    )
    assert Attendance.objects.filter(session__academy=academy).count() == 5
    # The period page shows the same figure and each session's KIND-uren.
    page.goto(reverse("academies:period", args=[academy.pk, "2026-1"]))
    assert page.get_by_test_id("eligible-hours").inner_text() == "10,00"
    assert "Robotica voor beginners – VJ26" in page.locator("table").last.inner_text()
