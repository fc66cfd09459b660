from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def map_areas(areas, query: str, selected=None):
    """The coverage map's areas as SVG: a link per area in scope (to its panel), a grey
    path for the others. One string built here rather than a template loop over some 300
    areas with eight lookups each; every text in it is escaped."""
    query = escape(query)
    chosen = selected.key if selected else None
    parts = []
    for a in areas:
        d = escape(a.d)
        if not a.in_scope:
            parts.append(f'<path d="{d}" class="out"/>')
            continue
        label = escape(f"{a.label}: {a.value_text}")
        css = "area selected" if a.key == chosen else "area"
        parts.append(
            f'<a href="?{query}&amp;gebied={escape(a.key)}#panel" class="{css}" '
            f'aria-label="{label}"><title>{label}</title>'
            f'<path d="{d}" class="{escape(a.css)}"/></a>'
        )
    return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped)
