"""Correction letters ("herziening"): HTML from a template, PDF with the award letters'
WeasyPrint renderer. Knows nothing about views; rendered when downloaded, from the stored
decision only, so the same letter comes out every time."""

from django.template.loader import render_to_string
from django.utils import timezone

from . import letters
from .letters import addressee
from .models import Award, Correction


def correction_context(correction: Correction) -> dict:
    period = correction.period
    award = (
        Award.objects.filter(run=period.approved_run_id, academy=correction.academy_id).first()
        if period.approved_run_id
        else None
    )
    approved = award.amount_cents if award else 0
    earlier = list(
        Correction.objects.filter(
            period=period, academy=correction.academy_id, decided_at__lt=correction.decided_at
        ).order_by("decided_at", "pk")
    )
    before = approved + sum(c.amount_cents for c in earlier)
    return {
        "correction": correction,
        "academy": correction.academy,
        "addressee": addressee(correction.academy),
        "period": period,
        "award": award,
        "approved_cents": approved,
        "earlier": earlier,
        "before_cents": before,
        "new_total_cents": before + correction.amount_cents,
        "day": timezone.localdate(correction.decided_at),
    }


def correction_html(correction: Correction) -> str:
    return render_to_string("subsidies/correction_letter.html", correction_context(correction))


def correction_pdf(correction: Correction) -> bytes:
    return letters.render_pdf(correction_html(correction))
