"""Template helpers of the award pages: a period's corrections next to its approved total."""

from django import template

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
