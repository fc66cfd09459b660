from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from subsidies.templatetags.cents import euro

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


@register.simple_tag
def coverage_rows(rows, municipality_base: str, span_code: str):
    """The coverage table's body rows (a page of ``MunicipalityRow``): built here rather
    than in a template loop, which took some ten milliseconds for 50 rows of twelve cells
    with links; every text in it is escaped (``format_html``)."""
    requests_url = reverse("partnerships:requests")
    return mark_safe(  # noqa: S308 (each row is built by format_html)
        "".join(
            _row(r, f"{municipality_base}{r.refnis}/?periode={span_code}", requests_url)
            for r in rows
        )
    )


def _row(r, link: str, requests_url: str) -> str:
    """One municipality: its name (with the white-spot badge), its figures (linking to its
    page when reached), its open requests and its trend."""
    badge = (
        format_html(' <span class="badge warn">{}</span>', _("witte vlek")) if r.white_spot else ""
    )
    kind_hours = floatformat(r.kind_hours, "2g")
    if r.reached:
        figures = [
            (f"{link}#academies-titel", r.academies),
            *((f"{link}#reeksen-titel", n) for n in (r.activities, r.series, r.sessions)),
            (f"{link}#reeksen-titel", kind_hours),
            (f"{link}#reeksen-titel", r.children),
        ]
        reach = format_html_join("", '<td class="num"><a href="{}">{}</a></td>', figures)
    else:
        cells = (0, 0, 0, 0, kind_hours, 0)
        reach = format_html_join("", '<td class="num">{}</td>', ((c,) for c in cells))
    if r.open_requests:
        requests = format_html(
            '<a href="{}?gemeente={}">{}</a>', requests_url, r.refnis, r.open_requests
        )
    else:
        requests = "0"
    return format_html(
        '<tr{} data-refnis="{}"><th scope="row"><a href="{}">{}</a>{}</th><td>{}</td>{}'
        '<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>'
        '<td class="trend-{}">{}</td></tr>',
        mark_safe(' class="white-spot"') if r.white_spot else "",  # noqa: S308 (a constant)
        r.refnis,
        link,
        r.name,
        badge,
        r.province,
        reach,
        r.children_by_residence,
        euro(r.awarded_cents),
        requests,
        r.trend,
        _trend(r),
    )


def _trend(r) -> str:
    """The trend cell's text: against the previous period's KIND-uren."""
    if r.trend == "new":
        return _("nieuw bereikt")
    if r.trend == "lost":
        return _("niet meer bereikt")
    if r.trend in ("up", "down"):
        was = _("was %(h)s") % {"h": floatformat(r.previous_kind_hours, "0g")}
        return ("↑ " if r.trend == "up" else "↓ ") + was
    return "="
