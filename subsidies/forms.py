"""Staff forms for a period's scheme parameters (also used for the what-if preview)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from stemnet.forms import (
    DutchDecimalField,
    EuroField,
    SafeInputMixin,
    SearchableCheckboxSelectMultiple,
)
from stemnet.models import Municipality


class MunicipalityChoiceField(forms.ModelMultipleChoiceField):
    """Flemish municipalities chosen by name (checkboxes whose values are REFNIS codes);
    codes posted as one comma-separated text still work, blanks are ignored."""

    def label_from_instance(self, obj) -> str:
        return obj.name

    def clean(self, value):
        if isinstance(value, str):
            value = [value]
        codes = [c.strip() for v in value or [] for c in str(v).replace(";", ",").split(",")]
        return super().clean([c for c in codes if c])


class ParametersForm(SafeInputMixin, forms.Form):
    budget_eur = EuroField(label=_("Budget (EUR)"), min_value=0, max_digits=14)
    rate_cap_eur = EuroField(
        label=_("Maximum per KIND-uur (EUR, optioneel)"),
        min_value=0,
        max_digits=8,
        required=False,
    )
    academy_cap_eur = EuroField(
        label=_("Maximum per academie (EUR, optioneel)"),
        min_value=0,
        max_digits=14,
        required=False,
    )
    min_kind_hours = DutchDecimalField(
        label=_("Minimum KIND-uren"), min_value=0, max_digits=10, decimal_places=2
    )
    # The field keeps its name (the views read it); staff choose municipalities by name.
    priority_refnis = MunicipalityChoiceField(
        label=_("Prioritaire gemeenten"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=SearchableCheckboxSelectMultiple,
        help_text=_("Zoek en vink de gemeenten aan die het gewicht hieronder krijgen."),
    )
    priority_weight = DutchDecimalField(
        label=_("Gewicht prioritaire gemeenten"), min_value=1, max_digits=6, decimal_places=2
    )
    spread_bonus_pct = DutchDecimalField(
        label=_("Spreidingsbonus per extra gemeente (%)"),
        min_value=0,
        max_digits=6,
        decimal_places=2,
    )
    spread_cap_pct = DutchDecimalField(
        label=_("Maximale spreidingsbonus (%)"), min_value=0, max_digits=6, decimal_places=2
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["priority_refnis"]
        field.queryset = Municipality.objects.flemish().order_by("name", "refnis")
        # The checkboxes need only code and name (no model instance for each of them);
        # the field still checks what is posted against the queryset.
        # A callable: read when the list is written, not when a posted form is checked.
        field.widget.choices = lambda: field.queryset.values_list("refnis", "name")

    @classmethod
    def initial_for(cls, period) -> dict:
        return {
            "budget_eur": Decimal(period.budget_cents) / 100,
            "rate_cap_eur": period.rate_cap_eur,
            "academy_cap_eur": None
            if period.academy_cap_cents is None
            else Decimal(period.academy_cap_cents) / 100,
            "min_kind_hours": period.min_kind_hours,
            "priority_refnis": list(
                period.priority_municipalities.order_by("refnis").values_list("refnis", flat=True)
            ),
            "priority_weight": period.priority_weight,
            # Four decimals of a fraction are two of a percentage: shown as such, so that
            # the form posts back valid as it is.
            "spread_bonus_pct": (period.spread_bonus * 100).quantize(Decimal("0.01")),
            "spread_cap_pct": (period.spread_cap * 100).quantize(Decimal("0.01")),
        }

    def clean_priority_refnis(self):
        return list(self.cleaned_data["priority_refnis"])

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
