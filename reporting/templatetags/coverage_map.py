from html import escape

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
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
    with links (and f-strings rather than ``format_html``, three times faster); every
    text in it is escaped, numbers are the row's integers."""
    requests_url = escape(reverse("partnerships:requests"))
    return mark_safe(  # noqa: S308 (every text in the rows is escaped)
        "".join(
            _row(r, escape(f"{municipality_base}{r.refnis}/?periode={span_code}"), requests_url)
            for r in rows
        )
    )


def _row(r, link: str, requests_url: str) -> str:
    """One municipality: its name (with the white-spot badge), its figures (linking to its
    page when reached), its open requests and its trend. ``link`` is escaped already."""
    kind_hours = escape(floatformat(r.kind_hours, "2g"))
    if r.reached:
        figures = (r.academies, r.activities, r.series, r.sessions, kind_hours, r.children)
        anchors = ("academies-titel", *["reeksen-titel"] * 5)
        reach = "".join(
            f'<td class="num"><a href="{link}#{anchor}">{value}</a></td>'
            for anchor, value in zip(anchors, figures, strict=True)
        )
    else:
        reach = "".join(f'<td class="num">{v}</td>' for v in (0, 0, 0, 0, kind_hours, 0))
    refnis = escape(r.refnis)
    if r.open_requests:
        requests = f'<a href="{requests_url}?gemeente={refnis}">{r.open_requests}</a>'
    else:
        requests = "0"
    if r.white_spot:
        opening = f'<tr class="white-spot" data-refnis="{refnis}">'
        badge = f' <span class="badge warn">{escape(_("witte vlek"))}</span>'
    else:
        opening, badge = f'<tr data-refnis="{refnis}">', ""
    return (
        f'{opening}<th scope="row"><a href="{link}">{escape(r.name)}</a>{badge}</th>'
        f"<td>{escape(r.province)}</td>{reach}"
        f'<td class="num">{r.children_by_residence}</td>'
        f'<td class="num">{escape(euro(r.awarded_cents))}</td><td class="num">{requests}</td>'
        f'<td class="trend-{escape(r.trend)}">{escape(_trend(r))}</td></tr>'
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
