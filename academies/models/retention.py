"""What is kept when children's data is erased after the retention period.

Once a calendar year's awards are approved and its retention period has passed, its
participants and attendance rows are erased. Just before, the figures that read attendance
(unique children per period, municipality, academy, series, province, format, age group and
postal code of residence) are stored here per span — the year and its two half-year
periods — so that statistics, coverage and the dashboard of those spans stay as they were.
KIND-uren need nothing extra: they are summed over sessions (``Session.eligible_children``),
which stay. ``academies.kind_hours`` is the only reader."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ErasedSpan(models.Model):
    """A calendar year ("2016") or half-year period ("2016-1") whose children's data is gone."""

    code = models.CharField(_("jaar of periode"), max_length=6, unique=True)
    start_date = models.DateField(_("van"))
    end_date = models.DateField(_("tot en met"))
    erased_at = models.DateTimeField(_("gewist op"))

    class Meta:
        ordering = ["-start_date", "code"]
        verbose_name = _("gewiste periode")
        verbose_name_plural = _("gewiste periodes")
        constraints = [
            models.UniqueConstraint(fields=["start_date", "end_date"], name="erased_span_dates"),
        ]

    def __str__(self) -> str:
        return self.code


class KeptFigure(models.Model):
    """One stored figure of an erased span: the value a ``kind_hours`` function returned
    for that span (``name``, and ``key`` for its argument, e.g. a municipality) just before
    the erasure, as JSON."""

    span = models.ForeignKey(ErasedSpan, on_delete=models.CASCADE, related_name="figures")
    name = models.CharField(max_length=60)
    key = models.CharField(max_length=60, blank=True, default="")
    value = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["span", "name", "key"], name="kept_figure_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.span_id} {self.name} {self.key}"


class Erasure(models.Model):
    """What was erased of one academy's data for one year: shown to the academy."""

    academy = models.ForeignKey(
        "academies.Academy", on_delete=models.CASCADE, related_name="erasures"
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    erased_at = models.DateTimeField(_("gewist op"))
    participants = models.PositiveIntegerField(_("deelnemers gewist"))
    attendance = models.PositiveIntegerField(_("aanwezigheden gewist"))
    retention_years = models.PositiveSmallIntegerField(_("bewaartermijn (jaar)"))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("wissing")
        verbose_name_plural = _("wissingen")
        constraints = [
            models.UniqueConstraint(fields=["academy", "year"], name="erasure_once_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.academy_id} {self.year}"
