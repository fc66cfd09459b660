"""Dutch numbers in forms: amounts are shown as 173.120,32 and typed either way."""

from decimal import Decimal

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from stemnet.forms import EuroField, format_dutch_decimal, parse_dutch_decimal


@pytest.mark.parametrize(
    "text,value",
    [
        ("173.120,32", "173120.32"),
        ("173120,32", "173120.32"),
        ("173120.32", "173120.32"),
        ("€ 1.000", "1000"),
        ("1.000.000,5", "1000000.5"),
        ("173,120.32", "173120.32"),
        ("0,00", "0.00"),
        ("12.5", "12.5"),
        (" 2 500,00 ", "2500.00"),
    ],
)
def test_dutch_and_english_input_is_read(text, value):
    assert parse_dutch_decimal(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "1..2", "12,5.3,1"])
def test_nonsense_is_refused(text):
    with pytest.raises(ValueError):
        parse_dutch_decimal(text)


@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False))
def test_what_is_shown_reads_back_the_same(value):
    assert parse_dutch_decimal(format_dutch_decimal(value)) == value


class _Form(forms.Form):
    budget = EuroField(min_value=0)


def test_the_euro_field_shows_dutch_and_refuses_in_dutch():
    assert 'value="173.120,32"' in str(_Form(initial={"budget": Decimal("173120.32")}))
    assert 'value="0,00"' in str(_Form(initial={"budget": Decimal("0")}))
    assert 'type="text"' in str(_Form()) and 'inputmode="decimal"' in str(_Form())
    form = _Form({"budget": "veel"})
    assert not form.is_valid() and "173.120,32" in form.errors["budget"][0]
    form = _Form({"budget": "173.120,32"})
    assert form.is_valid() and form.cleaned_data["budget"] == Decimal("173120.32")


def test_a_fields_errors_are_what_its_aria_describedby_points_to():
    """A screen reader reads the error with the field: the list's id is the one Django's
    widget names in aria-describedby (templates/includes/field.html)."""
    import re

    from django.template.loader import render_to_string

    class Form(forms.Form):
        amount = forms.IntegerField(help_text="Een geheel getal.")

    form = Form(data={"amount": "veel"})
    assert not form.is_valid()
    html = render_to_string("includes/field.html", {"field": form["amount"]})
    described = re.search(r'aria-describedby="([^"]+)"', html).group(1).split()
    ids = set(re.findall(r'id="([^"]+)"', html))
    assert "id_amount_error" in described
    assert set(described) <= ids


def test_searchable_checkboxes_write_the_markup_of_djangos_own_templates():
    """The widget writes its checkboxes in Python: the page is the same, character for
    character, as with Django's templates (the widget's template as it was before)."""
    from pathlib import Path

    from django.forms.renderers import get_default_renderer
    from django.utils.translation import gettext_lazy

    from stemnet.forms import SearchableCheckboxSelectMultiple

    widget = SearchableCheckboxSelectMultiple(attrs={"class": "wide"})
    widget.choices = [
        ("11002", "Antwerpen <&> \"'"),
        ("24062", gettext_lazy("Leuven")),
        ("Groep", [("44021", "Gent"), (71072, "Zonhoven")]),
    ]
    ours = Path(__file__).parents[2] / "stemnet/templates" / widget.template_name
    with_templates = get_default_renderer().engine.from_string(
        ours.read_text().replace(
            "{{ widget.checkboxes_html }}",
            '{% include "django/forms/widgets/multiple_input.html" %}',
        )
    )
    for value in ([], ["24062"], ["44021", "71072"]):
        attrs = {"id": "id_priority", "aria-describedby": "help", "required": True}
        # Django's own context (with the optgroups its templates loop over)
        context = forms.CheckboxSelectMultiple.get_context(widget, "priority", value, attrs)
        for _twice in range(2):  # written, then the same list from the widget's memory
            html = widget.render("priority", value, attrs)
            assert html == with_templates.render(context).strip()
            assert "&lt;&amp;&gt;" in html and html.count("checked") == len(value)
