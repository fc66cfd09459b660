"""Shared reference data (provinces, municipalities, postal codes) and the audit trail."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

FLEMISH_REGION = "02000"


class Province(models.Model):
    """Provincie, keyed by its REFNIS code."""

    refnis = models.CharField(_("NIS-code"), max_length=5, primary_key=True)
    name = models.CharField(_("naam"), max_length=100)
    region = models.CharField(_("gewest"), max_length=5)

    class Meta:
        ordering = ["name"]
        verbose_name = _("provincie")
        verbose_name_plural = _("provincies")

    def __str__(self) -> str:
        return self.name


class MunicipalityQuerySet(models.QuerySet):
    def flemish(self):
        return self.filter(region=FLEMISH_REGION, successor__isnull=True)


class Municipality(models.Model):
    """Gemeente, keyed by its 5-digit REFNIS (NIS) code.

    A municipality that merged into another keeps its row with ``successor`` set, so old
    codes in imported files still resolve (see ``resolve``).
    """

    refnis = models.CharField(_("NIS-code"), max_length=5, primary_key=True)
    name = models.CharField(_("naam"), max_length=100)
    name_fr = models.CharField(_("naam (Frans)"), max_length=100, blank=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="municipalities"
    )
    region = models.CharField(_("gewest"), max_length=5, db_index=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("opgegaan in"),
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        constraints = [
            models.CheckConstraint(
                condition=Q(refnis__regex=r"^[0-9]{5}$"), name="municipality_refnis_5_digits"
            ),
            models.CheckConstraint(
                condition=~Q(successor=models.F("refnis")), name="municipality_not_own_successor"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_flemish(self) -> bool:
        return self.region == FLEMISH_REGION

    def resolve(self) -> "Municipality":
        """The municipality that exists today: follows mergers to the end of the chain."""
        current, seen = self, set()
        while current.successor_id and current.refnis not in seen:
            seen.add(current.refnis)
            current = current.successor
        return current


class PostalCode(models.Model):
    """Postcode: one code may belong to more than one municipality (and vice versa)."""

    code = models.CharField(_("postcode"), max_length=4, db_index=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="postal_codes"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        constraints = [
            models.UniqueConstraint(fields=["code", "municipality"], name="postal_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.municipality.name}"


class AuditEvent(models.Model):
    """One row per state-changing service call: who did what to which object, and why."""

    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("actie"), max_length=100, db_index=True)
    object_type = models.CharField(_("objecttype"), max_length=100)
    object_id = models.CharField(_("object-id"), max_length=64)
    payload = models.JSONField(_("gegevens"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditregels")
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class MessageKind(models.TextChoices):
    """Soort bericht: what an e-mail is about; preferences are kept per kind."""

    RECOGNITION = "recognition", _("Beslissingen over de erkenning")
    REMINDER = "reminder", _("Herinneringen voor het einde van de erkenning")
    PERIOD = "period", _("Periodes geopend, afgesloten of heropend")
    AWARD_LETTER = "award_letter", _("Toekenningsbrieven")
    PARTNERSHIP = "partnership", _("Vragen en aanbod van partnerschappen")
    INVITATION = "invitation", _("Uitnodigingen")
    DIGEST = "digest", _("Dagelijks overzicht")
    ACCOUNT = "account", _("Account en aanmelden")


class Delivery(models.TextChoices):
    """How a user wants a kind of message: right away, bundled once a day, or not at all."""

    IMMEDIATE = "immediate", _("Meteen")
    DIGEST = "digest", _("In een dagelijks overzicht")
    OFF = "off", _("Niet")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    SENT = "sent", _("Verzonden")
    FAILED = "failed", _("Mislukt")
    WAITING_DIGEST = "waiting_digest", _("Wacht op het dagelijks overzicht")
    IN_DIGEST = "in_digest", _("Verzonden in het dagelijks overzicht")
    OFF = "off", _("Niet verzonden (uitgeschakeld)")


class NotificationPreference(models.Model):
    """Berichtvoorkeur: one row per user and kind that differs from "immediately"."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("soort bericht"), max_length=20, choices=MessageKind.choices)
    delivery = models.CharField(
        _("ontvangen"), max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )

    class Meta:
        verbose_name = _("berichtvoorkeur")
        verbose_name_plural = _("berichtvoorkeuren")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"


class Message(models.Model):
    """Berichtenlog: one row per e-mail the portal sends (or, by preference, does not send):
    to whom, what kind, the text, the page it is about and how delivery went."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages_received",
    )
    to_email = models.EmailField(_("aan"), max_length=254)
    kind = models.CharField(_("soort"), max_length=20, choices=MessageKind.choices, db_index=True)
    subject = models.CharField(_("onderwerp"), max_length=255)
    body = models.TextField(_("tekst"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    object_label = models.CharField(_("over"), max_length=255, blank=True)
    object_type = models.CharField(_("objecttype"), max_length=100, blank=True)
    object_id = models.CharField(_("object-id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MessageStatus.choices,
        default=MessageStatus.QUEUED,
        db_index=True,
    )
    attempts = models.PositiveIntegerField(_("pogingen"), default=0)
    sent_at = models.DateTimeField(_("verzonden"), null=True, blank=True)
    error = models.TextField(_("fout"), blank=True)
    #: For a digest: the day whose messages it carries; for a message: the digest it went in.
    digest_day = models.DateField(_("overzicht van"), null=True, blank=True)
    digest = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        indexes = [models.Index(fields=["user", "-created_at"])]
        constraints = [
            # One digest per user per day, however often the job runs.
            models.UniqueConstraint(
                fields=["user", "digest_day"],
                condition=Q(kind="digest"),
                name="message_one_digest_per_user_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.to_email}: {self.subject}"
