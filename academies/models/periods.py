"""Reporting periods (half years) and each academy's period report ("perioderapport")."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReportingPeriod(models.Model):
    """A half-year period as seen by reporting: its dates, and whether reporting is closed.

    The subsidy life cycle beyond closing (calculated, approved, letters sent) lives in
    ``subsidies.Period``, which points at this row.
    """

    code = models.CharField(_("code"), max_length=6, unique=True)
    start_date = models.DateField(_("van"))
    end_date = models.DateField(_("tot en met"))
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    # When the academies heard that the period is open for reporting (once per period).
    announced_at = models.DateTimeField(_("aangekondigd op"), null=True, blank=True)

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("rapportageperiode")
        verbose_name_plural = _("rapportageperiodes")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{4}-[12]$"), name="period_code_format"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class PeriodReport(models.Model):
    """An academy submits its report for a period; its data for that period is then locked
    until staff reopen it (with a reason)."""

    academy = models.ForeignKey(
        "academies.Academy", on_delete=models.CASCADE, related_name="period_reports"
    )
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reports")
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopened_at = models.DateTimeField(_("heropend op"), null=True, blank=True)
    reopen_reason = models.TextField(_("reden heropening"), blank=True)

    class Meta:
        verbose_name = _("perioderapport")
        verbose_name_plural = _("perioderapporten")
        constraints = [
            models.UniqueConstraint(fields=["academy", "period"], name="period_report_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.academy_id} {self.period_id}"

    @property
    def is_locked(self) -> bool:
        return self.submitted_at is not None
