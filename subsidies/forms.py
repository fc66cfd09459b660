"""Staff forms for a period's scheme parameters (also used for the what-if preview)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from stemnet.forms import SafeInputMixin
from stemnet.models import Municipality


class ParametersForm(SafeInputMixin, forms.Form):
    budget_eur = forms.DecimalField(
        label=_("Budget (EUR)"), min_value=0, max_digits=14, decimal_places=2
    )
    rate_cap_eur = forms.DecimalField(
        label=_("Maximum per KIND-uur (EUR, optioneel)"),
        min_value=0,
        max_digits=8,
        decimal_places=2,
        required=False,
    )
    academy_cap_eur = forms.DecimalField(
        label=_("Maximum per academie (EUR, optioneel)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
    )
    min_kind_hours = forms.DecimalField(
        label=_("Minimum KIND-uren"), min_value=0, max_digits=10, decimal_places=2
    )
    priority_refnis = forms.CharField(
        label=_("Prioritaire gemeenten (NIS-codes, gescheiden door komma's)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    priority_weight = forms.DecimalField(
        label=_("Gewicht prioritaire gemeenten"), min_value=1, max_digits=6, decimal_places=2
    )
    spread_bonus_pct = forms.DecimalField(
        label=_("Spreidingsbonus per extra gemeente (%)"),
        min_value=0,
        max_digits=6,
        decimal_places=2,
    )
    spread_cap_pct = forms.DecimalField(
        label=_("Maximale spreidingsbonus (%)"), min_value=0, max_digits=6, decimal_places=2
    )

    @classmethod
    def initial_for(cls, period) -> dict:
        return {
            "budget_eur": Decimal(period.budget_cents) / 100,
            "rate_cap_eur": period.rate_cap_eur,
            "academy_cap_eur": None
            if period.academy_cap_cents is None
            else Decimal(period.academy_cap_cents) / 100,
            "min_kind_hours": period.min_kind_hours,
            "priority_refnis": ", ".join(
                period.priority_municipalities.order_by("refnis").values_list("refnis", flat=True)
            ),
            "priority_weight": period.priority_weight,
            # Four decimals of a fraction are two of a percentage: shown as such, so that
            # the form posts back valid as it is.
            "spread_bonus_pct": (period.spread_bonus * 100).quantize(Decimal("0.01")),
            "spread_cap_pct": (period.spread_cap * 100).quantize(Decimal("0.01")),
        }

    def clean_priority_refnis(self):
        codes = [
            c.strip()
            for c in self.cleaned_data["priority_refnis"].replace(";", ",").split(",")
            if c.strip()
        ]
        found = {m.refnis: m for m in Municipality.objects.flemish().filter(refnis__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError(
                _("Onbekende of niet-Vlaamse NIS-codes: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return list(found.values())

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "budget_cents": int(data["budget_eur"] * 100),
            "rate_cap_eur": data["rate_cap_eur"],
            "academy_cap_cents": None
            if data["academy_cap_eur"] is None
            else int(data["academy_cap_eur"] * 100),
            "min_kind_hours": data["min_kind_hours"],
            "priority_weight": data["priority_weight"],
            "spread_bonus": data["spread_bonus_pct"] / 100,
            "spread_cap": data["spread_cap_pct"] / 100,
        }

    def overrides(self) -> dict:
        return {
            **self.values(),
            "priority": sorted(m.refnis for m in self.cleaned_data["priority_refnis"]),
        }


class ReasonForm(SafeInputMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reden"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
