"""Forms for activities, series, sessions, participants and the register import."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stemnet.forms import SafeInputMixin
from stemnet.reference import (
    is_flemish_postal_code,
    municipalities_for_postal_code,
    municipality_for_refnis,
)

from ..models import Activity, ActivityFormat, StemDomain
from ..validation import participant_problems, series_span_problem
from .fields import EndTimeField

WEEKDAYS = [
    (0, _("maandag")),
    (1, _("dinsdag")),
    (2, _("woensdag")),
    (3, _("donderdag")),
    (4, _("vrijdag")),
    (5, _("zaterdag")),
    (6, _("zondag")),
]


class ActivityForm(SafeInputMixin, forms.ModelForm):
    stem_domains = forms.MultipleChoiceField(
        label=_("STEM-domeinen"),
        choices=StemDomain.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Activity
        fields = [
            "code",
            "title",
            "description",
            "stem_domains",
            "min_age",
            "max_age",
            "format",
            "is_public",
        ]
        widgets = {"format": forms.Select(choices=ActivityFormat.choices)}

    def clean(self):
        data = super().clean()
        if data.get("min_age") and data.get("max_age") and data["min_age"] > data["max_age"]:
            self.add_error("max_age", _("De maximumleeftijd ligt onder de minimumleeftijd."))
        return data


class ActivityEditForm(ActivityForm):
    """The same as a new activity, without the code (register files refer to it)."""

    class Meta(ActivityForm.Meta):
        fields = [f for f in ActivityForm.Meta.fields if f != "code"]


def _place(value: str):
    value = value.strip()
    if len(value) == 5:
        municipality = municipality_for_refnis(value)
        if municipality is None:
            raise forms.ValidationError(_("Onbekende NIS-code."))
        return municipality
    found = municipalities_for_postal_code(value)
    if not found:
        raise forms.ValidationError(_("Onbekende postcode."))
    if len(found) > 1:
        raise forms.ValidationError(
            _("Deze postcode hoort bij meer dan één gemeente; geef de NIS-code: %(codes)s.")
            % {"codes": ", ".join(f"{m.refnis} ({m.name})" for m in found)}
        )
    return found[0]


class SeriesEditForm(SafeInputMixin, forms.Form):
    place = forms.CharField(
        label=_("Postcode of NIS-code van de locatie"),
        max_length=5,
        help_text=_("Bijvoorbeeld 9000 (postcode) of 44021 (NIS-code van Gent)."),
    )
    venue = forms.CharField(label=_("Locatie"), max_length=200, required=False)
    start_date = forms.DateField(
        label=_("Startdatum"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(label=_("Einddatum"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_place(self):
        return _place(self.cleaned_data["place"])

    def clean(self):
        data = super().clean()
        if (
            data.get("start_date")
            and data.get("end_date")
            and data["end_date"] < data["start_date"]
        ):
            self.add_error("end_date", _("De einddatum ligt voor de startdatum."))
        return data


class ParticipantEditForm(SafeInputMixin, forms.Form):
    """A participant's birth year and postal code; the rule is ``academies.validation``'s,
    the same as the register import's."""

    birth_year = forms.IntegerField(label=_("Geboortejaar"))
    residence_postal_code = forms.CharField(
        label=_("Postcode woonplaats (optioneel)"), max_length=4, required=False
    )

    def clean(self):
        data = super().clean()
        if "birth_year" not in data or "residence_postal_code" not in data:
            return data
        for problem in participant_problems(
            ref=data.get("ref") if "ref" in self.fields else None,
            birth_year=data["birth_year"],
            postal_code=data["residence_postal_code"],
            this_year=timezone.localdate().year,
            is_flemish=is_flemish_postal_code,
        ):
            if problem.field in self.fields and problem.field in data:
                self.add_error(problem.field, problem.message)
        return data


