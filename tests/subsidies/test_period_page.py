"""What the period page and the letter say (issue 15 #5 and #9): the letter's addressee,
account number and priority marks, the points rule in one place, the what-if of every
academy with a chart, and which academies submitted their period report."""

import re
from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from academies.models import MemberRole, PeriodReport
from subsidies import scheme, services
from subsidies.letters import _explanation, letter_html
from subsidies.models import Award, PeriodStatus
from tests.factories import make_member
from tests.factories.subsidies import closed_period, network

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(municipalities, django_capture_on_commit_callbacks):
    academies = network(3)
    period, staff = closed_period(budget_cents=600_001, priority_weight=2, spread_bonus="0.1")
    period.priority_municipalities.set(["24062"])  # Leuven: only the third academy is there
    period.spread_cap = "0.5"
    period.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.start_run(actor=staff, period=period)
    period.refresh_from_db()
    services.transition(actor=staff, period=period, to=PeriodStatus.APPROVED)
    period.refresh_from_db()
    return period, staff, academies


def _award(period, academy):
    return Award.objects.select_related("run__period__reporting_period", "academy").get(
        run=period.approved_run, academy=academy
    )


def test_the_letter_greets_the_contact_person_or_the_admin(approved):
    period, _staff, academies = approved
    named = academies[0]
    make_member(named, role=MemberRole.ADMIN, first_name="An", last_name="Peeters")
    assert "Geachte An Peeters," in letter_html(_award(period, named))
    html = letter_html(_award(period, academies[1]))  # its admin has no name
    assert "Geachte beheerder," in html and "Geachte," not in html


def test_the_letter_says_plainly_when_no_account_number_is_known(approved):
    period, _staff, academies = approved
    without, with_iban = academies[0], academies[1]
    without.iban = ""
    without.save()
    with_iban.iban = "BE68539007547034"
    with_iban.save()
    html = letter_html(_award(period, without))
    assert "geen rekeningnummer gekend" in html and "gekend is." not in html
    assert "vult het IBAN-nummer in" in html
    html = letter_html(_award(period, with_iban))
    assert "BE68539007547034" in html and "geen rekeningnummer" not in html


def test_the_letter_marks_priority_municipalities_it_refers_to(approved):
    period, _staff, academies = approved
    html = letter_html(_award(period, academies[2]))  # Gent and Leuven (priority)
    rows = re.findall(r"<tr><td>([^<]*)</td><td>(\d{5})</td>", html)
    assert ("Leuven (*)", "24062") in rows and ("Gent", "44021") in rows
    assert "prioritaire gemeenten (*)" in html and "(*) prioritaire gemeente" in html
    html = letter_html(_award(period, academies[0]))  # Gent only: no (*) to refer to
    assert "(*)" not in html


def test_the_letter_explains_the_points_the_calculation_used(approved):
    period, _staff, _academies = approved
    for award in Award.objects.filter(run=period.approved_run).prefetch_related("lines"):
        how = _explanation(award, list(award.lines.all()), award.run.parameters)
        assert how["weighted"] * (1 + how["bonus"]) == Fraction(award.points)


@given(
    minutes=st.dictionaries(
        st.sampled_from(["11001", "24062", "44021", "71016"]),
        st.integers(1, 10_000),
        min_size=1,
    ),
    bonus=st.fractions(0, 1),
    cap=st.fractions(0, 2),
    weight=st.fractions(1, 5),
)
def test_points_of_is_the_rule_the_calculation_applies(minutes, bonus, cap, weight):
    params = scheme.Parameters(
        budget_cents=100_000,
        priority_weights={"24062": weight},
        spread_bonus=bonus,
        spread_cap=cap,
    )
    (award,) = scheme.calculate([(1, g, m) for g, m in minutes.items()], params).awards
    how = scheme.points_of({g: Fraction(m, 60) for g, m in minutes.items()}, params)
    assert how.points == award.points
    assert how.spread_bonus == min(bonus * (len(minutes) - 1), cap)


def test_stored_parameters_read_back_as_the_same_parameters(approved):
    period, _staff, _academies = approved
    stored = period.approved_run.parameters
    assert scheme.parameters_from_json(stored) == services.parameters_of(period)


# --- what-if -----------------------------------------------------------------------------


def _what_if(client, period, **changes):
    data = {
        "budget_eur": "6000,01",
        "min_kind_hours": "0",
        "priority_weight": "2",
        "priority_refnis": "24062",
        "spread_bonus_pct": "10",
        "spread_cap_pct": "50",
        **changes,
    }
    return client.post(reverse("subsidies_staff:what_if", args=[period.code]), data)


def test_the_what_if_lists_every_academy_with_its_change_and_a_chart(municipalities, client):
    academies = network(12)
    period, staff = closed_period(budget_cents=600_001)
    client.force_login(staff)
    html = _what_if(client, period, budget_eur="12000", priority_refnis="").content.decode()
    for academy in academies:  # every academy, not a top/bottom 10
        assert f"<td>{academy.name}</td>" in html
    current = {a.academy_id: a.amount_cents for a in services.preview(period).awards}
    assert sum(current.values()) == 600_001
    assert "+" in html and "12 academies krijgen een ander bedrag" in html
    assert '<svg class="chart"' in html and 'role="img"' in html
    assert "De verdeling als tabel" in html  # the chart's table alternative
    assert "style=" not in html and "<script" not in html


# --- period reports ----------------------------------------------------------------------


def test_the_period_page_shows_which_academies_submitted_their_report(municipalities, client):
    academies = network(3)
    period, staff = closed_period()
    PeriodReport.objects.create(
        academy=academies[1], period=period.reporting_period, submitted_at=timezone.now()
    )
    client.force_login(staff)
    html = client.get(period.get_absolute_url()).content.decode()
    assert "1 van 3 erkende academies hebben hun perioderapport ingediend." in html
    section = html.split('id="reports"')[1]
    assert section.index(academies[0].name) < section.index(academies[1].name)  # missing first
    assert section.count("niet ingediend") == 2


def test_the_awards_table_gives_each_award_its_figures_and_links(
    approved, client, django_capture_on_commit_callbacks
):
    from subsidies.templatetags.cents import euro

    period, staff, _academies = approved
    with django_capture_on_commit_callbacks(execute=True):
        services.send_letters(actor=staff, period=period)
    client.force_login(staff)
    page = client.get(period.get_absolute_url()).content.decode()
    awards = Award.objects.filter(run=period.approved_run).select_related("academy", "letter")
    rows = re.findall(r"<tr><td>(.*?)</td></tr>", page)
    for award in awards:
        (row,) = [r for r in rows if f">{award.reference}</a>" in r]
        assert row.startswith(
            f"{award.academy.name}</td>"
            f'<td><a href="{reverse("subsidies:award", args=[award.pk])}">{award.reference}</a>'
        )
        assert row.split('<td class="num">')[1:4] == [
            f"{award.kind_hours}</td>".replace(".", ","),
            f"{award.lines.count()}</td>",
            f"{euro(award.amount_cents)}</td><td>"
            f'<a href="{reverse("subsidies:letter", args=[award.letter.pk])}">PDF'
            f'<span class="visually-hidden"> {award.academy.name}</span></a>',
        ]
