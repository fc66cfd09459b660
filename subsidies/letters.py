"""Award letters: HTML from a template, PDF with WeasyPrint. Knows nothing about views."""

from fractions import Fraction
from functools import cache

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from academies.selectors.organisation import contact_name

from . import scheme
from .models import Award


def _explanation(award: Award, lines, parameters: dict) -> dict:
    """The figures of the letter's "how this amount was computed" paragraph: the scheme's
    own points rule applied to the award's KIND-uren per municipality, not a copy of it."""
    params = scheme.parameters_from_json(parameters)
    how = scheme.points_of(
        {line.municipality_id: Fraction(line.child_minutes, 60) for line in lines}, params
    )
    return {
        "weighted": how.weighted_kind_hours,
        "bonus": how.spread_bonus,
        "rate_cap_cents": params.rate_cap_cents,
        "academy_cap_cents": params.academy_cap_cents,
        "capped": award.cap_cents is not None and award.amount_cents == award.cap_cents,
    }


def addressee(academy) -> str:
    """Whom the letter greets: the academy's contact person, else its admin."""
    return contact_name(academy) or "beheerder"


def letter_context(award: Award) -> dict:
    run = award.run
    period = run.period
    lines = list(award.lines.select_related("municipality").order_by("municipality__name"))
    priority = set(run.parameters.get("priority_weights", {}))
    return {
        "how": _explanation(award, lines, run.parameters),
        "award": award,
        "academy": award.academy,
        "addressee": addressee(award.academy),
        "period": period,
        "run": run,
        "lines": lines,
        "parameters": run.parameters,
        "priority": priority,
        "priority_lines": [line for line in lines if line.municipality_id in priority],
        "priority_weight": next(iter(run.parameters.get("priority_weights", {}).values()), "1"),
        "today": timezone.localdate(),
        "award_url": settings.PORTAL_URL + reverse("subsidies:award", args=[award.pk]),
    }


def letter_html(award: Award) -> str:
    return render_to_string("subsidies/letter.html", letter_context(award))


@cache
def _fonts() -> FontConfiguration:
    """One font configuration per process: building it is a good part of each render."""
    return FontConfiguration()


def render_pdf(html: str) -> bytes:
    return HTML(string=html).write_pdf(font_config=_fonts())
