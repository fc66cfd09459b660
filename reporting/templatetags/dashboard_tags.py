"""Small display helpers for the dashboard: changes against the previous period."""

from django import template
from django.utils.formats import number_format

from academies.kind_hours import as_kind_hours

register = template.Library()


@register.filter
def signed_percent(change) -> str:
    """A change as "+12,5 %" / "−3 %" (localised); empty when there is nothing to compare."""
    if change is None or change.percent is None:
        return ""
    value = change.percent
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return f"{sign}{number_format(abs(value), decimal_pos=1)} %"


@register.filter
def signed_number(value) -> str:
    if value is None:
        return ""
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return f"{sign}{number_format(abs(value), force_grouping=True)}"


@register.filter
def hours(minutes):
    """Child-minutes as KIND-uren (two decimals, as everywhere in the portal)."""
    return as_kind_hours(minutes)
