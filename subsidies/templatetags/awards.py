"""Template helpers of the award pages: a period's corrections next to its approved total,
the rows of its awards table."""

from django import template
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from stemnet.links import url_around_id

from .cents import euro

register = template.Library()


@register.simple_tag
def period_corrections(period) -> dict:
    """The period's corrections (count and sum in cents), one query; none before approval."""
    from django.db.models import Count, Sum

    from ..models import Correction

    if not getattr(period, "approved_run_id", None):
        return {"count": 0, "cents": 0}
    row = Correction.objects.filter(period=period).aggregate(n=Count("id"), s=Sum("amount_cents"))
    return {"count": row["n"], "cents": row["s"] or 0}


@register.simple_tag
def award_rows(awards) -> str:
    """The rows of a run's awards table (a page of 50 on the period page), written here
    rather than through the template's per-row tags: the links share one reverse() each."""
    award_url, letter_url = url_around_id("subsidies:award"), url_around_id("subsidies:letter")
    failed = f'<span class="badge err">{escape(gettext("mislukt"))}</span>'
    rows = []
    for a in awards:
        name = escape(a.academy.name)
        letter = getattr(a, "letter", None)
        if letter is not None:
            pdf = (
                f'<a href="{letter_url[0]}{letter.pk}{letter_url[1]}">PDF'
                f'<span class="visually-hidden"> {name}</span></a>'
            )
        elif getattr(a, "letter_failure", None) is not None:
            pdf = failed
        else:
            pdf = "—"
        rows.append(
            f"<tr><td>{name}</td>"
            f'<td><a href="{award_url[0]}{a.pk}{award_url[1]}">{escape(a.reference)}</a></td>'
            f'<td class="num">{escape(localize(a.kind_hours))}</td>'
            f'<td class="num">{localize(a.municipality_count)}</td>'
            f'<td class="num">{euro(a.amount_cents)}</td><td>{pdf}</td></tr>'
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value in it is escaped or a number)
