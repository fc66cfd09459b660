"""The period's parameters the Dutch way: amounts shown as 173.120,32 and typed either
way, priority municipalities chosen by name (searchable checkboxes), errors named by
their label, never by the field's code name."""

from decimal import Decimal

import pytest
from django.urls import reverse

from subsidies.models import Period
from tests.factories.subsidies import closed_period, network

pytestmark = pytest.mark.django_db

PARAMS = {
    "action": "parameters",
    "budget_eur": "173.120,32",
    "rate_cap_eur": "",
    "academy_cap_eur": "1.000,00",
    "min_kind_hours": "0,00",
    "priority_weight": "1,5",
    "spread_bonus_pct": "0",
    "spread_cap_pct": "0",
}


@pytest.fixture
def period_and_staff(municipalities, client):
    network(2)
    period, staff = closed_period(budget_cents=17_312_032)
    client.force_login(staff)
    return period, staff


def test_amounts_are_shown_the_dutch_way(period_and_staff, client):
    period, _staff = period_and_staff
    page = client.get(period.get_absolute_url()).content.decode()
    assert 'value="173.120,32"' in page and 'value="0,00"' in page
    assert "173120.32" not in page


def test_priority_municipalities_are_chosen_by_name_with_search(period_and_staff, client):
    period, _staff = period_and_staff
    page = client.get(period.get_absolute_url()).content.decode()
    assert "NIS-codes" not in page
    assert 'value="44021"' in page and "Gent</label>" in page
    assert "data-checkbox-filter-input" in page and "js/checkbox-filter.js" in page
    response = client.post(
        period.get_absolute_url(), {**PARAMS, "priority_refnis": ["44021", "24062"]}
    )
    assert response.status_code == 302
    period = Period.objects.get(pk=period.pk)
    assert sorted(period.priority_municipalities.values_list("name", flat=True)) == [
        "Gent",
        "Leuven",
    ]
    assert period.budget_cents == 17_312_032 and period.priority_weight == Decimal("1.5")
    assert period.academy_cap_cents == 100_000


def test_what_if_errors_name_the_field_by_its_label(period_and_staff, client):
    period, _staff = period_and_staff
    response = client.post(
        reverse("subsidies_staff:what_if", args=[period.code]),
        {**PARAMS, "priority_refnis": ["99999"], "budget_eur": "veel"},
    )
    body = response.content.decode()
    assert "priority_refnis" not in body and "budget_eur" not in body
    assert "Prioritaire gemeenten:" in body and "Budget (EUR):" in body
