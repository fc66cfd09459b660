from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from academies.models import Academy, StemDomain
from stemnet.forms import SafeInputMixin
from stemnet.models import Municipality

from .models import MemberKind, PartnershipMember


class DateInput(forms.DateInput):
    input_type = "date"


class PartnershipForm(SafeInputMixin, forms.Form):
    """Staff create or edit a partnership: its data, region and leads."""

    name = forms.CharField(label=_("Naam"), max_length=200)
    lead_academy = forms.ModelChoiceField(
        label=_("Lead-organisatie"),
        queryset=Academy.objects.filter(recognitions__isnull=False).distinct().order_by("name"),
        required=False,
    )
    starts_on = forms.DateField(label=_("Start project"), widget=DateInput, required=False)
    ends_on = forms.DateField(label=_("Einde project"), widget=DateInput, required=False)
    grant_eur = forms.DecimalField(
        label=_("Subsidiebedrag (EUR)"),
        min_value=Decimal(0),
        max_value=Decimal(200_000),
        decimal_places=2,
        initial=0,
        help_text=_("Hoogstens 200.000 euro; 0 voor een partnerschap zonder subsidie."),
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Regio (gemeenten)"),
        queryset=Municipality.objects.flemish().order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("Houd Ctrl (of Cmd) ingedrukt om meer gemeenten te kiezen."),
    )
    lead_emails = forms.CharField(
        label=_("Verantwoordelijken toevoegen (e-mailadressen)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Eén e-mailadres per regel; de persoon heeft al een account."),
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Het project eindigt na de start."))
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "lead_academy": data["lead_academy"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "grant_cents": int(data["grant_eur"] * 100),
        }

    def emails(self) -> list[str]:
        return [e.strip() for e in self.cleaned_data["lead_emails"].splitlines() if e.strip()]

    @classmethod
    def initial_for(cls, p) -> dict:
        return {
            "name": p.name,
            "lead_academy": p.lead_academy_id,
            "starts_on": p.starts_on,
            "ends_on": p.ends_on,
            "grant_eur": Decimal(p.grant_cents) / 100,
            "municipalities": list(p.municipalities.values_list("refnis", flat=True)),
        }


class MemberForm(SafeInputMixin, forms.ModelForm):
    municipality = forms.ModelChoiceField(
        label=_("Gemeente (voor een lokaal bestuur)"),
        queryset=Municipality.objects.flemish().order_by("name"),
        required=False,
    )

    class Meta:
        model = PartnershipMember
        fields = ["kind", "organisation", "municipality", "contact_name", "contact_email"]

    def clean(self):
        data = super().clean()
        if data.get("kind") == MemberKind.LOCAL_GOVERNMENT and not data.get("municipality"):
            self.add_error("municipality", _("Kies de gemeente van het lokaal bestuur."))
        return data


class BudgetForm(SafeInputMixin, forms.Form):
    academy = forms.ModelChoiceField(label=_("Academie"), queryset=Academy.objects.order_by("name"))


class RequestForm(SafeInputMixin, forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Gemeente"), queryset=Municipality.objects.flemish().order_by("name")
    )
    stem_domain = forms.ChoiceField(label=_("STEM-domein"), choices=StemDomain.choices)
    min_age = forms.IntegerField(label=_("Vanaf leeftijd"), min_value=5, max_value=18, initial=8)
    max_age = forms.IntegerField(label=_("Tot leeftijd"), min_value=5, max_value=18, initial=12)
    period_code = forms.RegexField(
        label=_("Periode"),
        regex=r"^\d{4}-[12]$",
        help_text=_("Halfjaar: JJJJ-1 (januari–juni) of JJJJ-2 (juli–december)."),
        error_messages={"invalid": _("Geef de periode als JJJJ-1 of JJJJ-2.")},
    )
    place = forms.CharField(label=_("Plaats"), max_length=200)
    description = forms.CharField(label=_("Beschrijving"), widget=forms.Textarea)

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipalities is not None:
            self.fields["municipality"].queryset = Municipality.objects.filter(
                refnis__in=municipalities
            ).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("min_age") and data.get("max_age") and data["min_age"] > data["max_age"]:
            self.add_error("max_age", _("De maximumleeftijd is minstens de minimumleeftijd."))
        return data


class OfferForm(SafeInputMixin, forms.Form):
    academy = forms.ModelChoiceField(label=_("Academie"), queryset=Academy.objects.none())
    message = forms.CharField(
        label=_("Uw voorstel"),
        widget=forms.Textarea,
        help_text=_("Wat, wanneer en waar: bv. een reeks van zes woensdagnamiddagen."),
    )

    def __init__(self, *args, academy_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academy"].queryset = Academy.objects.filter(pk__in=academy_ids).order_by(
            "name"
        )
        if len(academy_ids) == 1:
            self.fields["academy"].initial = next(iter(academy_ids))
