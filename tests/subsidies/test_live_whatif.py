"""The live what-if: the period page asks again as staff type (debounced htmx), answered
from a cached snapshot of the period's K(a, g) through the calculation's own scheme."""

import pytest
from django.urls import reverse

from academies.models import Participant, Session
from academies.services import activities as academy_services
from subsidies import services, whatif
from subsidies.forms import ParametersForm
from subsidies.models import Award, AwardLine
from tests.factories.subsidies import closed_period, network

pytestmark = pytest.mark.django_db

PARAMETERS = {
    "budget_eur": "9000,50",
    "rate_cap_eur": "",
    "academy_cap_eur": "2500",
    "min_kind_hours": "10",
    "priority_weight": "2",
    "priority_refnis": "24062",
    "spread_bonus_pct": "10",
    "spread_cap_pct": "50",
}


def _what_if(client, period, **changes):
    url = reverse("subsidies_staff:what_if", args=[period.code])
    return client.post(url, {**PARAMETERS, **changes}, headers={"HX-Request": "true"})


def test_the_what_if_gives_the_amounts_of_a_stored_calculation_with_those_parameters(
    municipalities, client
):
    academies = network(6)
    period, staff = closed_period(budget_cents=600_001)
    client.force_login(staff)
    html = _what_if(client, period).content.decode()
    form = ParametersForm(PARAMETERS)
    assert form.is_valid(), form.errors
    _current, proposed = whatif.simulate(period, form.overrides())

    services.update_parameters(
        actor=staff,
        period=period,
        values=form.values(),
        priority_municipalities=form.cleaned_data["priority_refnis"],
    )
    run = services.start_run(actor=staff, period=period, enqueue=False)
    services.execute_run(run.pk)
    stored = dict(Award.objects.filter(run=run).values_list("academy_id", "amount_cents"))
    assert len(stored) == 6 and sum(stored.values()) > 0
    assert {a.academy_id: a.amount_cents for a in proposed.awards} == stored
    lines = {
        (line.award.academy_id, line.municipality_id): line.amount_cents
        for line in AwardLine.objects.filter(award__run=run).select_related("award")
    }
    assert {
        (a.academy_id, refnis): cents
        for a in proposed.awards
        for refnis, cents in a.by_municipality.items()
    } == lines
    for academy in academies:  # the page shows the same amounts
        cents = stored[academy.pk]
        euro = f"{cents // 100:,}".replace(",", ".") + f",{cents % 100:02d}"
        row = html.split(f"<td>{academy.name}</td>")[1].split("</tr>")[0]
        assert euro in row


def test_one_parameter_change_reads_no_sessions_once_the_snapshot_is_cached(
    municipalities, client, django_assert_max_num_queries
):
    network(4)
    period, staff = closed_period()
    client.force_login(staff)
    first = _what_if(client, period).content.decode()
    with django_assert_max_num_queries(14) as queries:
        again = _what_if(client, period, budget_eur="12000").content.decode()
    sql = [q["sql"] for q in queries.captured_queries]
    # Sessions and attendance are touched by one query only: the change stamp's highest
    # ids (index lookups). Neither the data version's sums over the period's sessions nor
    # the K(a, g) aggregate run again while nothing changed.
    touching = [q for q in sql if '"academies_session"' in q or '"academies_attendance"' in q]
    assert len(touching) == 1
    assert "MAX(" in touching[0] and "SUM(" not in touching[0]
    assert "GROUP BY" not in touching[0] and "eligible_children" not in touching[0]
    assert first != again


def test_a_write_that_changes_the_period_kind_hours_renews_the_snapshot(municipalities, client):
    academies = network(3)
    period = services.ensure_period("2026-1")  # open: the register can still change
    before = whatif.kind_hours_snapshot(period)
    assert whatif.kind_hours_snapshot(period) is not None
    key = whatif.snapshot_key(period)
    session = Session.objects.filter(academy=academies[0]).order_by("date").first()
    child = Participant.objects.filter(academy=academies[0]).order_by("ref").first()
    academy_services.set_attendance(actor=None, session=session, participant=child, present=False)
    assert whatif.snapshot_key(period) != key
    after = whatif.kind_hours_snapshot(period)
    lost = session.counted_minutes
    assert sum(r[2] for r in before) - sum(r[2] for r in after) == lost
    assert after == services.kind_hours_rows(period)


def test_the_period_page_asks_again_as_staff_type(municipalities, client):
    network(1)
    period, staff = closed_period()
    client.force_login(staff)
    html = client.get(period.get_absolute_url()).content.decode()
    live = html.split('hx-trigger="input changed delay:400ms, change delay:400ms"')[0]
    assert reverse("subsidies_staff:what_if", args=[period.code]) in live.rsplit("<div", 1)[1]
    assert 'hx-include="closest form"' in html and 'hx-sync="this:replace"' in html


def test_the_what_if_lists_every_academy_a_page_at_a_time(municipalities, client, monkeypatch):
    from subsidies import views

    monkeypatch.setattr(views, "WHAT_IF_PAGE_SIZE", 2)
    academies = network(3)
    period, staff = closed_period(budget_cents=600_001)
    client.force_login(staff)
    first = _what_if(client, period).content.decode()
    second = _what_if(client, period, wat_pagina="2").content.decode()
    assert "3 academies" in first and "3 academies" in second  # the summary covers all
    shown = [
        [a.name for a in academies if f"<td>{a.name}</td>" in html] for html in (first, second)
    ]
    assert len(shown[0]) == 2 and len(shown[1]) == 1
    assert sorted(shown[0] + shown[1]) == sorted(a.name for a in academies)
    assert 'hx-include="#period-parameters"' in first and "Pagina 1 van 2" in first
    page = client.get(period.get_absolute_url()).content.decode()
    assert 'id="period-parameters"' in page  # the form the page buttons send again
