"""Periods' subsidy life cycle, scheme parameters, calculation runs, awards and letters."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from academies.kind_hours import as_kind_hours


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Open voor rapportering")
    CLOSED = "closed", _("Afgesloten voor rapportering")
    CALCULATED = "calculated", _("Berekend (ontwerp)")
    APPROVED = "approved", _("Goedgekeurd")
    LETTERS_SENT = "letters_sent", _("Brieven verstuurd")


#: The stages a period reaches after reporting closed. Whether reporting is open or closed
#: is stored once, on the reporting period (``ReportingPeriod.closed_at``).
SUBSIDY_STAGES = [PeriodStatus.CALCULATED, PeriodStatus.APPROVED, PeriodStatus.LETTERS_SENT]


class Period(models.Model):
    """Subsidy period ("periode"): a half year, its scheme parameters and its status.

    ``status`` is derived: the subsidy ``stage`` once one is reached, before that open or
    closed as the reporting period says."""

    reporting_period = models.OneToOneField(
        "academies.ReportingPeriod", on_delete=models.PROTECT, related_name="subsidy_period"
    )
    stage = models.CharField(
        _("fase"),
        max_length=20,
        blank=True,
        default="",
        choices=[(s.value, s.label) for s in SUBSIDY_STAGES],
    )
    budget_cents = models.BigIntegerField(_("budget (cent)"), default=0)
    rate_cap_eur = models.DecimalField(
        _("maximum per KIND-uur (EUR)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    academy_cap_cents = models.BigIntegerField(
        _("maximum per academie (cent)"), null=True, blank=True
    )
    min_kind_hours = models.DecimalField(
        _("minimum KIND-uren"), max_digits=10, decimal_places=2, default=0
    )
    priority_municipalities = models.ManyToManyField(
        "stemnet.Municipality",
        blank=True,
        related_name="+",
        verbose_name=_("prioritaire gemeenten"),
    )
    priority_weight = models.DecimalField(
        _("gewicht prioritaire gemeenten"), max_digits=6, decimal_places=2, default=1
    )
    spread_bonus = models.DecimalField(
        _("spreidingsbonus per extra gemeente"), max_digits=6, decimal_places=4, default=0
    )
    spread_cap = models.DecimalField(
        _("maximale spreidingsbonus"), max_digits=6, decimal_places=4, default=0
    )
    approved_run = models.OneToOneField(
        "CalculationRun", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # When staff last asked for (some of) the approved run's letters: the letters job is
    # running while letters are missing and something happened since (a heartbeat).
    letters_requested_at = models.DateTimeField(null=True, blank=True)
    objection_days = models.PositiveSmallIntegerField(
        _("bezwaartermijn (dagen na de brief)"), default=30
    )

    class Meta:
        ordering = ["-reporting_period__start_date"]
        verbose_name = _("subsidieperiode")
        verbose_name_plural = _("subsidieperiodes")
        constraints = [
            models.CheckConstraint(condition=Q(budget_cents__gte=0), name="period_budget_positive"),
            models.CheckConstraint(condition=Q(priority_weight__gte=1), name="period_weight_min_1"),
            models.CheckConstraint(
                condition=Q(spread_bonus__gte=0) & Q(spread_cap__gte=0),
                name="period_spread_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(approved_run__isnull=True) | Q(stage__in=["approved", "letters_sent"]),
                name="period_approved_run_only_when_approved",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=["", *SUBSIDY_STAGES]), name="period_stage_known"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("subsidies_staff:period", args=[self.code])

    @property
    def code(self) -> str:
        return self.reporting_period.code

    @property
    def status(self) -> str:
        if self.stage:
            return PeriodStatus(self.stage)
        return PeriodStatus.CLOSED if self.reporting_period.is_closed else PeriodStatus.OPEN

    def get_status_display(self) -> str:
        return PeriodStatus(self.status).label

    @property
    def is_frozen(self) -> bool:
        return self.status in (PeriodStatus.APPROVED, PeriodStatus.LETTERS_SENT)


class PeriodTransition(models.Model):
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=PeriodStatus.choices)
    to_status = models.CharField(max_length=20, choices=PeriodStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.period_id}: {self.from_status} → {self.to_status}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    SUCCEEDED = "succeeded", _("Klaar")
    FAILED = "failed", _("Mislukt")


class CalculationRun(models.Model):
    """Berekening: one computation of a period's awards, with its inputs' fingerprint."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # written by the executor
    finished_at = models.DateTimeField(null=True, blank=True)
    parameters = models.JSONField(default=dict)
    fingerprint = models.CharField(max_length=64, blank=True)
    total_cents = models.BigIntegerField(null=True, blank=True)
    unspent_cents = models.BigIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("berekening")
        verbose_name_plural = _("berekeningen")
        constraints = [
            # Only one run per period at a time: enforced by the database.
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_run_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} #{self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)


class Award(models.Model):
    """Toekenning: one academy's amount in one run."""

    run = models.ForeignKey(CalculationRun, on_delete=models.CASCADE, related_name="awards")
    academy = models.ForeignKey(
        "academies.Academy", on_delete=models.PROTECT, related_name="awards"
    )
    reference = models.CharField(max_length=40)
    child_minutes = models.BigIntegerField()
    points = models.CharField(max_length=100)  # exact Fraction as text
    cap_cents = models.BigIntegerField(null=True, blank=True)
    amount_cents = models.BigIntegerField()

    class Meta:
        ordering = ["academy__name", "id"]
        verbose_name = _("toekenning")
        verbose_name_plural = _("toekenningen")
        constraints = [
            models.UniqueConstraint(fields=["run", "academy"], name="award_one_per_academy"),
            models.CheckConstraint(condition=Q(amount_cents__gte=0), name="award_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.amount_cents} c"

    @property
    def kind_hours(self):
        return as_kind_hours(self.child_minutes)


class AwardLine(models.Model):
    """The part of an award earned in one municipality."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="lines")
    municipality = models.ForeignKey(
        "stemnet.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    child_minutes = models.BigIntegerField()
    amount_cents = models.BigIntegerField()

    class Meta:
        ordering = ["municipality_id"]
        constraints = [
            models.UniqueConstraint(fields=["award", "municipality"], name="award_line_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.award_id} {self.municipality_id}: {self.amount_cents} c"

    @property
    def kind_hours(self):
        return as_kind_hours(self.child_minutes)


class AwardLetter(models.Model):
    """Toekenningsbrief: the rendered PDF of an approved award (private file)."""

    award = models.OneToOneField(Award, on_delete=models.CASCADE, related_name="letter")
    file = models.FileField(upload_to="letters/%Y/")
    rendered_at = models.DateTimeField()
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("toekenningsbrief")
        verbose_name_plural = _("toekenningsbrieven")

    def __str__(self) -> str:
        return self.award.reference


class LetterFailure(models.Model):
    """A letter that could not be rendered after its retries, with the error: shown to staff
    until a retry renders it (then this row goes)."""

    award = models.OneToOneField(Award, on_delete=models.CASCADE, related_name="letter_failure")
    error = models.TextField()
    failed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("mislukte brief")
        verbose_name_plural = _("mislukte brieven")

    def __str__(self) -> str:
        return f"{self.award_id}: {self.error[:60]}"


from .award_models import (  # noqa: E402, F401  (awards' follow-up: one app, one models API)
    OPEN_OBJECTION_STATES,
    AwardSession,
    Correction,
    Objection,
    ObjectionAttachment,
    ObjectionMessage,
    ObjectionState,
    YearBudget,
)
