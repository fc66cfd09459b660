"""What members see on the register pages (issue 15, defects 2, 6 and 7), in Chromium:
the series page's KIND-uren block is that series only, a locked period says so at the
top, the grid works at 390 px with an "iedereen aanwezig" per session, the staff's
request for changes opens the application page."""

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.urls import reverse

from academies import kind_hours
from academies.imports import import_attendance
from academies.models import ApplicationState, ApplicationTransition, Attendance, Session
from academies.services.periods import submit_period_report
from tests.browser.conftest import login
from tests.factories import (
    PASSWORD,
    application_in_state,
    ensure_municipalities,
    make_admin,
    make_staff,
)
from tests.factories.activities import recognised_academy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = Path(os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "var"))
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _rows(series_code, n_sessions, children, *, start=date(2026, 3, 7), attend=True):
    rows = []
    for week in range(n_sessions):
        day = start + timedelta(weeks=week)
        for child in range(children):
            rows.append(
                {
                    "activity_code": "ROBOT",
                    "activity_title": "Robotica voor beginners",
                    "series_code": series_code,
                    "session_date": day.isoformat(),
                    "start_time": "10:00",
                    "end_time": "12:00",
                    "location_nis": "44021",
                    "participant_ref": f"{series_code}-K{child:02d}",
                    "birth_year": str(2012 + child % 6),
                    "residence_postal_code": "9000",
                }
            )
    return rows


@pytest.fixture
def register(transactional_db):
    """An academy with two series in 2026-1: VJ26 (14 sessions × 10 children, all present)
    and ZO26 on Sundays (9 sessions × 12 children), and an admin logged in."""
    ensure_municipalities()
    academy = recognised_academy(since=date(2020, 1, 1), name="CoderDojo Gent")
    make_admin(academy, email="beheer@example.org")
    import_attendance(actor=None, academy=academy, rows=_rows("VJ26", 14, 10))
    import_attendance(
        actor=None, academy=academy, rows=_rows("ZO26", 9, 12, start=date(2026, 3, 8))
    )
    vj = Session.objects.filter(series__code="VJ26").first().series
    return academy, vj


def _shot(page, name):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def _page_width(page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth")


def test_series_page_shows_that_series_only_and_refreshes_it_after_a_toggle(register, page):
    academy, series = register
    login(page, "beheer@example.org", PASSWORD)
    page.wait_for_url("**/academies/")
    page.set_viewport_size(DESKTOP)
    page.goto(reverse("academies:series", args=[academy.pk, series.pk]))
    # 14 Saturdays × 10 children × 2 h = 280 KIND-uren; the academy has 2 × 9 × 12 = 216 more.
    assert page.get_by_test_id("eligible-hours").inner_text() == "280,00"
    counts = page.get_by_test_id("summary-counts").inner_text()
    assert "14 sessies, 140 aanwezigheden" in counts
    assert "Enkel de sessies van deze reeks" in page.get_by_test_id("summary-scope").inner_text()
    assert page.get_by_role("heading", name="KIND-uren van reeks VJ26").is_visible()
    _shot(page, "series-desktop")
    page.get_by_role("button", name="VJ26-K00 aanwezig op 07-03-2026").click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=eligible-hours]').textContent === '278,00'"
    )
    assert "14 sessies, 139 aanwezigheden" in page.get_by_test_id("summary-counts").inner_text()
    assert page.get_by_role("heading", name="KIND-uren van reeks VJ26").is_visible()


def test_the_grid_works_on_a_phone_with_all_present_per_session(register, page):
    academy, series = register
    cleared = Session.objects.filter(series=series, date=date(2026, 3, 14))
    Attendance.objects.filter(session__in=cleared).delete()
    kind_hours.refresh_eligible_children(cleared.values_list("pk", flat=True))  # as a write does
    login(page, "beheer@example.org", PASSWORD)
    page.wait_for_url("**/academies/")
    page.set_viewport_size(PHONE)
    page.goto(reverse("academies:series", args=[academy.pk, series.pk]))
    assert _page_width(page) <= 390
    instructions = page.locator("p.instructions")
    box = instructions.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    grid = page.locator(".grid-wrap")
    assert grid.evaluate("el => el.scrollWidth > el.clientWidth")  # the grid scrolls inside
    _shot(page, "series-390")
    assert page.get_by_test_id("eligible-hours").inner_text() == "260,00"
    page.get_by_role("button", name="Iedereen aanwezig 14-03-2026").click()
    page.get_by_text("10 deelnemers aanwezig gezet.").wait_for()
    for child in range(10):
        page.get_by_role(
            "button", name=f"VJ26-K{child:02d} aanwezig op 14-03-2026", pressed=True
        ).wait_for()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=eligible-hours]').textContent === '280,00'"
    )
    assert Attendance.objects.filter(session__series=series).count() == 140
    assert _page_width(page) <= 390


def test_a_locked_period_says_so_at_the_top_and_offers_no_forms(register, page):
    academy, series = register
    admin = academy.memberships.get().user
    submit_period_report(actor=admin, academy=academy, code="2026-1")
    login(page, "beheer@example.org", PASSWORD)
    page.wait_for_url("**/academies/")
    for size, suffix in ((DESKTOP, "desktop"), (PHONE, "390")):
        page.set_viewport_size(size)
        page.goto(reverse("academies:series", args=[academy.pk, series.pk]))
        notice = page.get_by_test_id("locked-notice")
        assert "Vergrendeld" in notice.inner_text()
        assert notice.bounding_box()["y"] < page.locator("#period-summary").bounding_box()["y"]
        assert page.locator("p.instructions").count() == 0
        assert page.get_by_role("heading", name="Deelnemer toevoegen").count() == 0
        assert page.get_by_role("button", name="Iedereen aanwezig 07-03-2026").count() == 0
        assert page.get_by_role("button", name="VJ26-K00 aanwezig op 07-03-2026").is_disabled()
        assert _page_width(page) <= 390 or suffix == "desktop"
        _shot(page, f"series-locked-{suffix}")
        page.goto(reverse("academies:period", args=[academy.pk, "2026-1"]))
        notice = page.get_by_test_id("locked-notice")
        assert "Vergrendeld: deze periode kan niet meer veranderen" in notice.inner_text()
        assert notice.bounding_box()["y"] < page.locator("#period-summary").bounding_box()["y"]
        assert page.get_by_role("button", name="Perioderapport indienen").count() == 0
        if suffix == "390":
            assert _page_width(page) <= 390
        _shot(page, f"period-locked-{suffix}")


def test_the_staff_request_for_changes_opens_the_application_page(transactional_db, page):
    ensure_municipalities()
    application = application_in_state(ApplicationState.CHANGES_REQUESTED)
    make_admin(application.academy, email="beheer@example.org")
    ApplicationTransition.objects.create(
        application=application,
        from_state=ApplicationState.SUBMITTED,
        to_state=ApplicationState.CHANGES_REQUESTED,
        actor=make_staff(),
        reason="Voeg het werkingsverslag van 2025 toe.",
    )
    login(page, "beheer@example.org", PASSWORD)
    page.wait_for_url("**/academies/")
    page.set_viewport_size(PHONE)
    page.goto(reverse("academies:application", args=[application.academy_id]))
    notice = page.get_by_test_id("changes-requested")
    assert "Voeg het werkingsverslag van 2025 toe." in notice.inner_text()
    form = page.get_by_role("heading", name="Aanvraag aanpassen")
    assert notice.bounding_box()["y"] < form.bounding_box()["y"]
    assert notice.bounding_box()["y"] < 844  # seen without scrolling
    _shot(page, "application-changes-390")
