"""Form fields shared by the register forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..eligibility import END_OF_DAY, clock


class _EndTimeInput(forms.TimeInput):
    # Keep time.max intact in a form's initial value (Django drops microseconds otherwise).
    supports_microseconds = True


class EndTimeField(forms.TimeField):
    """An end time that also accepts 24:00, the end of the day (stored as ``END_OF_DAY``).

    A text input, because a browser's time input stops at 23:59.
    """

    widget = _EndTimeInput(
        format="%H:%M", attrs={"inputmode": "numeric", "placeholder": "UU:MM", "size": 5}
    )
    default_help_text = _("UU:MM; 24:00 is middernacht, het einde van de dag.")

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", self.default_help_text)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str) and value.strip() in ("24:00", "24:00:00", "24.00"):
            return END_OF_DAY
        return super().to_python(value)

    def prepare_value(self, value):
        if value == END_OF_DAY:
            return clock(value)
        return super().prepare_value(value)