class SeriesForm(SafeInputMixin, forms.Form):
    code = forms.CharField(label=_("Code van de reeks"), max_length=50)
    place = forms.CharField(
        label=_("Postcode of NIS-code van de locatie"),
        max_length=5,
        help_text=_("Bijvoorbeeld 9000 (postcode) of 44021 (NIS-code van Gent)."),
    )
    venue = forms.CharField(label=_("Locatie"), max_length=200, required=False)
    start_date = forms.DateField(
        label=_("Startdatum"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(label=_("Einddatum"), widget=forms.DateInput(attrs={"type": "date"}))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Wekelijks op"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kies de dagen: de sessies worden dan voor de hele reeks aangemaakt."),
    )
    start_time = forms.TimeField(
        label=_("Beginuur"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = EndTimeField(label=_("Einduur"), required=False)

    def clean_place(self):
        return _place(self.cleaned_data["place"])

    def clean(self):
        data = super().clean()
        if (
            data.get("start_date")
            and data.get("end_date")
            and data["end_date"] < data["start_date"]
        ):
            self.add_error("end_date", _("De einddatum ligt voor de startdatum."))
        if data.get("weekdays"):
            if not data.get("start_time"):
                self.add_error("start_time", _("Geef een beginuur voor de wekelijkse sessies."))
            if not data.get("end_time"):
                self.add_error("end_time", _("Geef een einduur voor de wekelijkse sessies."))
            if (
                data.get("start_time")
                and data.get("end_time")
                and data["end_time"] <= data["start_time"]
            ):
                self.add_error("end_time", _("Het einduur moet na het beginuur liggen."))
        if data.get("start_date") and data.get("end_date") and "end_date" not in self.errors:
            # The service checks the same rule and counts the sessions exactly.
            problem = series_span_problem(data["start_date"], data["end_date"])
            if problem:
                self.add_error("end_date", problem)
        return data


class SessionForm(SafeInputMixin, forms.Form):
    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Beginuur"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = EndTimeField(label=_("Einduur"))

    def clean(self):
        data = super().clean()
        if (
            data.get("start_time")
            and data.get("end_time")
            and data["end_time"] <= data["start_time"]
        ):
            self.add_error("end_time", _("Het einduur moet na het beginuur liggen."))
        return data


class ParticipantForm(ParticipantEditForm):
    ref = forms.CharField(
        label=_("Referentie"),
        max_length=50,
        help_text=_(
            "Een code die jullie zelf kiezen. Geen namen of e-mailadressen: kinderen "
            "blijven anoniem."
        ),
    )
    field_order = ["ref", "birth_year", "residence_postal_code"]


class CopyParticipantsForm(SafeInputMixin, forms.Form):
    source = forms.ModelChoiceField(label=_("Kopieer de deelnemers van reeks"), queryset=None)

    def __init__(self, *args, series, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = (
            series.__class__.objects.filter(activity__academy_id=series.activity.academy_id)
            .exclude(pk=series.pk)
            .select_related("activity")
        )
        self.fields["source"].label_from_instance = lambda s: f"{s.activity.title} – {s.code}"


class ImportForm(SafeInputMixin, forms.Form):
    file = forms.FileField(
        label=_("Aanwezigheidsregister (CSV of XLSX)"),
        help_text=_(
            "Kolommen: activity_code, activity_title, series_code, session_date, "
            "start_time, end_time, location_nis, participant_ref, birth_year, "
            "residence_postal_code. Vul bij participant_ref nooit een naam of "
            "e-mailadres in: kinderen blijven anoniem."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Kies een CSV- of XLSX-bestand."))
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("Het bestand is groter dan 20 MB."))
        return upload


class SubmitReportForm(SafeInputMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "Alle sessies en aanwezigheden van deze periode zijn geregistreerd. Ik begrijp dat "
            "ik ze na het indienen niet meer kan wijzigen."
        ),
        error_messages={"required": _("Vink aan dat u het rapport wilt indienen.")},
    )


class ActivityFilterForm(SafeInputMixin, forms.Form):
    q = forms.CharField(
        label=_("Zoeken"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("titel of code")}),
    )
    vorm = forms.ChoiceField(
        label=_("Vorm"), required=False, choices=[("", _("alle"))] + ActivityFormat.choices
    )
