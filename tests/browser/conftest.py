"""Playwright (sync API) driving Debian's Chromium against pytest-django's live server."""

import os

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # test itself (factories) are still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-BE")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def login(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()


def totp_code(user_or_email) -> str:
    """The authenticator code of a staff account now, as its app would show it. Close to
    the end of a 30-second window it waits for the next one: a code typed at 29.9 s reaches
    the server after the window turned and is refused (allauth allows no tolerance)."""
    import time

    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )
    from allauth.mfa.utils import decrypt

    period = 30
    left = period - time.time() % period
    if left < 6:
        time.sleep(left + 0.2)
    user = (
        {"user__email": user_or_email}
        if isinstance(user_or_email, str)
        else {"user": user_or_email}
    )
    authenticator = Authenticator.objects.get(type=Authenticator.Type.TOTP, **user)
    counter = next(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(decrypt(authenticator.data["secret"]), counter))
