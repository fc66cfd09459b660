"""Background exports: one status row per requested file ("mijn downloads")."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExportTable(models.TextChoices):
    ACADEMIES = "academies", _("Academies")
    RECOGNITIONS = "recognitions", _("Erkenningen")
    ACTIVITIES = "activities", _("Activiteiten")
    SERIES = "series", _("Reeksen")
    SESSIONS = "sessions", _("Sessies")
    KIND_HOURS = "kind_hours", _("KIND-uren per academie en gemeente")
    AWARDS = "awards", _("Toekenningen")
    AWARD_LINES = "award_lines", _("Toekenningen per gemeente")
    PAYMENTS = "payments", _("Betalingen")


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX (Excel)"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    DONE = "done", _("Klaar")
    FAILED = "failed", _("Mislukt")
    EXPIRED = "expired", _("Verlopen")


def export_path(instance, filename: str) -> str:
    """A random name under the private media root: never guessable, never served directly."""
    return f"exports/{uuid.uuid4().hex}/{filename}"


class ExportJob(models.Model):
    """Export: a table as CSV or XLSX, made by a worker, kept for a limited time and served
    only to the user who asked for it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    table = models.CharField(_("tabel"), max_length=20, choices=ExportTable.choices)
    format = models.CharField(_("formaat"), max_length=4, choices=ExportFormat.choices)
    period = models.CharField(_("jaar of periode"), max_length=6, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=export_path, max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file=""), name="export_done_has_file"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.table}.{self.format} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)

    @property
    def progress_percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, 100 * self.rows_done // self.rows_total)

    @property
    def filename(self) -> str:
        suffix = f"-{self.period}" if self.period else ""
        return f"{self.table}{suffix}.{self.format}"


class RetentionPolicy(models.Model):
    """How long children's data (participants and attendance) is kept: one row, set by
    staff. A calendar year is erased once both its periods' awards are approved, no
    objection is open, and ``years`` have passed since the later approval."""

    years = models.PositiveSmallIntegerField(_("bewaartermijn (jaar na goedkeuring)"), default=5)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("gewijzigd op"), null=True, blank=True)
    reason = models.TextField(_("reden"), blank=True)

    class Meta:
        verbose_name = _("bewaartermijn")
        verbose_name_plural = _("bewaartermijnen")
        constraints = [
            models.CheckConstraint(
                condition=Q(years__gte=1, years__lte=30), name="retention_years_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.years}"
