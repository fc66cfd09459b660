"""Money and number formatting for subsidy pages and letters (Belgian notation)."""

from decimal import Decimal
from fractions import Fraction

from django import template

register = template.Library()


@register.filter
def euro(cents) -> str:
    """12345678 → '123.456,78'."""
    if cents in (None, ""):
        return "—"
    cents = int(cents)
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole:,}".replace(",", ".") + f",{rest:02d}"


@register.filter
def percent(value) -> str:
    """'1/10' or '0.1' → '10%'."""
    share = Fraction(value) * 100
    return f"{Decimal(share.numerator) / Decimal(share.denominator):.0f}%"


@register.filter
def points(value) -> str:
    """An exact Fraction as text → a Dutch number with two decimals (display only)."""
    number = Fraction(value) * 100
    cents = number.numerator // number.denominator
    return euro(cents)


@register.filter
def points_cents(value) -> str:
    """Exact cents (a Fraction or its text) → euro with two decimals: '250' → '2,50'."""
    return points(Fraction(value) / 100)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "")


@register.filter
def signed_euro(cents) -> str:
    """A change in cents with its sign: 1250 → '+12,50', -5 → '-0,05', 0 → '0,00'."""
    cents = int(cents)
    return ("+" if cents > 0 else "") + euro(cents)


@register.filter
def kind_hours_of(child_minutes) -> str:
    """Exact child-minutes → KIND-uren as the letters show them: 150 → '2,50'."""
    from academies.kind_hours import as_kind_hours

    return euro(int(as_kind_hours(int(child_minutes or 0)) * 100))
