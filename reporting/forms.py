"""Forms of reporting's own pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stemnet.forms import SafeInputMixin


class RetentionForm(SafeInputMixin, forms.Form):
    years = forms.IntegerField(
        label=_("Bewaartermijn (jaren na de goedkeuring van het tweede halfjaar)"),
        min_value=1,
        max_value=30,
        help_text=_("Richtwaarde: 5 jaar. Kortere termijnen wissen bij de volgende run."),
    )
    reason = forms.CharField(
        label=_("Reden van de wijziging"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld de beslissing of regel waarop de termijn steunt."),
    )
