"""Form building blocks shared by every app: safe input (no control characters, sane
dates), Dutch decimal and euro amounts, and a searchable list of checkboxes."""

import html
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.safestring import mark_safe
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


_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")  # 1.000 or 173.120: dots group thousands


def parse_dutch_decimal(text: str) -> Decimal:
    """'173.120,32', '173120,32', '173120.32', '€ 1.000' → Decimal. The last of ',' or '.'
    is the decimal separator when both occur; a lone ',' is decimal; dots that group
    digits by three (1.000) are thousands, as Dutch writes them. Raises ValueError."""
    value = text.strip().replace("€", "").replace("EUR", "").replace(" ", "").replace("\u00a0", "")
    sign = ""
    if value[:1] in ("+", "-"):
        sign, value = value[0], value[1:]
    if "," in value and "." in value:
        decimal = "," if value.rfind(",") > value.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        value = value.replace(thousands, "").replace(decimal, ".")
    elif "," in value:
        if value.count(",") > 1:
            raise ValueError(text)
        value = value.replace(",", ".")
    elif _GROUPED.match(value):
        value = value.replace(".", "")
    if not re.fullmatch(r"\d+(\.\d*)?|\.\d+", value):
        raise ValueError(text)
    try:
        return Decimal(sign + value)
    except InvalidOperation as error:
        raise ValueError(text) from error


def format_dutch_decimal(value, places: int = 2) -> str:
    """Decimal('173120.32') → '173.120,32'."""
    quantized = Decimal(value).quantize(Decimal(1).scaleb(-places))
    sign = "-" if quantized < 0 else ""
    whole, _dot, fraction = f"{abs(quantized):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction}" if places else f"{sign}{grouped}"


class DutchDecimalField(forms.DecimalField):
    """A decimal typed and shown the Dutch way (173.120,32); the English way is accepted
    too (173120.32)."""

    default_error_messages = {
        "invalid": _("Geef een getal op, bv. 173.120,32."),
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_dutch_decimal(str(value))
        except ValueError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error

    def prepare_value(self, value):
        if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
            return format_dutch_decimal(Decimal(str(value)), self.decimal_places or 0)
        return value

    def widget_attrs(self, widget):
        # No step/min/max attributes: they belong to <input type="number">, not to text.
        return {}


class EuroField(DutchDecimalField):
    """An amount in euro with cents: '173.120,32'."""

    default_error_messages = {
        "invalid": _("Geef een bedrag in euro op, bv. 173.120,32."),
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


class SearchableCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes with a search box that narrows them by name (static/js/checkbox-filter.js;
    without JavaScript the whole list shows).

    The list (hundreds of municipalities) is written here, not by Django's per-option
    templates (four template renders per checkbox): the same markup as
    ``django/forms/widgets/multiple_input.html``, character for character (a test)."""

    template_name = "stemnet/widgets/searchable_checkboxes.html"

    def get_context(self, name, value, attrs):
        # Widget's context without ChoiceWidget's optgroups: those are needed only to
        # write the list, and the list is written once for each name, attributes, choices
        # and ticked values (a period page shows the same 285 municipalities every time).
        context = forms.Widget.get_context(self, name, value, attrs)
        widget = context["widget"]
        key = (
            type(self),
            name,
            tuple(sorted((k, repr(v)) for k, v in widget["attrs"].items())),
            _choices_key(self.choices),
            tuple(widget["value"]),
        )
        checkboxes = _checkboxes_written.get(key)
        if checkboxes is None:
            widget["optgroups"] = self.optgroups(name, widget["value"], widget["attrs"])
            checkboxes = _multiple_input_html(widget)
            if len(_checkboxes_written) >= 64:
                _checkboxes_written.clear()
            _checkboxes_written[key] = checkboxes
        widget["checkboxes_html"] = checkboxes
        return context


def _choices_key(choices) -> tuple:
    """The choices as plain strings (lazy labels in the active language), groups too."""
    return tuple(
        (str(value), _choices_key(label) if isinstance(label, list | tuple) else str(label))
        for value, label in choices
    )


#: The lists SearchableCheckboxSelectMultiple wrote, by everything that goes into them
#: (per process, at most 64: one per distinct set of ticked values in use).
_checkboxes_written: dict[tuple, str] = {}


def escape(value) -> str:
    """Django's conditional_escape (the same characters: html.escape), without its lazy
    wrapper: it runs for every attribute of hundreds of checkboxes."""
    if isinstance(value, Promise):
        value = str(value)
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _attrs_html(attrs) -> str:
    """django/forms/widgets/attrs.html"""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _option_html(option) -> str:
    """django/forms/widgets/checkbox_option.html, input_option.html and input.html (each
    file ends with a newline, which is part of the markup)."""
    value = "" if option["value"] is None else f' value="{escape(option["value"])}"'
    tag = (
        f'<input type="{escape(option["type"])}" name="{escape(option["name"])}"{value}'
        f"{_attrs_html(option['attrs'])}>\n"
    )
    if option["wrap_label"]:
        label_id = option["attrs"].get("id")
        label_for = f' for="{escape(label_id)}"' if label_id else ""
        tag = f"<label{label_for}>{tag} {escape(option['label'])}</label>"
    return f"<div>\n    {tag}\n\n</div>"


def _multiple_input_html(widget) -> str:
    """django/forms/widgets/multiple_input.html, every value escaped as the templates do."""
    attrs = widget["attrs"]
    parts = [
        "<div",
        f' id="{escape(attrs["id"])}"' if attrs.get("id") else "",
        f' class="{escape(attrs["class"])}"' if attrs.get("class") else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{escape(group)}</label>")
        parts.extend(_option_html(option) for option in options)
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>\n")
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)
