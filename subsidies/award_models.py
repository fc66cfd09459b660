"""Models of what follows an award: the frozen per-session trace of an approved run,
objections ("bezwaar"), correction decisions ("herziening") and the yearly budget."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from academies.kind_hours import as_kind_hours


class AwardSession(models.Model):
    """One session of an awarded academy as the approved run counted it: copied from the
    KIND-uren module when the run is approved, so the award page of an approved run never
    changes with later data. The database refuses changes once the run is approved."""

    award = models.ForeignKey("subsidies.Award", on_delete=models.CASCADE, related_name="sessions")
    session_id = models.BigIntegerField()  # no foreign key: the trace outlives the session
    municipality = models.ForeignKey(
        "stemnet.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField()
    start_time = models.TimeField()
    end_time = models.TimeField()
    series_code = models.CharField(max_length=100, blank=True)
    activity_title = models.CharField(max_length=300, blank=True)
    counted_minutes = models.PositiveIntegerField()
    school_minutes = models.PositiveIntegerField()
    over_cap_minutes = models.PositiveIntegerField()
    attendees = models.PositiveIntegerField()
    eligible_attendees = models.PositiveIntegerField()
    recognised = models.BooleanField()
    flemish = models.BooleanField()
    earned = models.BigIntegerField()  # eligible child-minutes
    lost_outside = models.BigIntegerField()
    lost_unrecognised = models.BigIntegerField()
    lost_age = models.BigIntegerField()
    lost_school = models.BigIntegerField()
    lost_over = models.BigIntegerField()

    class Meta:
        ordering = ["date", "start_time", "session_id"]
        constraints = [
            models.UniqueConstraint(fields=["award", "session_id"], name="award_session_unique"),
        ]
        indexes = [models.Index(fields=["award", "municipality"])]

    def __str__(self) -> str:
        return f"{self.award_id} {self.session_id}"

    @property
    def kind_hours(self):
        return as_kind_hours(self.earned)


class YearBudget(models.Model):
    """Jaarbudget: the seed-level budget of one calendar year, set by staff."""

    year = models.PositiveSmallIntegerField(_("jaar"), unique=True)
    budget_cents = models.BigIntegerField(_("budget (cent)"))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("jaarbudget")
        verbose_name_plural = _("jaarbudgetten")
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_cents__gte=0), name="year_budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)


class ObjectionState(models.TextChoices):
    SUBMITTED = "submitted", _("Ingediend")
    QUESTIONED = "questioned", _("Vraag aan de academie")
    GRANTED = "granted", _("Gegrond")
    PARTLY = "partly", _("Gedeeltelijk gegrond")
    REFUSED = "refused", _("Ongegrond")


OPEN_OBJECTION_STATES = (ObjectionState.SUBMITTED, ObjectionState.QUESTIONED)


class Objection(models.Model):
    """Bezwaar: an academy objects to its award of an approved run, before the deadline."""

    award = models.ForeignKey(
        "subsidies.Award", on_delete=models.PROTECT, related_name="objections"
    )
    academy = models.ForeignKey(
        "academies.Academy", on_delete=models.PROTECT, related_name="objections"
    )
    state = models.CharField(
        max_length=20, choices=ObjectionState.choices, default=ObjectionState.SUBMITTED
    )
    reason = models.TextField(_("reden"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filed_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateField()
    motivation = models.TextField(_("motivering"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("bezwaar")
        verbose_name_plural = _("bezwaren")
        constraints = [
            models.UniqueConstraint(
                fields=["award"],
                condition=Q(state__in=["submitted", "questioned"]),
                name="one_open_objection_per_award",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.academy} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("subsidies:objection", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_OBJECTION_STATES


class ObjectionMessage(models.Model):
    """A question of staff or an answer of the academy on an objection."""

    QUESTION, ANSWER = "question", "answer"
    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(
        max_length=10, choices=[(QUESTION, _("Vraag")), (ANSWER, _("Antwoord"))]
    )
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.objection_id} {self.kind}"


def objection_attachment_path(instance, filename: str) -> str:
    from academies.models.recognition import attachment_path

    return "objections/" + attachment_path(instance, filename).removeprefix("attachments/")


class ObjectionAttachment(models.Model):
    """Bijlage of an objection: private, served only after the scope check."""

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=objection_attachment_path, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Correction(models.Model):
    """Herziening: a new, separate decision that changes what an academy gets for a period
    by ``amount_cents`` (positive or negative). The approved run is never touched; the
    database refuses to change or delete a correction."""

    period = models.ForeignKey(
        "subsidies.Period", on_delete=models.PROTECT, related_name="corrections"
    )
    academy = models.ForeignKey(
        "academies.Academy", on_delete=models.PROTECT, related_name="corrections"
    )
    objection = models.ForeignKey(
        Objection, on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    reference = models.CharField(max_length=60, unique=True)
    amount_cents = models.BigIntegerField(_("verschil (cent)"))
    reason = models.TextField(_("reden"))
    override_reason = models.TextField(_("reden van de bevestiging"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = _("herziening")
        verbose_name_plural = _("herzieningen")
        constraints = [
            models.CheckConstraint(condition=~Q(amount_cents=0), name="correction_not_zero"),
        ]

    def __str__(self) -> str:
        return self.reference
