"""Municipal coverage ("gemeentelijke dekking"): per municipality of a region or of all of
Flanders, for a half-year period or a year, what the network reached there — academies,
activities, series, sessions, eligible KIND-uren, unique children by session place and by
residence, the approved awarded amount and the open requests — with the previous period's
KIND-uren for the trend. Reads only, a constant number of queries whatever the size.

KIND-uren and children come from ``academies.kind_hours``; amounts are the approved award
lines (``subsidies``); requests from ``partnerships``.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext_lazy

from academies.kind_hours import (
    as_kind_hours,
    child_minutes_by_municipality,
    children_by_residence_postal_code,
    reach_by_municipality,
    reach_in_municipality,
)
from academies.models import Academy, ReportingPeriod, Series
from partnerships.models import MunicipalRequest
from partnerships.selectors import open_request_counts
from stemnet.models import Municipality, PostalCode
from stemnet.periods import HalfYear
from subsidies.models import AwardLine, Period

from . import figure_cache

# --- What is counted: a half year or a calendar year --------------------------------------


@dataclass(frozen=True)
class Span:
    code: str  # "2016-1" or "2016"
    start: date
    end: date

    @property
    def is_year(self) -> bool:
        return "-" not in self.code

    @property
    def previous(self) -> "Span":
        if self.is_year:
            year = int(self.code) - 1
            return Span(str(year), date(year, 1, 1), date(year, 12, 31))
        half = HalfYear.parse(self.code)
        before = HalfYear(half.year, 1) if half.half == 2 else HalfYear(half.year - 1, 2)
        return span_of(before.code)


def span_of(code: str) -> Span:
    """``2016-1`` (a period) or ``2016`` (a year); ValueError otherwise."""
    code = (code or "").strip()
    if code.isdigit() and len(code) == 4:
        year = int(code)
        return Span(code, date(year, 1, 1), date(year, 12, 31))
    half = HalfYear.parse(code)
    return Span(half.code, half.start, half.end)


def span_choices() -> list[str]:
    """Periods that exist (and their years), newest first; one query."""
    codes = list(ReportingPeriod.objects.order_by("-start_date").values_list("code", flat=True))
    years = sorted({c[:4] for c in codes}, reverse=True)
    return [*years, *codes] if codes else []


def default_span() -> Span:
    """The latest reporting period that has started, else the current half year."""
    today = timezone.localdate()
    code = (
        ReportingPeriod.objects.filter(start_date__lte=today)
        .order_by("-start_date")
        .values_list("code", flat=True)
        .first()
    )
    return span_of(code or HalfYear.containing(today).code)


# --- The table ----------------------------------------------------------------------------


@dataclass
class MunicipalityRow:
    refnis: str
    name: str
    province: str
    academies: int = 0
    activities: int = 0
    series: int = 0
    sessions: int = 0
    child_minutes: int = 0
    children: int = 0
    children_by_residence: int = 0
    awarded_cents: int = 0
    open_requests: int = 0
    previous_child_minutes: int = 0

    @property
    def kind_hours(self) -> Decimal:
        return as_kind_hours(self.child_minutes)

    @property
    def previous_kind_hours(self) -> Decimal:
        return as_kind_hours(self.previous_child_minutes)

    @property
    def reached(self) -> bool:
        return self.child_minutes > 0

    @property
    def white_spot(self) -> bool:
        return not self.reached

    @property
    def trend(self) -> str:
        """new / lost / up / down / same (KIND-uren against the previous period)."""
        now, before = self.child_minutes, self.previous_child_minutes
        if now and not before:
            return "new"
        if before and not now:
            return "lost"
        if now > before:
            return "up"
        if now < before:
            return "down"
        return "same"

    def measure(self, name: str) -> float:
        return {
            "kind_hours": self.child_minutes / 60,
            "children": self.children,
            "awarded": self.awarded_cents / 100,
            "white_spots": 1 if self.reached else 0,
        }[name]


@dataclass
class Coverage:
    span: Span
    rows: list[MunicipalityRow]
    previous_reached: int
    totals: MunicipalityRow = field(default=None)

    @property
    def reached(self) -> int:
        return sum(1 for r in self.rows if r.reached)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def white_spots(self) -> list[MunicipalityRow]:
        return [r for r in self.rows if r.white_spot]

    def by_refnis(self) -> dict[str, MunicipalityRow]:
        return {r.refnis: r for r in self.rows}


def _residence_municipality() -> dict[str, str]:
    """Postal code -> the Flemish municipality it belongs to (the lowest REFNIS code when a
    postal code is shared by several)."""
    result: dict[str, str] = {}
    rows = (
        PostalCode.objects.filter(
            municipality__region="02000", municipality__successor__isnull=True
        )
        .order_by("code", "municipality_id")
        .values_list("code", "municipality_id")
    )
    for code, refnis in rows:
        result.setdefault(code, refnis)
    return result


def approved_amounts(span: Span, refnis=None) -> dict[str, int]:
    """Approved award lines per municipality for the periods inside the span (cents)."""
    runs = Period.objects.filter(
        reporting_period__start_date__gte=span.start,
        reporting_period__end_date__lte=span.end,
        approved_run__isnull=False,
    ).values("approved_run_id")
    qs = AwardLine.objects.filter(award__run_id__in=runs)
    if refnis is not None:
        qs = qs.filter(municipality_id__in=refnis)
    rows = qs.values("municipality_id").annotate(total=Sum("amount_cents")).order_by()
    return {r["municipality_id"]: r["total"] for r in rows}


def attendance_figures(span: Span, refnis=None) -> tuple[dict, dict, dict]:
    """What coverage reads from attendance: reach per municipality (of ``refnis``, or all),
    unique children per postal code of residence, and the previous period's child-minutes
    per municipality."""
    previous = span.previous
    return (
        reach_by_municipality(span.start, span.end, municipality_ids=refnis),
        children_by_residence_postal_code(span.start, span.end),
        child_minutes_by_municipality(previous.start, previous.end),
    )


def coverage(span: Span, refnis=None) -> Coverage:
    """Coverage of the given municipalities (REFNIS codes; None: all of Flanders), kept
    while the data it reads keeps its fingerprint (``figure_cache``): building it costs
    some ten milliseconds even when the attendance scans are cached, on every page view.
    The award lines and requests are in the fingerprint too (their services also write an
    audit row); the municipalities are reference data, seen when the figures expire."""
    if refnis is not None:
        refnis = sorted(set(refnis))

    def fingerprint():
        return (span.code, refnis, figure_cache.data_version(AwardLine, MunicipalRequest))

    return figure_cache.remember("coverage", fingerprint, lambda: _build(span, refnis))


def _build(span: Span, refnis) -> Coverage:
    municipalities = Municipality.objects.flemish().select_related("province").order_by("name")
    if refnis is not None:
        municipalities = municipalities.filter(refnis__in=refnis)
    rows = [
        MunicipalityRow(
            refnis=m.refnis,
            name=m.name,
            province=m.province.name.removeprefix("Provincie ") if m.province else "",
        )
        for m in municipalities
    ]
    by_refnis = {r.refnis: r for r in rows}
    reach_by_code, by_residence, previous_minutes = attendance_figures(span, refnis)
    for code, reach in reach_by_code.items():
        row = by_refnis.get(code)
        if row is not None:
            row.academies, row.activities, row.series = (
                reach.academies,
                reach.activities,
                reach.series,
            )
            row.sessions, row.child_minutes, row.children = (
                reach.sessions,
                reach.child_minutes,
                reach.children,
            )
    residence = _residence_municipality()
    for postal_code, children in by_residence.items():
        row = by_refnis.get(residence.get(postal_code))
        if row is not None:
            row.children_by_residence += children
    for code, cents in approved_amounts(span, refnis).items():
        if code in by_refnis:
            by_refnis[code].awarded_cents = cents
    for code, n in open_request_counts(refnis).items():
        if code in by_refnis:
            by_refnis[code].open_requests = n
    previous_reached = 0
    for code, minutes in previous_minutes.items():
        if code in by_refnis:
            by_refnis[code].previous_child_minutes = minutes
            previous_reached += minutes > 0
    totals = MunicipalityRow(refnis="", name="", province="")
    for name in (
        "sessions",
        "child_minutes",
        "children_by_residence",
        "awarded_cents",
        "open_requests",
        "previous_child_minutes",
    ):
        setattr(totals, name, sum(getattr(r, name) for r in rows))
    return Coverage(span=span, rows=rows, previous_reached=previous_reached, totals=totals)


def sort_rows(rows, key: str):
    keys = {
        "naam": lambda r: r.name,
        "kind_uren": lambda r: (-r.child_minutes, r.name),
        "kinderen": lambda r: (-r.children, r.name),
        "bedrag": lambda r: (-r.awarded_cents, r.name),
        "vragen": lambda r: (-r.open_requests, r.name),
    }
    return sorted(rows, key=keys.get(key, keys["naam"]))


# --- One municipality: its academies and requests -----------------------------------------


@dataclass
class AcademyInMunicipality:
    academy_id: int
    name: str
    sessions: int
    child_minutes: int
    children: int
    awarded_cents: int = 0

    @property
    def kind_hours(self) -> Decimal:
        return as_kind_hours(self.child_minutes)


def academies_in(span: Span, refnis: str) -> list[AcademyInMunicipality]:
    """The academies active in one municipality, with their figures there."""
    reach = reach_in_municipality(span.start, span.end, refnis, per="academy")
    names = dict(Academy.objects.filter(pk__in=reach).values_list("pk", "name"))
    runs = Period.objects.filter(
        reporting_period__start_date__gte=span.start,
        reporting_period__end_date__lte=span.end,
        approved_run__isnull=False,
    ).values("approved_run_id")
    awarded = dict(
        AwardLine.objects.filter(award__run_id__in=runs, municipality_id=refnis)
        .values("award__academy_id")
        .annotate(total=Sum("amount_cents"))
        .order_by()
        .values_list("award__academy_id", "total")
    )
    result = [
        AcademyInMunicipality(
            academy_id=pk,
            name=names.get(pk, ""),
            sessions=r.sessions,
            child_minutes=r.child_minutes,
            children=r.children,
            awarded_cents=awarded.get(pk, 0),
        )
        for pk, r in reach.items()
    ]
    return sorted(result, key=lambda a: (-a.child_minutes, a.name))


@dataclass
class SeriesInMunicipality:
    series_id: int
    code: str
    activity_code: str
    activity_title: str
    academy_name: str
    sessions: int
    child_minutes: int
    children: int

    @property
    def kind_hours(self) -> Decimal:
        return as_kind_hours(self.child_minutes)


def series_in(span: Span, refnis: str) -> list[SeriesInMunicipality]:
    """The series with KIND-uren in one municipality (the list behind its activities,
    series, sessions and KIND-uren), most KIND-uren first."""
    reach = reach_in_municipality(span.start, span.end, refnis, per="series")
    series = Series.objects.filter(pk__in=reach).values_list(
        "pk", "code", "activity__code", "activity__title", "activity__academy__name"
    )
    result = [
        SeriesInMunicipality(
            series_id=pk,
            code=code,
            activity_code=activity_code,
            activity_title=title,
            academy_name=academy,
            sessions=reach[pk].sessions,
            child_minutes=reach[pk].child_minutes,
            children=reach[pk].children,
        )
        for pk, code, activity_code, title, academy in series
    ]
    return sorted(result, key=lambda s: (-s.child_minutes, s.academy_name, s.activity_code, s.code))


def requests_in(refnis: str):
    return (
        MunicipalRequest.objects.filter(municipality_id=refnis)
        .prefetch_related("offers__academy")
        .order_by("-created_at", "-id")
    )


# --- Priority municipalities of a subsidy period -------------------------------------------


def priority_candidates(span: Span, *, requests_since: date) -> dict[str, set[str]]:
    """What staff can mark as a period's priority municipalities in one action: those with
    an open request or one filed since ``requests_since``, and the white spots of ``span``
    (usually the previous period)."""
    from partnerships.selectors import requested_municipalities

    reached = set(child_minutes_by_municipality(span.start, span.end))
    flemish = set(Municipality.objects.flemish().values_list("refnis", flat=True))
    return {
        "requests": requested_municipalities(since=requests_since) & flemish,
        "white_spots": flemish - reached,
    }


# --- The map ------------------------------------------------------------------------------

MEASURES = ("kind_hours", "children", "awarded", "white_spots")


def base_map():
    """Loaded municipal boundaries when there are any, else the canton map (one query)."""
    from django.db.models import Count, Max

    from partnerships.models import MunicipalBoundary

    from . import maps

    state = MunicipalBoundary.objects.aggregate(n=Count("pk"), last=Max("loaded_at"))
    if not state["n"]:
        return maps.canton_map()

    def rows():
        import json

        return [
            (b.municipality_id, json.dumps(b.geometry), b.geographic)
            for b in MunicipalBoundary.objects.order_by("municipality_id")
        ]

    return maps.cached_municipal_map((state["n"], state["last"]), rows)


@dataclass
class MapArea:
    key: str
    d: str
    label: str
    css: str
    value: float
    in_scope: bool
    rows: list
    value_text: str = ""


_UNITS = {
    "kind_hours": pgettext_lazy("unit", "KIND-uren"),
    "children": pgettext_lazy("unit", "kinderen"),
    "white_spots": pgettext_lazy("unit", "witte vlekken"),
}


def format_measure(measure: str, value: float) -> str:
    """A measure's value as the page shows it (Belgian notation, with its unit); called
    for every area of the map, so only its own unit is translated."""
    from django.utils.formats import number_format

    if measure == "awarded":
        return "EUR " + number_format(value, 2, force_grouping=True)
    return f"{number_format(round(value), 0, force_grouping=True)} {_UNITS[measure]}"


def map_areas_for(base, cov: Coverage, measure: str, names: dict[str, str]):
    """The map's areas with their value for the measure (the sum over the area's
    municipalities in scope), their shading class and the legend."""
    from partnerships.geography import canton_names

    from . import maps

    by_refnis = cov.by_refnis()
    cantons = canton_names()
    areas = []
    for s in base.shapes:
        rows = [by_refnis[c] for c in s.refnis if c in by_refnis]
        if base.kind == "cantons":
            unique = list(dict.fromkeys(cantons.get(c, c) for c in s.cantons))
            label = ", ".join(unique)
        else:
            label = names.get(s.key, s.key)
        if measure == "white_spots":
            value = sum(1 for r in rows if r.white_spot)
        else:
            value = sum(r.measure(measure) for r in rows)
        # path data are numbers and M/L/Z written by maps.py: nothing to escape
        d = mark_safe(s.d)  # noqa: S308
        areas.append(MapArea(s.key, d, label, "", value, bool(rows), rows))
    scoped = {a.key: a.value for a in areas if a.in_scope}
    if measure == "white_spots":
        classes = {k: ("ws" if v else "c3") for k, v in scoped.items()}
        legend = []
    else:
        classes, legend = maps.classify(scoped)
    for a in areas:
        a.css = classes.get(a.key, "out") if a.in_scope else "out"
        if a.in_scope:
            a.value_text = format_measure(measure, a.value)
    legend = [
        (item.css, format_measure(measure, item.low), format_measure(measure, item.high))
        for item in legend
    ]
    return areas, legend
