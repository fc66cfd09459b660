"""The recognition journey in real Chromium: a new user signs up, registers an academy and
applies with a PDF; staff ask for changes; the academy resubmits; staff recognise it; the
academy sees "erkend sinds <date>" and its admin got an e-mail at every step."""

import os
import re
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from academies.models import ApplicationState, Attachment, RecognitionApplication
from tests.browser.conftest import login, totp_code
from tests.factories import (
    FAST_PASSWORD_HASHERS,
    PASSWORD,
    ensure_municipalities,
    make_staff,
    pdf_bytes,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_USER = "nieuwe.beheerder@example.org"
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


_totp_code = totp_code


def _shot(page, name):
    if os.environ.get("SCREENSHOT_DIR"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _mails_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_sign_up_apply_changes_requested_resubmit_recognised(browser, live_server, page):
    ensure_municipalities()

    # 1. A new user signs up and confirms their e-mail address.
    page.goto("/accounts/signup/")
    page.locator("input[name=email]").fill(NEW_USER)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("#main form button[type=submit]").click()
    page.wait_for_url("**/accounts/confirm-email/")
    (confirmation,) = _mails_to(NEW_USER)
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", confirmation.body)[1]
    page.goto(link)
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url("**/accounts/login/")
    login(page, NEW_USER, PASSWORD)
    page.wait_for_url("**/academies/start/")

    # 2. They register their academy.
    page.get_by_role("link", name="Academie registreren").click()
    page.fill("#id_name", "Techniekclub De Vonk")
    page.fill("#id_enterprise_number", "0403.170.701")
    page.select_option("#id_legal_form", "vzw")
    page.fill("#id_street", "Kerkstraat 12")
    page.fill("#id_postal_code", "9000")
    page.fill("#id_email", "info@devonk.example.org")
    page.get_by_label("Wetenschap").check()
    page.get_by_label("Techniek", exact=True).check()
    page.fill("#id_iban", "BE71 0961 2345 6769")
    page.locator("#main form button[type=submit]").click()
    page.wait_for_url("**/erkenning/")
    assert "Techniekclub De Vonk geregistreerd" in page.locator(".messages").inner_text()

    # 3. They apply for recognition with a PDF and submit.
    for name in ("stem", "outside_school", "ages", "flanders"):
        page.check(f"#id_confirms_{name}")
        page.fill(f"#id_explains_{name}", f"Toelichting {name}.")
    page.fill("#id_motivation", "We bouwen al vijf jaar robots met kinderen.")
    page.set_input_files(
        "#id_attachment",
        files=[{"name": "werking.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}],
    )
    page.get_by_role("button", name="Indienen", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("#application-state").inner_text() == "Ingediend"
    assert page.get_by_role("link", name="werking.pdf").is_visible()
    application = RecognitionApplication.objects.get()
    assert Attachment.objects.get().application == application

    # 4. Staff log in (with their authenticator) and ask for changes from the queue.
    staff = make_staff(email="dossierbeheerder@vlaio.example.org")
    staff_context = browser.new_context(base_url=live_server.url, locale="nl-BE")
    staff_context.set_default_timeout(15_000)
    staff_page = staff_context.new_page()
    login(staff_page, staff.email, PASSWORD)
    staff_page.wait_for_url("**/accounts/2fa/authenticate/")
    staff_page.get_by_label("Code").fill(_totp_code(staff))
    staff_page.get_by_role("button", name="Aanmelden").click()
    staff_page.wait_for_url("**/staff/")
    staff_page.get_by_role("link", name="Erkenningsaanvragen").click()
    _shot(staff_page, "staff-queue")
    staff_page.get_by_role("link", name="Techniekclub De Vonk").click()
    staff_page.wait_for_url(f"**/aanvragen/{application.pk}/")
    with staff_page.expect_download() as download:
        staff_page.get_by_role("link", name="werking.pdf").click()
    assert Path(download.value.path()).read_bytes() == pdf_bytes()
    staff_page.get_by_label("Reden of toelichting").fill("Voeg jullie jaarprogramma toe.")
    staff_page.get_by_role("button", name="Aanpassingen vragen").click()
    staff_page.wait_for_url(f"**/aanvragen/{application.pk}/")
    assert staff_page.locator("#application-state").inner_text() == "Aanpassingen gevraagd"
    _shot(staff_page, "staff-review")

    # 5. The academy sees the request and resubmits.
    page.reload()
    assert page.locator("#application-state").inner_text() == "Aanpassingen gevraagd"
    assert "Voeg jullie jaarprogramma toe." in page.locator("#history-heading + table").inner_text()
    page.fill("#id_motivation", "We bouwen al vijf jaar robots met kinderen. Programma bijgevoegd.")
    page.get_by_role("button", name="Opnieuw indienen").click()
    page.wait_for_load_state()
    assert page.locator("#application-state").inner_text() == "Opnieuw ingediend"
    _shot(page, "academy-application")

    # 6. Staff recognise it.
    staff_page.reload()
    staff_page.get_by_role("button", name="Erkennen").click()
    staff_page.wait_for_url(f"**/aanvragen/{application.pk}/")
    assert staff_page.locator("#application-state").inner_text() == "Erkend"
    staff_context.close()

    # 7. The academy's page says since when it is recognised; the admin got every e-mail.
    today = timezone.localdate().strftime("%d-%m-%Y")
    page.goto("/academies/")
    assert f"erkend sinds {today}" in page.locator("#recognition-heading + p").inner_text()
    _shot(page, "academy-recognised")
    application.refresh_from_db()
    assert application.state == ApplicationState.RECOGNISED
    subjects = [m.subject for m in _mails_to(NEW_USER)][1:]  # after the address confirmation
    assert subjects == [
        "[STEM-academies] Erkenningsaanvraag: Ingediend",
        "[STEM-academies] Erkenningsaanvraag: Aanpassingen gevraagd",
        "[STEM-academies] Erkenningsaanvraag: Opnieuw ingediend",
        "[STEM-academies] Erkenningsaanvraag: Erkend",
    ]
    assert "Voeg jullie jaarprogramma toe." in _mails_to(NEW_USER)[2].body
    assert f"erkend sinds {today}" in _mails_to(NEW_USER)[-1].body
