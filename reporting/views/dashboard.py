"""Staff dashboard: the network's figures per year or period, trends and breakdowns, and the
drill-down list behind every figure."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.formats import get_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from academies import kind_hours
from stemnet.decorators import staff_required

from .. import charts
from ..dashboard import LIST_FIGURES, ListFilters, Span, cached_dashboard, figure_rows


def _span_label(span: Span) -> str:
    if span.is_year:
        return str(span.year)
    return _("%(year)s, periode %(half)s") % {"year": span.year, "half": span.half}


def _trend_charts(board) -> list[dict]:
    decimal, thousands = get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")
    specs = [
        ("kind_hours", _("KIND-uren per periode")),
        ("children", _("Bereikte kinderen per periode")),
        ("sessions", _("Sessies per periode")),
        ("activities", _("Unieke activiteiten per periode")),
        ("municipalities", _("Bereikte gemeenten per periode")),
        ("recognised_academies", _("Erkende academies per periode")),
    ]
    current = None if board.span.is_year else board.span.code
    result = []
    for key, title in specs:
        points = [(p.code, getattr(p, key)) for p in board.trends]
        description = "; ".join(f"{code}: {value}" for code, value in points)
        svg = charts.bar_chart(
            [(code, float(value)) for code, value in points],
            title=title,
            description=description,
            chart_id=f"trend-{key}",
            decimal=decimal,
            thousands=thousands,
            highlight=current,
        )
        result.append({"key": key, "title": title, "svg": mark_safe(svg), "points": points})  # noqa: S308 (escaped by charts)
    return result


def _province_chart(board):
    decimal, thousands = get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")
    points = [(row.label, row.kind_hours) for row in board.breakdowns.provinces]
    svg = charts.horizontal_bar_chart(
        [(label, float(value)) for label, value in points],
        title=_("KIND-uren per provincie"),
        description="; ".join(f"{label}: {value}" for label, value in points),
        chart_id="province-kind-hours",
        decimal=decimal,
        thousands=thousands,
    )
    return mark_safe(svg)  # noqa: S308 (escaped by charts)


@staff_required
@require_GET
def dashboard_page(request):
    """Figures for a year or a period (``?periode=2016`` or ``2016-1``), with the change
    against the previous one."""
    try:
        board = cached_dashboard(
            request.GET.get("periode"),
            language=get_language(),
            refresh=request.GET.get("vernieuwen") == "1",
        )
    except ValueError:
        raise Http404(_("Onbekende periode.")) from None
    spans = [(s.code, _span_label(s)) for s in board.spans]
    context = {
        "board": board,
        "span_label": _span_label(board.span),
        "previous_label": _span_label(board.span.previous()),
        "spans": spans,
        "trend_charts": _trend_charts(board),
        "province_chart": _province_chart(board),
    }
    return render(request, "reporting/dashboard.html", context)


def _figure_title(figure: str) -> str:
    titles = {
        "academies": _("Erkende academies"),
        "new_academies": _("Nieuw erkende academies"),
        "activities": _("Unieke activiteiten"),
        "series": _("Reeksen"),
        "sessions": _("Sessies"),
        "kind_hours": _("KIND-uren per academie en gemeente"),
        "children": _("Bereikte kinderen"),
        "municipalities": _("Bereikte gemeenten"),
    }
    return titles[figure]


@staff_required
@require_GET
def figure_list(request, figure):
    """The rows a dashboard figure counts, narrowed like the breakdown row that links here."""
    if figure not in LIST_FIGURES:
        raise Http404
    try:
        span = Span.parse(request.GET.get("periode", ""))
    except ValueError:
        return redirect("reporting:dashboard")
    filters = ListFilters.from_query(request.GET)
    page = Paginator(figure_rows(figure, span, filters), 50).get_page(request.GET.get("pagina"))
    query = urlencode({"periode": span.code, **filters.as_query()})
    return render(
        request,
        "reporting/dashboard_list.html",
        {
            "figure": figure,
            "title": _figure_title(figure),
            "span": span,
            "span_label": _span_label(span),
            "filters": filters,
            "page": page,
            "query": query,
            "erased_at": kind_hours.erased_between(span.start, span.end),
        },
    )
