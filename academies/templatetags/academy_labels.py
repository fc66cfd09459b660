"""Template filters that put words on the rules' codes (see academies.labels)."""

from django import template

from ..labels import reason_label as _reason_label

register = template.Library()


@register.filter
def reason_label(reason) -> str:
    return _reason_label(reason)
