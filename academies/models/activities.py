"""What academies do: activities, series ("reeksen"), sessions, pseudonymous participants
and attendance, plus the staff-kept school-holiday calendar."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stemnet.validation import MAX_DATE, MIN_DATE

from .organisation import Academy

# What the database refuses whatever the entry point (academies.validation is the rule).
MIN_BIRTH_YEAR = 1900
MAX_BIRTH_YEAR = 2100
# Control characters (C0, DEL); the regex is the same in PostgreSQL and Python (SQLite).
CONTROL_CHARACTERS = r"[\x01-\x1f\x7f]"


class ActivityFormat(models.TextChoices):
    CLUB = "club", _("Club")
    WORKSHOP = "workshop", _("Workshop")
    CAMP = "camp", _("Kamp")
    OTHER = "other", _("Andere")


class Activity(models.Model):
    """Activiteit: what is offered (a club, a workshop, a camp)."""

    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="activities")
    code = models.CharField(_("code"), max_length=50)
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("beschrijving"), blank=True)
    stem_domains = models.JSONField(_("STEM-domeinen"), default=list, blank=True)
    min_age = models.PositiveSmallIntegerField(_("vanaf leeftijd"), default=5)
    max_age = models.PositiveSmallIntegerField(_("tot leeftijd"), default=18)
    format = models.CharField(
        _("vorm"), max_length=20, choices=ActivityFormat.choices, default=ActivityFormat.CLUB
    )
    is_public = models.BooleanField(_("publiek zichtbaar"), default=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("activiteit")
        verbose_name_plural = _("activiteiten")
        constraints = [
            models.UniqueConstraint(fields=["academy", "code"], name="activity_code_unique"),
            models.CheckConstraint(
                condition=Q(min_age__lte=models.F("max_age")), name="activity_age_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Series(models.Model):
    """Reeks: one run of an activity at one place, from a start to an end date."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="series")
    code = models.CharField(_("code"), max_length=50)
    municipality = models.ForeignKey(
        "stemnet.Municipality",
        on_delete=models.PROTECT,
        related_name="series",
        verbose_name=_("gemeente"),
    )
    venue = models.CharField(_("locatie"), max_length=200, blank=True)
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("einddatum"))
    participants = models.ManyToManyField(
        "Participant", related_name="series", blank=True, verbose_name=_("ingeschreven deelnemers")
    )

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = _("reeks")
        verbose_name_plural = _("reeksen")
        constraints = [
            models.UniqueConstraint(fields=["activity", "code"], name="series_code_unique"),
            models.CheckConstraint(
                condition=Q(start_date__lte=models.F("end_date")), name="series_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(start_date__gte=MIN_DATE, end_date__lte=MAX_DATE),
                name="series_dates_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} – {self.code}"


class Session(models.Model):
    """Sessie: one meeting of a series.

    ``counted_minutes`` (minutes outside school hours, at most 8 hours) is computed by
    ``academies.eligibility`` when the session is written and recomputed when the holiday
    calendar changes, so the database can aggregate KIND-uren without Python loops.
    ``eligible_children`` (attending participants aged 5–18 in the session's calendar year)
    is kept by ``academies.kind_hours.refresh_eligible_children`` in the transaction of
    every write that changes it; only ``academies.kind_hours`` reads it.
    ``academy`` and ``municipality`` repeat the series' values for the same reason.
    """

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="sessions")
    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="sessions")
    municipality = models.ForeignKey(
        "stemnet.Municipality", on_delete=models.PROTECT, related_name="sessions"
    )
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("beginuur"))
    end_time = models.TimeField(_("einduur"))
    counted_minutes = models.PositiveIntegerField(_("meetellende minuten"), default=0)
    school_minutes = models.PositiveIntegerField(_("minuten tijdens schooluren"), default=0)
    over_cap_minutes = models.PositiveIntegerField(_("minuten boven 8 uur"), default=0)
    eligible_children = models.PositiveIntegerField(_("meetellende kinderen"), default=0)

    class Meta:
        ordering = ["date", "start_time", "id"]
        verbose_name = _("sessie")
        verbose_name_plural = _("sessies")
        indexes = [
            models.Index(fields=["academy", "date"]),
            models.Index(fields=["date"]),
            # KIND-uren over sessions (academies.kind_hours) read only these columns: on
            # PostgreSQL an index-only scan of the period's days.
            models.Index(
                fields=["date"],
                include=["id", "academy", "municipality", "counted_minutes", "eligible_children"],
                name="session_kind_hours_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "date", "start_time"], name="session_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(start_time__lt=models.F("end_time")), name="session_times_ordered"
            ),
            models.CheckConstraint(
                condition=Q(date__gte=MIN_DATE, date__lte=MAX_DATE),
                name="session_date_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.date} {self.start_time:%H:%M}"


class Participant(models.Model):
    """Deelnemer: a pseudonymous child. No names: the academy's own reference, a birth
    year and optionally a postal code of residence."""

    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="participants")
    ref = models.CharField(_("referentie"), max_length=50)
    birth_year = models.PositiveSmallIntegerField(_("geboortejaar"))
    residence_postal_code = models.CharField(_("postcode woonplaats"), max_length=4, blank=True)

    class Meta:
        ordering = ["ref"]
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")
        constraints = [
            models.UniqueConstraint(fields=["academy", "ref"], name="participant_ref_unique"),
            models.CheckConstraint(
                condition=Q(birth_year__gte=MIN_BIRTH_YEAR, birth_year__lte=MAX_BIRTH_YEAR),
                name="participant_birth_year_range",
            ),
            models.CheckConstraint(
                condition=~Q(ref="") & ~Q(ref__regex=CONTROL_CHARACTERS),
                name="participant_ref_clean",
            ),
        ]

    def __str__(self) -> str:
        return self.ref


class Attendance(models.Model):
    """Aanwezigheid: a participant attended a session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attendances"
    )

    class Meta:
        verbose_name = _("aanwezigheid")
        verbose_name_plural = _("aanwezigheden")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="attendance_unique"),
        ]
        indexes = [models.Index(fields=["participant"])]

    def __str__(self) -> str:
        return f"{self.participant_id} @ {self.session_id}"


class SchoolHoliday(models.Model):
    """Schoolvakantie of vrije dag, kept by staff: no school hours on these days."""

    name = models.CharField(_("naam"), max_length=100)
    start_date = models.DateField(_("van"))
    end_date = models.DateField(_("tot en met"))

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("schoolvakantie")
        verbose_name_plural = _("schoolvakanties")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__lte=models.F("end_date")), name="holiday_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_date} – {self.end_date})"
