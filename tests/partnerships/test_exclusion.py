"""The exclusion rule: an academy in a funded partnership's budget for (part of) a period
gets no seed-level subsidy for it; its points go to the others."""

from datetime import date

import pytest
from django.db import transaction

from partnerships.selectors import academies_in_funded_budget
from subsidies import services
from subsidies.models import Award
from tests.factories import PartnershipFactory
from tests.factories.subsidies import closed_period, network

pytestmark = pytest.mark.django_db


def _funded(academy, *, starts_on=date(2025, 9, 1), ends_on=date(2027, 8, 31), grant=15_000_000):
    partnership = PartnershipFactory(
        name="STEM-regio Meetjesland", starts_on=starts_on, ends_on=ends_on, grant_cents=grant
    )
    partnership.budget_academies.add(academy)
    return partnership


def _run(period, staff):
    with transaction.atomic():
        run = services.start_run(actor=staff, period=period)
    run.refresh_from_db()
    return run


def test_an_academy_in_a_funded_budget_gets_nothing_and_the_others_share_its_part(
    municipalities, client, django_capture_on_commit_callbacks
):
    first, second, third = network(3)
    period, staff = closed_period(budget_cents=600_001)
    before = services.preview(period)
    assert {a.academy_id for a in before.awards} == {first.pk, second.pk, third.pk}

    _funded(third)
    what_if = services.preview(period)
    assert {a.academy_id for a in what_if.awards} == {first.pk, second.pk}
    assert what_if.total_cents == 600_001  # the whole budget, shared by the two others
    # The others' points are unchanged; only the share of each grows.
    points = {a.academy_id: a.points for a in before.awards}
    assert {a.academy_id: a.points for a in what_if.awards} == {
        first.pk: points[first.pk],
        second.pk: points[second.pk],
    }
    assert sum(a.amount_cents for a in what_if.awards) == 600_001
    # first has 10 sessions, second 20: 1 : 2 of the budget
    amounts = {a.academy_id: a.amount_cents for a in what_if.awards}
    assert amounts == {first.pk: 200_000, second.pk: 400_001}

    with django_capture_on_commit_callbacks(execute=True):
        run = _run(period, staff)
    assert not Award.objects.filter(run=run, academy=third).exists()
    assert set(Award.objects.filter(run=run).values_list("academy_id", flat=True)) == {
        first.pk,
        second.pk,
    }

    client.force_login(staff)
    page = client.get(period.get_absolute_url()).content.decode()
    assert "Uitgesloten van de zaaisubsidie" in page
    assert third.name in page and "STEM-regio Meetjesland" in page
    assert "1/09/2025" in page and "31/08/2027" in page


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "grant", "excluded"),
    [
        (date(2026, 6, 1), date(2028, 5, 31), 10_000_000, True),  # starts in the last month
        (date(2024, 1, 1), date(2026, 1, 1), 10_000_000, True),  # ends on the first day
        (date(2024, 1, 1), date(2025, 12, 31), 10_000_000, False),  # ended before
        (date(2026, 7, 1), date(2028, 6, 30), 10_000_000, False),  # starts after
        (date(2026, 1, 1), date(2027, 12, 31), 0, False),  # not funded
    ],
)
def test_the_rule_applies_to_projects_running_during_part_of_the_period(
    municipalities, starts_on, ends_on, grant, excluded
):
    (academy,) = network(1)
    partnership = _funded(academy, starts_on=starts_on, ends_on=ends_on, grant=grant)
    found = academies_in_funded_budget(date(2026, 1, 1), date(2026, 6, 30))
    assert (academy.pk in found) is excluded
    if excluded:
        assert found[academy.pk] == partnership.name
