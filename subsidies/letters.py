"""Award letters: HTML from a template, PDF with WeasyPrint. Knows nothing about views."""

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from .models import Award


def letter_context(award: Award) -> dict:
    run = award.run
    period = run.period
    lines = list(award.lines.select_related("municipality").order_by("municipality__name"))
    return {
        "award": award,
        "academy": award.academy,
        "period": period,
        "run": run,
        "lines": lines,
        "parameters": run.parameters,
        "priority": set(run.parameters.get("priority_weights", {})),
        "today": timezone.localdate(),
    }


def letter_html(award: Award) -> str:
    return render_to_string("subsidies/letter.html", letter_context(award))


def render_pdf(html: str) -> bytes:
    return HTML(string=html).write_pdf()
