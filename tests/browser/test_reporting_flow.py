"""In real Chromium: a visitor searches the catalogue by postal code and age and opens an
activity; staff open the dashboard, switch period, start an XLSX export and download it when
the downloads page (polling with htmx) shows it is ready. axe-core on every page."""

import io
import os
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from academies.models import Activity, Recognition, Series, Session
from reporting import exports, tasks
from reporting.models import ExportJob
from tests.browser.axe import assert_accessible
from tests.browser.conftest import login
from tests.browser.test_recognition_flow import _totp_code
from tests.factories import (
    FAST_PASSWORD_HASHERS,
    PASSWORD,
    AcademyFactory,
    ensure_municipalities,
    make_staff,
    municipality,
)
from tests.factories.activities import stored_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


def _shot(page, name):
    if os.environ.get("SCREENSHOT_DIR"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _offer():
    academy = AcademyFactory(name="CoderDojo Zemst", municipality=municipality("23096"))
    Recognition.objects.create(academy=academy, valid_from=date(2015, 1, 1))
    activity = Activity.objects.create(
        academy=academy, code="SCR", title="Programmeren met Scratch", min_age=6, max_age=12
    )
    Activity.objects.create(
        academy=academy, code="OUD", title="Elektronica voor tieners", min_age=13, max_age=18
    )
    start = timezone.localdate() + timedelta(days=3)
    series = Series.objects.create(
        activity=activity,
        code="VILVOORDE",  # the past sessions below go to series R1 in Zemst
        municipality=municipality("23088"),
        venue="Bibliotheek Vilvoorde",
        start_date=start,
        end_date=start + timedelta(days=7),
    )
    for k in range(2):
        Session.objects.create(
            series=series,
            academy=academy,
            municipality=series.municipality,
            date=start + timedelta(days=7 * k),
            start_time=time(14),
            end_time=time(16),
        )
    for day, children in [
        (date(2015, 10, 7), (2008, 2009)),
        (date(2016, 3, 2), (2008, 2009, 2010, 2011)),
        (date(2016, 9, 7), (2008, 2009, 2010)),
    ]:
        stored_session(academy, day, refnis="23096", children=children, code="SCR")
    return activity


def test_visitor_finds_an_activity_by_postal_code_and_age(page):
    ensure_municipalities()
    activity = _offer()
    page.goto("/")
    page.get_by_role("link", name="STEM-activiteiten zoeken").click()
    page.get_by_label("Gemeente of postcode").fill("1804")
    page.get_by_label("Leeftijd van het kind").fill("8")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url("**/catalogus/?*waar=1804*")
    assert "Gezocht in 2 gemeenten" in page.content()
    results = page.locator(".cards h3")
    assert results.all_inner_texts() == ["Programmeren met Scratch"]  # not the 13–18 one
    _shot(page, "catalogue-results")
    assert_accessible(page)
    page.get_by_role("link", name="Programmeren met Scratch").click()
    page.wait_for_url(f"**/catalogus/activiteiten/{activity.pk}/")
    assert page.get_by_role("heading", name="Waar en wanneer").is_visible()
    assert "Bibliotheek Vilvoorde, Vilvoorde" in page.content()
    _shot(page, "catalogue-activity")
    assert_accessible(page)
    page.goto("/catalogus/?waar=9999&leeftijd=8")
    assert page.get_by_text("Probeer:").is_visible() or "We vinden geen" in page.content()
    assert_accessible(page)


def test_staff_dashboard_switch_period_and_download_an_xlsx_export(
    browser, live_server, page, monkeypatch
):
    ensure_municipalities()
    _offer()
    queued = []
    monkeypatch.setattr(tasks.run_export, "delay", queued.append)  # the test is the worker
    staff = make_staff(email="cijfers@vlaio.example.org")
    login(page, staff.email, PASSWORD)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(_totp_code(staff))
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/staff/")
    page.get_by_role("link", name="Netwerkcijfers").click()
    page.wait_for_url("**/staff/cijfers/")
    this_year = timezone.localdate().year  # the default: the latest year with sessions
    assert page.get_by_role("heading", level=1).inner_text() == f"Netwerkcijfers {this_year}"
    page.get_by_label("Jaar of periode").select_option("2016")
    page.get_by_role("button", name="Toon").click()
    page.wait_for_url("**/staff/cijfers/?periode=2016")
    assert page.get_by_role("heading", level=1).inner_text() == "Netwerkcijfers 2016"
    assert page.locator("svg.chart").count() >= 6
    _shot(page, "dashboard-2016")
    assert_accessible(page)
    page.get_by_label("Jaar of periode").select_option("2016-1")
    page.get_by_role("button", name="Toon").click()
    page.wait_for_url("**/staff/cijfers/?periode=2016-1")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Netwerkcijfers 2016, periode 1"
    kind_hours = page.locator(".figure", has_text="KIND-uren").locator(".figure-value")
    assert kind_hours.inner_text() == "8,00"  # 4 children × 2 h
    _shot(page, "dashboard-2016-1")
    assert_accessible(page)

    page.get_by_role("link", name="Exporteer de gegevens van deze periode").click()
    page.wait_for_url("**/staff/downloads/?periode=2016-1")
    page.get_by_label("Tabel").select_option("sessions")
    page.get_by_label("Formaat").select_option("xlsx")
    page.get_by_role("button", name="Start de export").click()
    page.wait_for_url("**/staff/downloads/")
    assert page.get_by_text("In de wachtrij").first.is_visible()
    assert_accessible(page)
    assert len(queued) == 1
    exports.run_export(queued[0])  # what the worker does; the page polls and shows the link
    link = page.get_by_role("link", name="Download sessions-2016-1.xlsx")
    link.wait_for(timeout=10_000)
    _shot(page, "downloads-ready")
    assert_accessible(page)
    with page.expect_download() as info:
        link.click()
    content = Path(info.value.path()).read_bytes()
    rows = list(
        load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True)
    )
    assert rows[0][0] == "id" and len(rows) == 1 + 1  # one session in 2016-1
    assert ExportJob.objects.get().owner == staff
