"""Coverage pages: a partnership's region (its leads, staff) and all of Flanders (staff),
per period or year, as a map, a table and exports; one municipality's academies and
requests; staff mark priority municipalities of a subsidy period."""

import csv
import io

import tablib
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET
from import_export.formats.base_formats import XLSX

from partnerships.permissions import can_view_coverage
from partnerships.selectors import partnerships_for_user, region_refnis
from stemnet.decorators import staff_required
from subsidies import services as subsidy_services
from subsidies.models import Period

from .. import coverage as cov

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell that a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _span(request):
    code = request.GET.get("periode", "")
    if not code:
        return cov.default_span()
    try:
        return cov.span_of(code)
    except ValueError as error:
        raise Http404 from error


def _measure(request) -> str:
    measure = request.GET.get("maat", "kind_hours")
    return measure if measure in cov.MEASURES else "kind_hours"


def _region(request, pk):
    partnership = get_object_or_404(partnerships_for_user(request.user), pk=pk)
    allowed, reason = can_view_coverage(request.user, partnership)
    if not allowed:
        raise PermissionDenied(reason)
    return partnership


def _measure_labels():
    return {
        "kind_hours": _("KIND-uren"),
        "children": _("Kinderen"),
        "awarded": _("Toegekend bedrag (EUR)"),
        "white_spots": _("Witte vlekken"),
    }


def _page(request, *, coverage, scope_label, base_url, partnership=None):
    measure = _measure(request)
    base = cov.base_map()
    names = {r.refnis: r.name for r in coverage.rows}
    areas, legend = cov.map_areas_for(base, coverage, measure, names)
    scoped_shapes = [s for s, a in zip(base.shapes, areas, strict=True) if a.in_scope]
    viewbox = base.viewbox if partnership is None else base.viewbox_around(scoped_shapes)
    selected = next((a for a in areas if a.key == request.GET.get("gebied") and a.in_scope), None)
    keep = {"periode": coverage.span.code, "maat": measure}
    province, show = request.GET.get("provincie", ""), request.GET.get("toon", "")
    sort = request.GET.get("sorteer", "naam")
    rows = [
        r
        for r in cov.sort_rows(coverage.rows, sort)
        if (not province or r.province == province)
        and (show != "witte_vlekken" or r.white_spot)
        and (show != "vragen" or r.open_requests)
    ]
    table_query = urlencode({**keep, "provincie": province, "toon": show})
    return render(
        request,
        "reporting/coverage/page.html",
        {
            "coverage": coverage,
            "rows": rows,
            # the table shows 50 municipalities a page (all of Flanders: 285 rows)
            "page": Paginator(rows, 50).get_page(request.GET.get("pagina")),
            "page_query": urlencode({**keep, "provincie": province, "toon": show, "sorteer": sort}),
            "provinces": sorted({r.province for r in coverage.rows if r.province}),
            "province": province,
            "show": show,
            "table_query": table_query,
            "scope_label": scope_label,
            "partnership": partnership,
            "span_choices": cov.span_choices(),
            "measure": measure,
            "measures": _measure_labels(),
            "measure_label": _measure_labels()[measure],
            "query": urlencode(keep),
            "period_query": urlencode({"maat": measure}),
            "measure_query": urlencode({"periode": coverage.span.code}),
            "base_url": base_url,
            "municipality_base": f"{base_url}gemeente/",
            "map": base,
            # path data are numbers and M/L/Z written by maps.py: nothing to escape
            "inner_lines": mark_safe(base.inner_lines),  # noqa: S308
            "province_lines": mark_safe(base.province_lines),  # noqa: S308
            "viewbox": viewbox,
            "areas": areas,
            "legend": legend,
            "selected": selected,
            "export_csv": f"{base_url}export.csv?{urlencode({'periode': coverage.span.code})}",
            "export_xlsx": f"{base_url}export.xlsx?{urlencode({'periode': coverage.span.code})}",
        },
    )


@require_GET
@staff_required
def flanders(request):
    coverage = cov.coverage(_span(request))
    return _page(
        request,
        coverage=coverage,
        scope_label=_("Vlaanderen"),
        base_url=reverse("reporting:coverage_flanders"),
    )


@require_GET
@login_required
def region(request, pk):
    partnership = _region(request, pk)
    coverage = cov.coverage(_span(request), region_refnis(partnership))
    return _page(
        request,
        coverage=coverage,
        scope_label=partnership.name,
        base_url=reverse("reporting:coverage_region", args=[pk]),
        partnership=partnership,
    )


def _municipality_page(request, *, span, row, back_url, partnership=None):
    return render(
        request,
        "reporting/coverage/municipality.html",
        {
            "span": span,
            "row": row,
            "academies": cov.academies_in(span, row.refnis),
            "series_page": Paginator(cov.series_in(span, row.refnis), 50).get_page(
                request.GET.get("pagina")
            ),
            "requests": cov.requests_in(row.refnis),
            "back_url": back_url,
            "partnership": partnership,
            "query": urlencode({"periode": span.code}),
        },
    )


