"""Amounts typed in the correction and year-budget forms are read like every amount in the
portal (stemnet.forms.parse_dutch_decimal): Dutch or English notation, never 100× off."""

import pytest

from subsidies.award_forms import CorrectionForm, YearBudgetForm


@pytest.mark.parametrize(
    "typed,cents",
    [
        ("125,50", 12_550),
        ("125.50", 12_550),  # read as 12.550,00 before
        ("-40", -4_000),
        ("-1.250,75", -125_075),
        ("1.000", 100_000),
        ("€ 2.500,00", 250_000),
    ],
)
def test_a_correction_amount_is_read_in_either_notation(typed, cents):
    form = CorrectionForm(data={"amount": typed, "reason": "Rechtzetting", "confirm": "on"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == cents


@pytest.mark.parametrize("typed", ["", "veel", "1,234", "12,5,0", "0"])
def test_a_wrong_correction_amount_is_refused(typed):
    form = CorrectionForm(data={"amount": typed, "reason": "Rechtzetting", "confirm": "on"})
    assert not form.is_valid()
    assert "amount" in form.errors


def test_the_year_budget_reads_what_its_page_shows():
    form = YearBudgetForm(data={"year": "2019", "budget": "500.000,00"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["budget"] == 50_000_000
    assert not YearBudgetForm(data={"year": "2019", "budget": "-1"}).is_valid()
