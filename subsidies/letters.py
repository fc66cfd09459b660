"""Award letters: HTML from a template, PDF with WeasyPrint. Knows nothing about views."""

from fractions import Fraction

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from .models import Award


def _explanation(award: Award, lines, parameters: dict) -> dict:
    """The figures of the letter's "how this amount was computed" paragraph, exact."""
    weights = {k: Fraction(v) for k, v in parameters.get("priority_weights", {}).items()}
    weighted = sum(
        (Fraction(line.child_minutes, 60) * weights.get(line.municipality_id, 1) for line in lines),
        Fraction(0),
    )
    extra = max(len(lines) - 1, 0)
    bonus = min(
        Fraction(parameters.get("spread_bonus", "0")) * extra,
        Fraction(parameters.get("spread_cap", "0")),
    )
    rate = parameters.get("rate_cap_cents")
    return {
        "weighted": weighted,
        "bonus": bonus,
        "rate_cap_cents": None if rate is None else Fraction(rate),
        "academy_cap_cents": parameters.get("academy_cap_cents"),
        "capped": award.cap_cents is not None and award.amount_cents == award.cap_cents,
    }


def letter_context(award: Award) -> dict:
    run = award.run
    period = run.period
    lines = list(award.lines.select_related("municipality").order_by("municipality__name"))
    return {
        "how": _explanation(award, lines, run.parameters),
        "award": award,
        "academy": award.academy,
        "period": period,
        "run": run,
        "lines": lines,
        "parameters": run.parameters,
        "priority": set(run.parameters.get("priority_weights", {})),
        "priority_weight": next(iter(run.parameters.get("priority_weights", {}).values()), "1"),
        "today": timezone.localdate(),
    }


def letter_html(award: Award) -> str:
    return render_to_string("subsidies/letter.html", letter_context(award))


def render_pdf(html: str) -> bytes:
    return HTML(string=html).write_pdf()