@require_GET
@staff_required
def flanders_municipality(request, refnis):
    span = _span(request)
    row = cov.coverage(span, [refnis]).by_refnis().get(refnis)
    if row is None:
        raise Http404
    back = f"{reverse('reporting:coverage_flanders')}?{urlencode({'periode': span.code})}"
    return _municipality_page(request, span=span, row=row, back_url=back)


@require_GET
@login_required
def region_municipality(request, pk, refnis):
    partnership = _region(request, pk)
    if refnis not in region_refnis(partnership):
        raise Http404
    span = _span(request)
    row = cov.coverage(span, [refnis]).by_refnis().get(refnis)
    if row is None:
        raise Http404
    back = f"{reverse('reporting:coverage_region', args=[pk])}?{urlencode({'periode': span.code})}"
    return _municipality_page(request, span=span, row=row, back_url=back, partnership=partnership)


# --- Exports ------------------------------------------------------------------------------

EXPORT_HEADER = [
    "nis_code",
    "gemeente",
    "provincie",
    "academies",
    "activiteiten",
    "reeksen",
    "sessies",
    "kind_uren",
    "kinderen_sessieplaats",
    "kinderen_woonplaats",
    "toegekend_eur",
    "open_vragen",
    "kind_uren_vorige_periode",
    "witte_vlek",
]


def _export_rows(coverage):
    for r in coverage.rows:
        yield [
            neutralise(v)
            for v in (
                r.refnis,
                r.name,
                r.province,
                r.academies,
                r.activities,
                r.series,
                r.sessions,
                str(r.kind_hours),
                r.children,
                r.children_by_residence,
                f"{r.awarded_cents // 100}.{r.awarded_cents % 100:02d}",
                r.open_requests,
                str(r.previous_kind_hours),
                "ja" if r.white_spot else "nee",
            )
        ]


def _export(coverage, fmt, name):
    if fmt == "xlsx":
        dataset = tablib.Dataset(*_export_rows(coverage), headers=EXPORT_HEADER)
        content = XLSX().export_data(dataset)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(EXPORT_HEADER)
        writer.writerows(_export_rows(coverage))
        content, content_type = out.getvalue().encode("utf-8"), "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="dekking-{name}-{coverage.span.code}.{fmt}"'
    )
    return response


@require_GET
@staff_required
def flanders_export(request, fmt):
    return _export(cov.coverage(_span(request)), fmt, "vlaanderen")


@require_GET
@login_required
def region_export(request, pk, fmt):
    partnership = _region(request, pk)
    return _export(
        cov.coverage(_span(request), region_refnis(partnership)), fmt, f"partnerschap-{pk}"
    )


# --- Priority municipalities of a subsidy period ------------------------------------------


@staff_required
def priorities(request):
    """Staff mark the municipalities with open or recent requests, or the white spots of
    the previous period, as priority municipalities of a period in one action."""
    from datetime import timedelta

    from django.utils import timezone

    periods = [
        p
        for p in Period.objects.select_related("reporting_period").order_by(
            "-reporting_period__start_date"
        )
        if not p.is_frozen
    ]
    if not periods:
        return render(request, "reporting/coverage/priorities.html", {"periods": []})
    chosen = next(
        (p for p in periods if p.code == request.POST.get("periode", request.GET.get("periode"))),
        periods[0],
    )
    previous = cov.span_of(chosen.code).previous
    since = timezone.localdate() - timedelta(days=183)
    candidates = cov.priority_candidates(previous, requests_since=since)
    source = request.POST.get("bron", "requests")
    if request.method == "POST":
        if source not in candidates:
            raise Http404
        selected = set(request.POST.getlist("gemeente")) & candidates[source]
        if not selected:
            messages.error(request, _("Kies minstens één gemeente."))
        else:
            try:
                n = subsidy_services.add_priority_municipalities(
                    actor=request.user, period=chosen, refnis=selected, source=source
                )
            except subsidy_services.SubsidyError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(n)s gemeente is nu prioritair in periode %(code)s.",
                        "%(n)s gemeenten zijn nu prioritair in periode %(code)s.",
                        n,
                    )
                    % {"n": n, "code": chosen.code},
                )
                return redirect(f"{reverse('reporting:coverage_priorities')}?periode={chosen.code}")
    from stemnet.models import Municipality

    current = set(chosen.priority_municipalities.values_list("refnis", flat=True))
    names = dict(Municipality.objects.flemish().values_list("refnis", "name"))

    def listing(codes):
        return sorted(
            ({"refnis": c, "name": names.get(c, c), "already": c in current} for c in codes),
            key=lambda m: m["name"],
        )

    return render(
        request,
        "reporting/coverage/priorities.html",
        {
            "periods": periods,
            "period": chosen,
            "previous": previous,
            "since": since,
            "requested": listing(candidates["requests"]),
            "white_spots": listing(candidates["white_spots"]),
            "current_count": len(current),
        },
    )
