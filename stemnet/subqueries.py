"""Subqueries shared by the apps' reads."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def count_per_row(model, fk: str):
    """Per outer row: how many ``model`` rows point at it through ``fk`` (0 when none). A
    correlated count is worked out for the rows a query returns only, not for every row
    a GROUP BY would join (a page of 50 out of thousands)."""
    rows = (
        model.objects.filter(**{fk: OuterRef("pk")})
        .order_by()
        .values(fk)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))
