"""Regional STEM-partnerships ("STEM-partnerschappen"): a lead organisation, its region
(a set of municipalities) and the people who manage it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:detail", args=[self.pk])
