"""An attendance register import as a job ("import"): the uploaded file, stored privately
until it is processed, and the status and progress the import page polls."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .organisation import Academy


def import_path(instance, filename: str) -> str:
    """A random name under the private media root (never served by URL)."""
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    return f"imports/{uuid.uuid4().hex}{suffix}"


# The import task's hard time limit (academies.tasks) plus a margin.
STALE_AFTER = timedelta(minutes=31)


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    SUCCEEDED = "succeeded", _("Ingelezen")
    REJECTED = "rejected", _("Geweigerd: niets ingelezen")
    FAILED = "failed", _("Onderbroken: niets ingelezen")


class ImportJob(models.Model):
    """Inlezing of a register file. All or nothing: the rows are written in one
    transaction; ``errors`` lists what was wrong when the file was refused."""

    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="import_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file = models.FileField(upload_to=import_path, max_length=200, blank=True)
    filename = models.CharField(_("bestandsnaam"), max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows_checked = models.PositiveIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)
    created = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)  # [[row, column, message], ...]
    error_count = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("inlezing")
        verbose_name_plural = _("inlezingen")

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"

    @property
    def is_interrupted(self) -> bool:
        """Running for longer than the task's hard time limit: its worker died (the
        transaction rolled back with it, nothing was written)."""
        return (
            self.status == ImportStatus.RUNNING
            and self.started_at is not None
            and self.started_at < timezone.now() - STALE_AFTER
        )

    @property
    def is_active(self) -> bool:
        return (
            self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING) and not self.is_interrupted
        )
