"""Recognition ("erkenning"): the application, its workflow history, attachments, and the
recognitions staff grant (with a validity window)."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .organisation import Academy


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Concept")
    SUBMITTED = "submitted", _("Ingediend")
    CHANGES_REQUESTED = "changes_requested", _("Aanpassingen gevraagd")
    RESUBMITTED = "resubmitted", _("Opnieuw ingediend")
    RECOGNISED = "recognised", _("Erkend")
    REFUSED = "refused", _("Geweigerd")
    WITHDRAWN = "withdrawn", _("Erkenning ingetrokken")


#: States in which an application is finished: the academy may start a new one.
CLOSED_STATES = (
    ApplicationState.RECOGNISED,
    ApplicationState.REFUSED,
    ApplicationState.WITHDRAWN,
)


class RecognitionApplication(models.Model):
    """Erkenningsaanvraag: the academy confirms and explains each criterion."""

    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="applications")
    state = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationState.choices,
        default=ApplicationState.DRAFT,
        db_index=True,
    )
    confirms_stem = models.BooleanField(_("activiteiten rond STEM"), default=False)
    explains_stem = models.TextField(_("toelichting STEM-inhoud"), blank=True)
    confirms_outside_school = models.BooleanField(_("buiten de schooluren"), default=False)
    explains_outside_school = models.TextField(_("toelichting buiten de schooluren"), blank=True)
    confirms_ages = models.BooleanField(_("voor kinderen en jongeren van 5 tot 18"), default=False)
    explains_ages = models.TextField(_("toelichting leeftijden"), blank=True)
    confirms_flanders = models.BooleanField(_("actief in Vlaanderen"), default=False)
    explains_flanders = models.TextField(_("toelichting werking in Vlaanderen"), blank=True)
    motivation = models.TextField(_("motivering"), blank=True)
    is_renewal = models.BooleanField(_("hernieuwing"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(_("beslist op"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("erkenningsaanvraag")
        verbose_name_plural = _("erkenningsaanvragen")
        constraints = [
            # At most one application in progress per academy (the service checks it first
            # to give a clear message; this holds under concurrent requests too).
            models.UniqueConstraint(
                fields=["academy"],
                condition=~Q(state__in=[state.value for state in CLOSED_STATES]),
                name="application_one_open_per_academy",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.academy} ({self.get_state_display()})"


class ApplicationTransition(models.Model):
    """One step in an application's history: who moved it, when, and why."""

    application = models.ForeignKey(
        RecognitionApplication, on_delete=models.CASCADE, related_name="transitions"
    )
    from_state = models.CharField(max_length=20, choices=ApplicationState.choices)
    to_state = models.CharField(max_length=20, choices=ApplicationState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(_("reden"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statuswijzigingen")

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


def attachment_path(instance, filename: str) -> str:
    """A random name under the private media root: the uploader's file name is kept only in
    ``original_name`` so it can never steer the storage path or be guessed."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"attachments/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """Bijlage of an application. Stored privately; served only through a permission check."""

    application = models.ForeignKey(
        RecognitionApplication, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")

    def __str__(self) -> str:
        return self.original_name


class RecognitionTerm(models.TextChoices):
    """Soort erkenning: a first recognition is provisional for a year, the next one full for
    three years, then renewed every three years."""

    PROVISIONAL = "provisional", _("voorlopige erkenning (1 jaar)")
    FULL = "full", _("volledige erkenning (3 jaar)")
    RENEWED = "renewed", _("hernieuwde erkenning (3 jaar)")


TERM_YEARS = {
    RecognitionTerm.PROVISIONAL: 1,
    RecognitionTerm.FULL: 3,
    RecognitionTerm.RENEWED: 3,
}


class Recognition(models.Model):
    """Erkenning: the academy is recognised from ``valid_from`` until ``valid_until``
    (inclusive; open-ended while empty, as for recognitions from before terms existed).
    Eligibility of sessions reads these windows."""

    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="recognitions")
    application = models.OneToOneField(
        RecognitionApplication,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recognition",
    )
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reden intrekking"), blank=True)
    term = models.CharField(
        _("soort erkenning"), max_length=12, choices=RecognitionTerm.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["academy_id", "valid_from"]
        verbose_name = _("erkenning")
        verbose_name_plural = _("erkenningen")
        indexes = [models.Index(fields=["academy", "valid_from", "valid_until"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="recognition_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.academy}: {self.valid_from} – {self.valid_until or '…'}"


class RecognitionReminder(models.Model):
    """A reminder sent to the academy's admins ``days_before`` days before the recognition
    lapses; one row per recognition and reminder, so a re-run sends nothing twice."""

    recognition = models.ForeignKey(Recognition, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField(_("dagen vooraf"))
    sent_on = models.DateField(_("verzonden op"))

    class Meta:
        ordering = ["recognition_id", "-days_before"]
        verbose_name = _("herinnering erkenning")
        verbose_name_plural = _("herinneringen erkenning")
        constraints = [
            models.UniqueConstraint(
                fields=["recognition", "days_before"], name="recognition_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recognition_id}: {self.days_before}"
