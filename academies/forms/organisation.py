"""Forms for the academy profile, invitations and the recognition application."""

from django import forms
from django.utils.translation import gettext_lazy as _
from stdnum import iban as iban_numbers
from stdnum.be import vat
from stdnum.exceptions import ValidationError as NumberError

from stemnet.forms import SafeInputMixin
from stemnet.reference import municipalities_for_postal_code

from ..criteria import age_range_warning
from ..models import Academy, MemberRole, RecognitionApplication, StemDomain


class AcademyForm(SafeInputMixin, forms.ModelForm):
    # Declared here, not generated from the model: people type "BE 0403.170.701", longer
    # than the 10 digits stored, and the model field's length check would reject it first.
    enterprise_number = forms.CharField(
        label=_("Ondernemingsnummer (KBO)"),
        max_length=20,
        help_text=_("10 cijfers, bv. 0403.170.701"),
    )
    stem_domains = forms.MultipleChoiceField(
        label=_("STEM-domeinen"), choices=StemDomain.choices, widget=forms.CheckboxSelectMultiple
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    municipality = forms.ModelChoiceField(
        label=_("Gemeente"),
        queryset=None,
        required=False,
        help_text=_("Enkel nodig als de postcode bij meer dan één gemeente hoort."),
    )

    class Meta:
        model = Academy
        fields = [
            "name",
            "enterprise_number",
            "legal_form",
            "street",
            "postal_code",
            "municipality",
            "email",
            "phone",
            "website",
            "stem_domains",
            "min_age",
            "max_age",
            "iban",
            "public_description",
        ]
        widgets = {"public_description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from stemnet.models import Municipality

        self.fields["municipality"].queryset = Municipality.objects.filter(successor__isnull=True)
        self.fields["iban"].help_text = _(
            "Rekeningnummer voor de uitbetaling, bv. BE71 0961 2345 6769."
        )
        self.fields["max_age"].help_text = _(
            "Alleen kinderen en jongeren van 5 tot en met 18 jaar tellen voor de erkenning en "
            "de KIND-uren; jongere of oudere deelnemers mogen, maar tellen niet mee."
        )

    @property
    def age_warning(self) -> str | None:
        """Not an error: the ages typed (or stored) go beyond the criteria's 5–18."""
        data = getattr(self, "cleaned_data", None)
        if data is not None and "min_age" in data and "max_age" in data:
            return age_range_warning(data["min_age"], data["max_age"])
        return age_range_warning(
            self.initial.get("min_age", self.instance.min_age),
            self.initial.get("max_age", self.instance.max_age),
        )

    def clean_enterprise_number(self):
        value = self.cleaned_data["enterprise_number"]
        try:
            number = vat.validate(value)
        except NumberError as error:
            raise forms.ValidationError(
                _("Dit is geen geldig ondernemingsnummer (10 cijfers, bv. 0403.170.701).")
            ) from error
        clash = Academy.objects.filter(enterprise_number=number).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Er is al een academie met dit ondernemingsnummer."))
        return number

    def clean_iban(self):
        value = self.cleaned_data["iban"]
        if not value:
            return ""
        try:
            return iban_numbers.validate(value)
        except NumberError as error:
            raise forms.ValidationError(
                _("Dit is geen geldig IBAN-rekeningnummer; controleer de cijfers.")
            ) from error

    def clean(self):
        data = super().clean()
        code = (data.get("postal_code") or "").strip()
        if code:
            found = municipalities_for_postal_code(code)
            if not found:
                self.add_error("postal_code", _("Onbekende Belgische postcode."))
            elif len(found) == 1:
                data["municipality"] = found[0]
            elif data.get("municipality") not in found:
                self.add_error(
                    "municipality",
                    _("Kies de gemeente: deze postcode hoort bij %(names)s.")
                    % {"names": ", ".join(m.name for m in found)},
                )
        if data.get("min_age") is not None and data.get("max_age") is not None:
            if data["min_age"] > data["max_age"]:
                self.add_error("max_age", _("De maximumleeftijd ligt onder de minimumleeftijd."))
        return data


class InvitationForm(SafeInputMixin, forms.Form):
    email = forms.EmailField(label=_("E-mailadres van uw collega"))
    role = forms.ChoiceField(label=_("Rol"), choices=MemberRole.choices, initial=MemberRole.MEMBER)


class ApplicationForm(SafeInputMixin, forms.ModelForm):
    attachment = forms.FileField(
        label=_("Bijlage (PDF, PNG of JPEG, hoogstens 5 MB)"),
        required=False,
        help_text=_("Bijvoorbeeld een werkingsverslag of een programma."),
    )

    class Meta:
        model = RecognitionApplication
        fields = [
            "confirms_stem",
            "explains_stem",
            "confirms_outside_school",
            "explains_outside_school",
            "confirms_ages",
            "explains_ages",
            "confirms_flanders",
            "explains_flanders",
            "motivation",
        ]
        labels = {
            "confirms_stem": _("Onze activiteiten gaan over STEM"),
            "confirms_outside_school": _("Onze activiteiten vinden buiten de schooluren plaats"),
            "confirms_ages": _(
                "Onze activiteiten zijn voor kinderen en jongeren van 5 tot 18 jaar"
            ),
            "confirms_flanders": _("We zijn actief in Vlaanderen"),
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in [
                "explains_stem",
                "explains_outside_school",
                "explains_ages",
                "explains_flanders",
            ]
        } | {"motivation": forms.Textarea(attrs={"rows": 5})}

    def clean_attachment(self):
        from ..services.recognition import MAX_ATTACHMENT_BYTES, sniff_content_type

        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("Een bijlage mag hoogstens 5 MB groot zijn."))
        head = upload.read(16)
        upload.seek(0)
        if sniff_content_type(head) is None:
            raise forms.ValidationError(_("Enkel PDF-, PNG- of JPEG-bestanden zijn toegelaten."))
        return upload


class DecisionForm(SafeInputMixin, forms.Form):
    # Set by the button staff press (one per legal action); the service decides legality.
    action = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("Reden of toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    valid_from = forms.DateField(
        label=_("Erkend vanaf"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Erkend tot en met"),
        help_text=_(
            "Bij erkennen: leeg = volgens de termijn (een eerste erkenning is voorlopig en "
            "loopt 1 jaar, daarna 3 jaar). Bij intrekken: de laatste erkende dag (leeg = "
            "vandaag)."
        ),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        from ..workflow import ACTIONS

        data = super().clean()
        if data.get("action") not in ACTIONS:
            raise forms.ValidationError(_("Kies een beslissing."))
        return data


class EndDateForm(SafeInputMixin, forms.Form):
    """Staff move a recognition's end date, with a reason."""

    valid_until = forms.DateField(
        label=_("Nieuwe einddatum (laatste erkende dag)"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(
        label=_("Reden"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
