"""Award letters: HTML from a template, PDF with WeasyPrint. Knows nothing about views."""

from fractions import Fraction
from functools import cache

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from academies.selectors.organisation import contact_name, contact_names

from . import scheme
from .models import Award, AwardLine


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


NO_CONTACT = "beheerder"


def addressee(academy) -> str:
    """Whom the letter greets: the academy's contact person, else its admin."""
    return contact_name(academy) or NO_CONTACT


def _lines():
    return AwardLine.objects.select_related("municipality").order_by("municipality__name")


def letter_awards(award_ids) -> list[Award]:
    """The awards of ``award_ids`` with what their letters show, in three queries however
    many there are (the worker renders letters in batches)."""
    awards = list(
        Award.objects.filter(pk__in=list(award_ids))
        .select_related("run__period__reporting_period", "academy__municipality")
        .prefetch_related(Prefetch("lines", queryset=_lines(), to_attr="letter_lines"))
        .order_by("pk")
    )
    names = contact_names({award.academy_id for award in awards})
    for award in awards:
        award.letter_addressee = names.get(award.academy_id) or NO_CONTACT
    return awards


def letter_context(award: Award) -> dict:
    """What the letter shows; an award from ``letter_awards`` brings it along, any other
    is read here."""
    run = award.run
    period = run.period
    lines = getattr(award, "letter_lines", None)
    if lines is None:
        lines = list(_lines().filter(award=award))
    priority = set(run.parameters.get("priority_weights", {}))
    return {
        "how": _explanation(award, lines, run.parameters),
        "award": award,
        "academy": award.academy,
        "addressee": getattr(award, "letter_addressee", None) or addressee(award.academy),
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


def warm_up() -> None:
    """Pay once per process what the first letter would: the template compiled, the
    fonts found and loaded (a worker process calls this when it starts)."""
    get_template("subsidies/letter.html")
    render_pdf("<p style=\"font: 10pt 'DejaVu Sans'\">STEM <b>STEM</b></p>")
