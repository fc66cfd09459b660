"""Coverage and municipal demand in real Chromium: a municipality files a request, an
academy answers it, the municipality accepts; the partnership lead opens the coverage
map, switches measure and opens a municipality by keyboard (its academies and requests);
staff mark the requested municipality as priority of the next period. axe-core finds no
violations on these pages."""

import pytest

from academies.models import MemberRole
from partnerships.models import MemberKind, PartnershipMember
from reporting.maps import canton_map
from subsidies.services import ensure_period
from tests.browser.axe import assert_accessible
from tests.browser.conftest import login, totp_code
from tests.factories import (
    FAST_PASSWORD_HASHERS,
    PASSWORD,
    UserFactory,
    ensure_municipalities,
    make_member,
    make_partnership_lead,
    make_staff,
    municipality,
)
from tests.partnerships.network import approve, generated_network

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


def _logout(page):
    page.get_by_role("button", name="Afmelden").click()


def _tab_until(page, predicate_js: str, limit: int = 200) -> None:
    """Press Tab until the focused element matches (a keyboard user's way there)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            f"(() => {{ const el = document.activeElement; return {predicate_js}; }})()"
        ):
            return
    raise AssertionError(f"never focused: {predicate_js}")


def test_request_offer_map_and_priority(live_server, page):
    ensure_municipalities()
    canton_map()  # built once per process (seconds on a busy machine), as a deploy step would
    partnership, academies = generated_network(seed=9, n_academies=5, n_series=4)
    approve()
    ensure_period("2026-2")
    official = UserFactory(email="jeugd@gent.example.org")
    PartnershipMember.objects.create(
        partnership=partnership,
        kind=MemberKind.LOCAL_GOVERNMENT,
        organisation="Stad Gent",
        municipality=municipality("44021"),
        contact_name="Dienst Jeugd",
        contact_email=official.email,
        user=official,
    )
    gent_academy = academies[0]
    gent_academy.municipality = municipality("44021")
    gent_academy.save()
    admin = make_member(gent_academy, role=MemberRole.ADMIN, email="beheer@academie.example.org")
    lead = make_partnership_lead(partnership, email="lead@regio.example.org")
    staff = make_staff(email="medewerker@vlaio.example.org")

    # 1. The municipality files a request.
    login(page, official.email, PASSWORD)
    page.wait_for_url("**/partnerships/vragen/")
    page.get_by_role("link", name="Nieuwe vraag indienen").click()
    assert_accessible(page)
    page.get_by_label("Gemeente").select_option("44021")
    page.get_by_label("STEM-domein").select_option("digital")
    page.get_by_label("Periode").fill("2026-2")
    page.get_by_label("Plaats").fill("Wijkcentrum Nieuw Gent")
    page.get_by_label("Beschrijving").fill("Een codeerclub op woensdagnamiddag.")
    page.get_by_role("button", name="Vraag indienen").click()
    page.get_by_text("Uw vraag is ingediend").wait_for()
    assert_accessible(page)
    _logout(page)

    # 2. An academy in Gent answers it.
    login(page, admin.email, PASSWORD)
    page.goto("/partnerships/vragen/")
    assert_accessible(page)
    page.get_by_role("link", name="Programmeren en digitaal, 8–12 jaar").click()
    page.get_by_label("Uw voorstel").fill("Zes woensdagnamiddagen Scratch en robotica.")
    page.get_by_role("button", name="Aanbod versturen").click()
    page.get_by_text("Uw aanbod is verstuurd").wait_for()
    _logout(page)

    # 3. The municipality accepts.
    login(page, official.email, PASSWORD)
    page.wait_for_url("**/partnerships/vragen/")
    page.get_by_role("link", name="Programmeren en digitaal, 8–12 jaar").click()
    page.get_by_role("button", name=f"Aanbod van {gent_academy.name} aanvaarden").click()
    page.get_by_text("Aanbod aanvaard").first.wait_for()
    assert_accessible(page)
    _logout(page)

    # 4. The lead opens the map, switches measure, opens Gent by keyboard.
    login(page, lead.email, PASSWORD)
    page.wait_for_url("**/partnerships/")
    page.get_by_role("link", name="Dekkingskaart").click()
    page.get_by_label("Periode of jaar").select_option("2026-1")
    page.get_by_role("button", name="Toon").click()
    assert page.locator(".measures a[aria-current=true]").inner_text() == "KIND-uren"
    assert_accessible(page)
    page.get_by_role("link", name="Kinderen", exact=True).click()
    assert page.locator(".measures a[aria-current=true]").inner_text() == "Kinderen"
    assert "kinderen" in page.locator("svg a").first.get_attribute("aria-label")
    page.locator(".measures a[aria-current=true]").focus()
    _tab_until(page, "el.closest('svg') && el.getAttribute('aria-label').startsWith('Gent 1')")
    page.keyboard.press("Enter")
    page.wait_for_url("**gebied=gent-1**")
    panel = page.locator("#panel")
    assert "Gent 1, Gent 2" in panel.locator("h3").inner_text()
    assert_accessible(page)
    _tab_until(page, "el.closest('#panel') && el.textContent.trim() === 'Gent'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/gemeente/44021/**")
    assert page.locator("h1").inner_text().startswith("Gent")
    academies_table = page.locator("section[aria-labelledby=academies-titel] tbody")
    assert academies_table.locator("tr").count() >= 1
    requests = page.locator("section[aria-labelledby=vragen-titel]")
    assert "Wijkcentrum Nieuw Gent" in requests.inner_text()
    assert gent_academy.name in requests.inner_text()
    assert_accessible(page)
    _logout(page)

    # 5. Staff mark the requested municipality as priority of the next period.
    login(page, staff.email, PASSWORD)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(totp_code(staff))
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/staff/")
    page.get_by_role("link", name="Gemeentelijke dekking (kaart)").click()
    assert_accessible(page)
    page.get_by_role("link", name="Prioritaire gemeenten van een periode").click()
    page.get_by_label("Subsidieperiode").select_option("2026-2")
    page.get_by_role("button", name="Kies").last.click()
    requested = page.locator("section[aria-labelledby=vraag-titel]")
    assert requested.get_by_label("Gent").is_checked()
    assert_accessible(page)
    requested.get_by_role("button", name="Als prioritair markeren in 2026-2").click()
    page.get_by_text("is nu prioritair in periode 2026-2").wait_for()
    assert "al prioritair" in page.locator("section[aria-labelledby=vraag-titel]").inner_text()
    from subsidies.models import Period

    period = Period.objects.get(reporting_period__code="2026-2")
    assert list(period.priority_municipalities.values_list("refnis", flat=True)) == ["44021"]
