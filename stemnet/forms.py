"""Form building blocks shared by every app."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .validation import date_in_range, has_control_characters


def _reject_control_characters(value) -> None:
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(
            _("Dit veld bevat een onzichtbaar controleteken; typ de tekst opnieuw."),
            code="control_character",
        )


def _reject_control_characters_multiline(value) -> None:
    if isinstance(value, str) and has_control_characters(value, multiline=True):
        raise ValidationError(
            _("Dit veld bevat een onzichtbaar controleteken; typ de tekst opnieuw."),
            code="control_character",
        )


def _reject_dates_out_of_range(value) -> None:
    if value is not None and not date_in_range(value):
        raise ValidationError(
            _("Geef een datum tussen 2000 en 2100."),
            code="date_out_of_range",
        )


class SafeInputMixin:
    """Mix into every form of the project (before ``forms.Form``/``forms.ModelForm``):
    every text field refuses control characters (a multi-line text field allows tab and
    line breaks) and every date field refuses dates outside 2000–2100.

    NUL is refused by Django's CharField already; this covers the rest (a vertical tab in
    an academy name broke the payment export for everyone).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators.append(
                    _reject_control_characters_multiline
                    if multiline
                    else _reject_control_characters
                )
            elif isinstance(field, forms.DateField):
                field.validators.append(_reject_dates_out_of_range)
