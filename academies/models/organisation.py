"""The academy ("STEM-academie") and who works for it."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class StemDomain(models.TextChoices):
    SCIENCE = "science", _("Wetenschap")
    TECHNOLOGY = "technology", _("Techniek")
    ENGINEERING = "engineering", _("Engineering")
    MATHEMATICS = "mathematics", _("Wiskunde")
    DIGITAL = "digital", _("Programmeren en digitaal")


class LegalForm(models.TextChoices):
    VZW = "vzw", _("Vereniging zonder winstoogmerk (vzw)")
    FV = "fv", _("Feitelijke vereniging")
    BV = "bv", _("Besloten vennootschap (bv)")
    NV = "nv", _("Naamloze vennootschap (nv)")
    PUBLIC = "public", _("Openbaar bestuur")
    EDUCATION = "education", _("Onderwijsinstelling")
    OTHER = "other", _("Andere")


class Academy(models.Model):
    """STEM-academie: an organisation running out-of-school STEM activities for ages 5–18."""

    name = models.CharField(_("naam"), max_length=200)
    enterprise_number = models.CharField(
        _("ondernemingsnummer"),
        max_length=10,
        unique=True,
        help_text=_("KBO-nummer, bv. 0123.456.749"),
    )
    legal_form = models.CharField(_("rechtsvorm"), max_length=20, choices=LegalForm.choices)
    street = models.CharField(_("straat en nummer"), max_length=200)
    postal_code = models.CharField(_("postcode"), max_length=4)
    municipality = models.ForeignKey(
        "stemnet.Municipality",
        on_delete=models.PROTECT,
        related_name="academies",
        verbose_name=_("gemeente"),
    )
    email = models.EmailField(_("e-mailadres"))
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    stem_domains = models.JSONField(_("STEM-domeinen"), default=list, blank=True)
    min_age = models.PositiveSmallIntegerField(_("minimumleeftijd"), default=5)
    max_age = models.PositiveSmallIntegerField(_("maximumleeftijd"), default=18)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    public_description = models.TextField(_("publieke beschrijving"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="academies"
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("STEM-academie")
        verbose_name_plural = _("STEM-academies")
        constraints = [
            models.CheckConstraint(
                condition=Q(enterprise_number__regex=r"^[01][0-9]{9}$"),
                name="academy_enterprise_number_normalised",
            ),
            models.CheckConstraint(
                condition=Q(min_age__lte=models.F("max_age")), name="academy_age_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("academies:detail", args=[self.pk])

    @property
    def enterprise_number_display(self) -> str:
        """The KBO number as people write it: 0403.170.701."""
        n = self.enterprise_number
        return f"{n[:4]}.{n[4:7]}.{n[7:]}"


class MemberRole(models.TextChoices):
    ADMIN = "admin", _("Beheerder")
    MEMBER = "member", _("Lid")


class Membership(models.Model):
    """Lidmaatschap: a user works for an academy, as admin or member."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        _("rol"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    joined_at = models.DateTimeField(_("lid sinds"), auto_now_add=True)

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        constraints = [
            models.UniqueConstraint(fields=["user", "academy"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.academy}"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """Uitnodiging: an academy admin invites a colleague by e-mail."""

    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mailadres"))
    role = models.CharField(
        _("rol"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        constraints = [
            models.UniqueConstraint(
                fields=["academy", "email"],
                condition=Q(accepted_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.academy}"
