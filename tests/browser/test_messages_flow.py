"""Issue 11 in real Chromium, with axe on every new page: a user changes a notification
preference; staff open the message log and re-send a failed e-mail; an academy admin
downloads the academy's data export."""

import io
import re
import zipfile

import pytest
from django.core import mail

from academies.imports import import_attendance
from reporting.retention import policy
from stemnet.models import Delivery, Message, MessageKind, MessageStatus, NotificationPreference
from tests.browser.axe import assert_accessible
from tests.browser.conftest import login
from tests.browser.test_recognition_flow import _totp_code
from tests.factories import (
    FAST_PASSWORD_HASHERS,
    PASSWORD,
    ensure_municipalities,
    make_admin,
    make_staff,
)
from tests.factories.activities import recognised_academy, register_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


def test_a_user_chooses_the_daily_digest_for_reminders(page):
    ensure_municipalities()
    admin = make_admin(recognised_academy(name="Voorkeur-academie"), email="voorkeur@example.org")
    Message.objects.create(
        user=admin,
        to_email=admin.email,
        kind=MessageKind.RECOGNITION,
        subject="[STEM-academies] Erkenningsaanvraag: Erkend",
        body="Beste, ...",
        url="http://testserver/academies/",
        object_label="De erkenningsaanvraag",
        status=MessageStatus.SENT,
    )
    login(page, admin.email, PASSWORD)
    page.get_by_role("link", name="Berichten", exact=True).click()
    page.wait_for_url("**/berichten/")
    assert page.get_by_role("link", name="[STEM-academies] Erkenningsaanvraag: Erkend").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Berichtvoorkeuren").click()
    page.wait_for_url("**/berichten/voorkeuren/")
    assert_accessible(page)
    reminders = page.get_by_role("group", name="Herinneringen voor het einde van de erkenning")
    reminders.get_by_label("In een dagelijks overzicht").check()
    page.get_by_role("button", name="Voorkeuren bewaren").click()
    page.wait_for_url("**/berichten/voorkeuren/")
    assert page.get_by_text("Uw berichtvoorkeuren zijn bewaard.").is_visible()
    assert reminders.get_by_label("In een dagelijks overzicht").is_checked()
    assert_accessible(page)
    assert (
        NotificationPreference.objects.get(user=admin, kind=MessageKind.REMINDER).delivery
        == Delivery.DIGEST
    )


def test_staff_resend_a_failed_email_from_the_message_log(page):
    ensure_municipalities()
    failed = Message.objects.create(
        to_email="beheer@example.org",
        kind=MessageKind.PERIOD,
        subject="[STEM-academies] Periode 2026-1 is heropend",
        body="Beste, ...",
        status=MessageStatus.FAILED,
        attempts=6,
        error="SMTPServerDisconnected: Connection unexpectedly closed",
    )
    Message.objects.create(
        to_email="ander@example.org",
        kind=MessageKind.RECOGNITION,
        subject="Al verzonden",
        body="x",
        status=MessageStatus.SENT,
    )
    staff = make_staff(email="log@vlaio.example.org")
    login(page, staff.email, PASSWORD)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(_totp_code(staff))
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/staff/")
    page.get_by_role("link", name="Berichtenlog").click()
    page.wait_for_url("**/staff/berichten/")
    assert_accessible(page)
    page.get_by_label("Status").select_option("failed")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r".*/staff/berichten/\?.*status=failed"))
    assert page.get_by_text("Al verzonden").count() == 0
    page.get_by_role("link", name="Opnieuw verzenden").first.click()
    page.wait_for_url(f"**/staff/berichten/{failed.pk}/opnieuw/")
    assert page.get_by_text("SMTPServerDisconnected").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Ja, opnieuw verzenden").click()
    page.wait_for_url("**/staff/berichten/")
    assert page.get_by_text("wordt opnieuw verzonden").is_visible()
    assert_accessible(page)
    failed.refresh_from_db()
    assert failed.status == MessageStatus.SENT
    assert [m.to for m in mail.outbox] == [["beheer@example.org"]]


def test_an_admin_downloads_the_academys_data(page):
    from academies.imports import import_attendance

    ensure_municipalities()
    academy = recognised_academy(name="Export-academie")
    import_attendance(actor=None, academy=academy, rows=register_rows(2, 3))
    admin = make_admin(academy, email="export@example.org")
    login(page, admin.email, PASSWORD)
    page.goto(f"/academies/{academy.pk}/profiel/")
    page.get_by_role("link", name="Alle gegevens van uw academie downloaden").click()
    page.wait_for_url(f"**/gegevens/academie/{academy.pk}/")
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="ZIP-bestand downloaden").click()
    download = info.value
    assert download.suggested_filename.startswith("gegevens-export-academie-")
    with open(download.path(), "rb") as stored:
        archive = zipfile.ZipFile(io.BytesIO(stored.read()))
    participants = archive.read("deelnemers.csv").decode("utf-8").splitlines()
    assert len(participants) == 1 + 3
    page.get_by_role("link", name="Wat bewaart het portaal en waarom?").click()
    page.wait_for_url("**/privacy/")
    assert_accessible(page)


def test_staff_set_the_retention_period_and_see_each_year(page):
    ensure_municipalities()
    academy = recognised_academy(name="Bewaar-academie")
    import_attendance(actor=None, academy=academy, rows=register_rows(2, 3))
    staff = make_staff(email="bewaar@vlaio.example.org")
    login(page, staff.email, PASSWORD)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(_totp_code(staff))
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/staff/")
    page.get_by_role("link", name="Bewaartermijn gegevens kinderen").click()
    page.wait_for_url("**/staff/bewaartermijn/")
    assert page.get_by_role("row", name=re.compile("2026")).is_visible()
    assert page.get_by_text("nog niet goedgekeurd").is_visible()
    assert_accessible(page)
    page.get_by_label("Bewaartermijn (jaren").fill("0")
    page.get_by_label("Reden van de wijziging").fill("Te kort")
    page.get_by_role("button", name="Bewaartermijn bewaren").click()
    assert "minstens 1" in page.locator(".errorlist").first.inner_text()
    assert page.get_by_label("Reden van de wijziging").input_value() == "Te kort"
    assert_accessible(page)
    page.get_by_label("Bewaartermijn (jaren").fill("7")
    page.get_by_role("button", name="Bewaartermijn bewaren").click()
    assert page.get_by_text("Bewaartermijn bewaard").is_visible()
    assert policy().years == 7
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
