"""Forms of the award pages: objections, questions and answers, decisions, corrections and
the year budget. They parse; the rules are in ``subsidies.objections``."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from stemnet.forms import SafeInputMixin, parse_dutch_decimal

ATTACHMENT_LABEL = _("Bijlage (PDF, PNG of JPEG, hoogstens 5 MB)")


def _check_upload(upload):
    from academies.services.recognition import MAX_ATTACHMENT_BYTES, sniff_content_type

    if not upload:
        return None
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise forms.ValidationError(_("Een bijlage mag hoogstens 5 MB groot zijn."))
    head = upload.read(16)
    upload.seek(0)
    if sniff_content_type(head) is None:
        raise forms.ValidationError(_("Enkel PDF-, PNG- of JPEG-bestanden zijn toegelaten."))
    return upload


class ObjectionForm(SafeInputMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reden van uw bezwaar"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Leg uit welk bedrag of welke sessies volgens u niet kloppen, en waarom."),
    )
    attachment_1 = forms.FileField(label=ATTACHMENT_LABEL, required=False)
    attachment_2 = forms.FileField(label=_("Tweede bijlage (optioneel)"), required=False)

    def clean_attachment_1(self):
        return _check_upload(self.cleaned_data.get("attachment_1"))

    def clean_attachment_2(self):
        return _check_upload(self.cleaned_data.get("attachment_2"))

    def uploads(self) -> list:
        return [
            f for f in (self.cleaned_data.get(n) for n in ("attachment_1", "attachment_2")) if f
        ]


class MessageForm(SafeInputMixin, forms.Form):
    text = forms.CharField(
        label=_("Bericht"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class DecisionForm(SafeInputMixin, forms.Form):
    motivation = forms.CharField(
        label=_("Motivering van de beslissing"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("De academie leest deze motivering."),
    )


def _cents(value: str, *, allow_negative: bool) -> int:
    try:
        amount = parse_dutch_decimal(value or "")
    except ValueError as error:
        raise forms.ValidationError(_("Geef een bedrag in euro, bv. 125,50 of -40.")) from error
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise forms.ValidationError(_("Geef een bedrag in euro met hoogstens twee decimalen."))
    if abs(amount) >= Decimal("100000000"):
        raise forms.ValidationError(_("Dat bedrag is te groot."))
    if amount < 0 and not allow_negative:
        raise forms.ValidationError(_("Het bedrag kan niet negatief zijn."))
    return int(amount * 100)


class CorrectionForm(SafeInputMixin, forms.Form):
    amount = forms.CharField(
        label=_("Verschil in euro (negatief om terug te vorderen)"),
        max_length=20,
        help_text=_("Bijvoorbeeld 125,50 of -40,00."),
    )
    reason = forms.CharField(
        label=_("Reden van de herziening"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    confirm_reason = forms.CharField(
        label=_("Bevestiging (enkel nodig onder nul of boven het budget)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    confirm = forms.BooleanField(
        label=_("Ik neem deze herziening: ze is definitief en de academie krijgt een brief."),
        required=True,
    )

    def clean_amount(self):
        cents = _cents(self.cleaned_data.get("amount"), allow_negative=True)
        if cents == 0:
            raise forms.ValidationError(
                _("Een herziening verandert het bedrag: geef een verschil.")
            )
        return cents


class YearBudgetForm(SafeInputMixin, forms.Form):
    year = forms.IntegerField(label=_("Jaar"), min_value=2014, max_value=2100)
    budget = forms.CharField(label=_("Budget van het jaar (EUR)"), max_length=20)

    def clean_budget(self):
        return _cents(self.cleaned_data.get("budget"), allow_negative=False)


class ObjectionDaysForm(SafeInputMixin, forms.Form):
    days = forms.IntegerField(
        label=_("Bezwaartermijn (dagen na de brief)"), min_value=0, max_value=365
    )
