"""The award pages: scoped to the academy (404 for others), the letter links to the award
page, list pages in a bounded number of queries, and the year budget."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from stemnet.models import AuditEvent
from subsidies import objections
from subsidies.letters import letter_html
from subsidies.models import YearBudget
from tests.factories import make_admin, make_member, pdf_bytes
from tests.factories.awards import approved_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(municipalities, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr("subsidies.letters.render_pdf", lambda html: pdf_bytes("Brief"))
    return approved_period(
        django_capture_on_commit_callbacks, letters=True, academy_cap_cents=300_000
    )


def test_the_letter_links_to_the_award_page(approved, settings):
    settings.PORTAL_URL = "https://portaal.example.org"
    _period, _staff, _academies, award = approved
    html = letter_html(award)
    assert f"https://portaal.example.org/subsidies/toekenningen/{award.pk}/" in html


def test_the_real_letter_pdf_carries_the_link(approved, settings, monkeypatch):
    monkeypatch.undo()
    from subsidies.letters import render_pdf

    settings.PORTAL_URL = "https://portaal.example.org"
    _period, _staff, _academies, award = approved
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(letter_html(award)))).pages
    )
    assert f"portaal.example.org/subsidies/toekenningen/{award.pk}/" in text.replace("\n", "")


def test_an_academy_sees_only_its_own_award_objections_and_corrections(approved, client):
    period, staff, academies, award = approved
    admin = make_admin(award.academy)
    objection = objections.file_objection(actor=admin, award=award, reason="r")
    correction = objections.issue_correction(
        actor=staff, period=period, academy=award.academy, amount_cents=100, reason="r"
    )
    other_award = period.approved_run.awards.exclude(pk=award.pk).first()
    urls_own = [
        reverse("subsidies:award", args=[award.pk]),
        reverse("subsidies:objection", args=[objection.pk]),
        reverse("subsidies:correction_letter", args=[correction.pk]),
    ]
    client.force_login(make_member(award.academy))
    for url in urls_own:
        assert client.get(url).status_code == 200, url
    client.force_login(make_admin(other_award.academy))
    for url in urls_own:
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("subsidies:award", args=[other_award.pk])).status_code == 200
    assert (
        client.post(
            reverse("subsidies:objection", args=[objection.pk]),
            {"action": "answer", "text": "x"},
        ).status_code
        == 404
    )


def test_pages_show_the_trace_in_bounded_queries(approved, client, django_assert_max_num_queries):
    period, staff, _academies, award = approved
    admin = make_admin(award.academy)
    for academy_award in period.approved_run.awards.all():
        objections.file_objection(
            actor=make_admin(academy_award.academy), award=academy_award, reason="r"
        )
    client.force_login(admin)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("subsidies:award", args=[award.pk]))
    assert "Gent" in page.content.decode()
    with django_assert_max_num_queries(20):
        page = client.get(reverse("subsidies:award_municipality", args=[award.pk, "44021"]))
    assert "tijdens de schooluren" in page.content.decode()
    client.force_login(staff)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("subsidies_staff:objections"))
    assert page.content.decode().count("/subsidies/bezwaren/") >= 2
    with django_assert_max_num_queries(15):
        client.get(reverse("subsidies_staff:budget") + "?jaar=2026")


def test_staff_set_the_year_budget_and_see_what_is_left(approved, client):
    period, staff, _academies, _award = approved
    client.force_login(staff)
    response = client.post(
        reverse("subsidies_staff:budget"), {"year": "2026", "budget": "500.000,00"}
    )
    assert response.status_code == 302
    assert YearBudget.objects.get(year=2026).budget_cents == 50_000_000
    assert AuditEvent.objects.filter(action="budget.set").exists()
    page = client.get(reverse("subsidies_staff:budget") + "?jaar=2026").content.decode()
    from subsidies.templatetags.cents import euro

    assert euro(50_000_000 - period.approved_run.total_cents) in page
    # a typo keeps what was typed and says what is wrong
    response = client.post(reverse("subsidies_staff:budget"), {"year": "2026", "budget": "veel"})
    assert response.status_code == 200
    assert "veel" in response.content.decode()


def test_the_year_budget_of_the_seeds(municipalities):
    """2019: EUR 500,000; periods EUR 173,120.32 and EUR 152,434.46 leave EUR 174,445.22."""
    from academies.services.periods import get_or_create_reporting_period
    from subsidies.awards import budget_of_year
    from subsidies.models import CalculationRun, Period

    YearBudget.objects.create(year=2019, budget_cents=50_000_000)
    for code, total in (("2019-1", 17_312_032), ("2019-2", 15_243_446)):
        period = Period.objects.create(
            reporting_period=get_or_create_reporting_period(code), budget_cents=total
        )
        run = CalculationRun.objects.create(period=period, status="succeeded", total_cents=total)
        Period.objects.filter(pk=period.pk).update(stage="approved", approved_run=run)
    view = budget_of_year(2019)
    assert [line.approved_cents for line in view["lines"]] == [17_312_032, 15_243_446]
    assert view["left_cents"] == 17_444_522


def test_staff_set_the_objection_days_of_a_period(approved, client):
    period, staff, _academies, award = approved
    client.force_login(staff)
    url = reverse("subsidies_staff:objection_days", args=[period.code])
    assert client.post(url, {"days": "45"}).status_code == 302
    period.refresh_from_db()
    assert period.objection_days == 45
    assert AuditEvent.objects.filter(action="period.objection_days_set").exists()
    award = type(award).objects.select_related("letter", "run__period").get(pk=award.pk)
    assert (objections.deadline_of(award) - objections.letter_sent_on(award)).days == 45
    client.post(url, {"days": "-3"})
    period.refresh_from_db()
    assert period.objection_days == 45
