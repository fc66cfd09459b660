"""axe-core (WCAG 2.1 AA) on every page the four demo roles reach, the Django admin
included: per role, log in as in the demo, then follow same-origin links breadth-first
from the role's home page (bounded), run axe on each page and report every violating URL
at once. Pages added later are picked up by the crawl without changing this test."""

import io
import re
from collections import deque
from datetime import date
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command

from academies.imports import import_attendance
from academies.models import ApplicationState, Session
from reporting.demo import DEMO_PASSWORD, LEAD_EMAIL, MEMBER_EMAIL, STAFF_EMAIL
from tests.browser.axe import axe_violations
from tests.browser.conftest import login, totp_code
from tests.factories import (
    PASSWORD,
    application_in_state,
    ensure_municipalities,
    make_member,
)
from tests.factories.activities import recognised_academy, register_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAIN_MEMBER_EMAIL = "vrijwilliger@demo.example.org"
#: Pages per role: enough for every kind of page, small enough to stay well under 2 min.
MAX_PAGES = {"member": 18, "academy admin": 22, "partnership lead": 15, "staff": 30}
#: Links the crawl never follows: they log out, download a file, or only change state.
SKIP_PARTS = (
    "/logout",
    "/accounts/logout",
    "/i18n/",
    "/export.",
    ".csv",
    ".xlsx",
    ".pdf",
    ".zip",
    ".json",
    "/bestand/",
    "/bijlagen/",
    "/brieven/",
    "/download",
    "/verwijderen/",
    "/delete/",
    "/kiezen/",
    "/jsi18n/",
    "/static/",
    "/media/",
)


@pytest.fixture
def demo(transactional_db):
    """The demo accounts on a small network: the admin's academy with a register, a
    recognition, a plain member, a submitted application of another academy for staff."""
    ensure_municipalities()
    academy = recognised_academy(since=date(2020, 1, 1), name="Demo-academie")
    # The register first: setup_demo closes the previous half year (2026-1) for reporting.
    import_attendance(actor=None, academy=academy, rows=register_rows(4, 5))
    call_command("setup_demo", stdout=io.StringIO())
    make_member(academy, email=PLAIN_MEMBER_EMAIL)
    application_in_state(ApplicationState.SUBMITTED)
    return academy


_totp = totp_code


def _log_in(page, role: str) -> None:
    if role == "member":
        login(page, PLAIN_MEMBER_EMAIL, PASSWORD)
    elif role == "academy admin":
        login(page, MEMBER_EMAIL, DEMO_PASSWORD)
    elif role == "partnership lead":
        login(page, LEAD_EMAIL, DEMO_PASSWORD)
    else:
        login(page, STAFF_EMAIL, DEMO_PASSWORD)
        page.wait_for_url("**/accounts/2fa/authenticate/")
        page.get_by_label("Code").fill(_totp(STAFF_EMAIL))
        page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"{role} could not log in"


def _followable(url: str, origin: str) -> bool:
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return False
    return not any(part in parts.path for part in SKIP_PARTS)


def _shape(url: str) -> str:
    """One page per kind: ids and period codes become N, a query string is one variant."""
    parts = urlsplit(url)
    return re.sub(r"\d+", "N", parts.path) + ("?" if parts.query else "")


def _crawl(page, origin: str, seeds: list[str], limit: int) -> dict[str, list]:
    """Breadth-first over same-origin links from ``seeds``; axe on every HTML page.
    One page per URL shape (``/sessies/N/bewerken/``), at most ``limit`` pages."""
    queue = deque(origin + seed if seed.startswith("/") else seed for seed in seeds)
    seen, shapes, found = set(), set(), {}
    while queue and len(seen) < limit:
        url = urldefrag(queue.popleft())[0]
        if url in seen or _shape(url) in shapes or not _followable(url, origin):
            continue
        seen.add(url)
        shapes.add(_shape(url))
        response = page.goto(url)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        if response.status >= 400:
            found[url] = [{"id": f"HTTP {response.status}"}]
            continue
        violations = axe_violations(page)
        if violations:
            found[url] = violations
        # SVG links (the coverage map) have an SVGAnimatedString as ``href``: resolve the
        # attribute against the page's address instead.
        links = page.eval_on_selector_all(
            "a[href]", "els => els.map(a => new URL(a.getAttribute('href'), document.baseURI).href)"
        )
        queue.extend(link for link in links if urldefrag(link)[0] not in seen)
    assert len(seen) >= 3, f"the crawl reached only {sorted(seen)}"
    return found


def test_every_page_of_the_four_demo_roles_passes_axe(demo, browser, live_server):
    seeds = {
        "member": ["/"],
        "academy admin": ["/", f"/academies/{demo.pk}/reeksen/{_series(demo)}/"],
        "partnership lead": ["/"],
        # the Django admin too, with the municipality page and its postal-code inline
        "staff": ["/", "/admin/", "/admin/stemnet/municipality/44021/change/"],
    }
    everything = {}
    for role, start in seeds.items():
        context = browser.new_context(base_url=live_server.url, locale="nl-BE")
        context.set_default_timeout(15_000)
        page = context.new_page()
        try:
            _log_in(page, role)
            found = _crawl(page, live_server.url, start, MAX_PAGES[role])
        finally:
            context.close()
        for url, violations in found.items():
            everything[f"{role}: {url.removeprefix(live_server.url)}"] = violations
    assert everything == {}, "axe-core violations:\n" + "\n".join(
        f"{where}: {violations}" for where, violations in everything.items()
    )


def _series(academy) -> int:
    return Session.objects.filter(academy=academy).values_list("series_id", flat=True).first()
