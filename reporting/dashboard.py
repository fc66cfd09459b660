"""Staff dashboard: the network's figures for a year or a half-year period, the change against
the previous one, trends over every period, and breakdowns.

Selectors only: one aggregate query per figure (trends: one per figure over all periods), so
the page costs the same number of queries whatever the size of the network. KIND-uren and
unique children come from ``academies.kind_hours`` only. An activity without STEM domains of
its own is counted under its academy's domains.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Case, Count, IntegerField, Max, Min, Q, Sum, TextField, Value, When
from django.db.models.functions import Cast, ExtractYear
from django.utils import timezone

from academies import kind_hours
from academies.models import (
    Academy,
    ActivityFormat,
    Recognition,
    Session,
    StemDomain,
)
from academies.selectors.network import offer_between, recognised_academies_between
from stemnet.models import Municipality, Province
from stemnet.periods import HalfYear
from subsidies.models import Period

from . import figure_cache


@dataclass(frozen=True)
class Span:
    """A calendar year ("2016") or a half-year period ("2016-1")."""

    code: str
    start: date
    end: date

    @classmethod
    def parse(cls, code: str) -> "Span":
        code = (code or "").strip()
        if len(code) == 4 and code.isdigit():
            year = int(code)
            return cls(code, date(year, 1, 1), date(year, 12, 31))
        half = HalfYear.parse(code)  # ValueError for anything else
        return cls(half.code, half.start, half.end)

    @property
    def is_year(self) -> bool:
        return len(self.code) == 4

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def half(self) -> int | None:
        return None if self.is_year else (1 if self.start.month == 1 else 2)

    @property
    def period_codes(self) -> list[str]:
        """The half-year periods the span covers."""
        return [f"{self.year}-1", f"{self.year}-2"] if self.is_year else [self.code]

    def previous(self) -> "Span":
        if self.is_year:
            return Span.parse(str(self.year - 1))
        if self.half == 2:
            return Span.parse(f"{self.year}-1")
        return Span.parse(f"{self.year - 1}-2")


@dataclass(frozen=True)
class Figures:
    """The published figures of the network for one span (amounts in cents, time in
    child-minutes; ``None`` where no subsidy period exists)."""

    span: Span
    recognised_academies: int
    new_academies: int
    activities: int
    series: int
    sessions: int
    child_minutes: int
    children: int
    municipalities: int
    flemish_municipalities: int
    budget_cents: int | None
    awarded_cents: int | None

    @property
    def kind_hours(self) -> int:
        return kind_hours.as_kind_hours(self.child_minutes)

    @property
    def unspent_cents(self) -> int | None:
        if self.budget_cents is None or self.awarded_cents is None:
            return None
        return self.budget_cents - self.awarded_cents


# --- One aggregate per figure ----------------------------------------------------------------


def _recognised_in(span: Span):
    return Recognition.objects.filter(kind_hours.valid_during(span.start, span.end))


def recognised_academies(span: Span) -> int:
    """Academies with a recognition valid on at least one day of the span."""
    return recognised_academies_between(span.start, span.end)


def new_academies_queryset(span: Span):
    """Academies whose first recognition starts in the span."""
    firsts = (
        Recognition.objects.values("academy")
        .annotate(first=Min("valid_from"))
        .filter(first__gte=span.start, first__lte=span.end)
        .values("academy")
    )
    return Academy.objects.filter(pk__in=firsts)


def new_academies(span: Span) -> int:
    return new_academies_queryset(span).count()


def sessions_in(span: Span):
    return Session.objects.filter(date__gte=span.start, date__lte=span.end)


def activities(span: Span) -> int:
    """Unique activities with at least one session in the span."""
    return sessions_in(span).aggregate(n=Count("series__activity", distinct=True))["n"]


def series(span: Span) -> int:
    """Series ("reeksen") with at least one session in the span."""
    return sessions_in(span).aggregate(n=Count("series", distinct=True))["n"]


def sessions(span: Span) -> int:
    return sessions_in(span).count()


def flemish_municipalities() -> int:
    return Municipality.objects.flemish().count()


def budget(span: Span) -> tuple[int | None, int | None]:
    """(budget, awarded) in cents over the span's subsidy periods; awarded counts approved
    runs only. ``None`` when no subsidy period exists for the span."""
    row = Period.objects.filter(reporting_period__code__in=span.period_codes).aggregate(
        periods=Count("id"),
        budget=Sum("budget_cents"),
        awarded=Sum("approved_run__total_cents"),
        approved=Count("approved_run"),
    )
    if not row["periods"]:
        return None, None
    return row["budget"] or 0, (row["awarded"] or 0) if row["approved"] else None


def figures(span: Span) -> Figures:
    eligible = kind_hours.network_totals(span.start, span.end)
    budget_cents, awarded_cents = budget(span)
    offer = offer_between(span.start, span.end)
    return Figures(
        span=span,
        recognised_academies=recognised_academies(span),
        new_academies=new_academies(span),
        activities=offer["activities"],
        series=offer["series"],
        sessions=offer["sessions"],
        child_minutes=eligible.child_minutes,
        children=eligible.children,
        municipalities=eligible.municipalities,
        flemish_municipalities=flemish_municipalities(),
        budget_cents=budget_cents,
        awarded_cents=awarded_cents,
    )


@dataclass(frozen=True)
class Change:
    """One figure now, in the previous span, and the change in percent (None from zero)."""

    now: int | None
    before: int | None

    @property
    def difference(self) -> int | None:
        if self.now is None or self.before is None:
            return None
        return self.now - self.before

    @property
    def percent(self) -> float | None:
        if self.difference is None or not self.before:
            return None
        return round(100 * float(self.difference) / float(self.before), 1)

    @property
    def direction(self) -> str:
        d = self.difference
        return "none" if d is None else "up" if d > 0 else "down" if d < 0 else "same"


FIGURE_NAMES = (
    "recognised_academies",
    "new_academies",
    "activities",
    "series",
    "sessions",
    "kind_hours",
    "children",
    "municipalities",
    "budget_cents",
    "awarded_cents",
    "unspent_cents",
)


def changes(now: Figures, before: Figures) -> dict[str, Change]:
    return {name: Change(getattr(now, name), getattr(before, name)) for name in FIGURE_NAMES}


# --- Trends over every period ----------------------------------------------------------------


@dataclass
class TrendPoint:
    code: str
    recognised_academies: int = 0
    activities: int = 0
    series: int = 0
    sessions: int = 0
    child_minutes: int = 0
    children: int = 0
    municipalities: int = 0
    awarded_cents: int | None = None

    @property
    def kind_hours(self) -> int:
        return kind_hours.as_kind_hours(self.child_minutes)


def data_bounds() -> tuple[date, date] | None:
    row = Session.objects.aggregate(first=Min("date"), last=Max("date"))
    return (row["first"], row["last"]) if row["first"] else None


def all_periods(bounds) -> list[HalfYear]:
    """Every half-year period from the first to the last session, oldest first."""
    if bounds is None:
        return []
    current, last = HalfYear.containing(bounds[0]), HalfYear.containing(bounds[1])
    result = []
    while current <= last:
        result.append(current)
        current = HalfYear(current.year, 2) if current.half == 1 else HalfYear(current.year + 1, 1)
    return result


def _half_expression():
    return Case(
        When(date__month__lte=6, then=Value(1)), default=Value(2), output_field=IntegerField()
    )


def trends(bounds) -> list[TrendPoint]:
    """The figures of every period, oldest first, in a fixed number of queries."""
    periods = all_periods(bounds)
    if not periods:
        return []
    start, end = periods[0].start, periods[-1].end
    points = {p.code: TrendPoint(p.code) for p in periods}
    rows = (
        Session.objects.filter(date__gte=start, date__lte=end)
        .annotate(year=ExtractYear("date"), half=_half_expression())
        .values("year", "half")
        .annotate(
            n_sessions=Count("id"),
            n_series=Count("series", distinct=True),
            n_activities=Count("series__activity", distinct=True),
        )
        .order_by("year", "half")
    )
    for r in rows:
        point = points[f"{r['year']}-{r['half']}"]
        point.sessions, point.series = r["n_sessions"], r["n_series"]
        point.activities = r["n_activities"]
    for code, totals in kind_hours.eligible_totals_by_period(start, end).items():
        point = points[code]
        point.child_minutes = totals.child_minutes
        point.children = totals.children
        point.municipalities = totals.municipalities
    recognised = Recognition.objects.aggregate(
        **{
            f"p{i}": Count("academy", distinct=True, filter=kind_hours.valid_during(p.start, p.end))
            for i, p in enumerate(periods)
        }
    )
    for i, p in enumerate(periods):
        points[p.code].recognised_academies = recognised[f"p{i}"]
    for code, awarded in Period.objects.filter(
        reporting_period__code__in=list(points), approved_run__isnull=False
    ).values_list("reporting_period__code", "approved_run__total_cents"):
        points[code].awarded_cents = awarded
    return list(points.values())


# --- Breakdowns ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BreakdownRow:
    key: str
    label: str
    child_minutes: int
    children: int | None  # None where unique children cannot be split (STEM domains)
    sessions: int
    municipalities: int | None = None
    of_municipalities: int | None = None

    @property
    def kind_hours(self) -> int:
        return kind_hours.as_kind_hours(self.child_minutes)


@dataclass
class Breakdowns:
    provinces: list[BreakdownRow] = field(default_factory=list)
    age_groups: list[BreakdownRow] = field(default_factory=list)
    priority_age_group: BreakdownRow | None = None
    domains: list[BreakdownRow] = field(default_factory=list)
    formats: list[BreakdownRow] = field(default_factory=list)


PROVINCE_FIELD = "session__municipality__province_id"
FORMAT_FIELD = "session__series__activity__format"


def breakdowns(span: Span) -> Breakdowns:
    result = Breakdowns()
    by_province = kind_hours.eligible_totals_by(span.start, span.end, PROVINCE_FIELD)
    provinces = Province.objects.filter(region="02000").annotate(
        flemish=Count("municipalities", filter=Q(municipalities__successor__isnull=True))
    )
    zero = kind_hours.EligibleTotals(0, 0, 0, 0)
    for province in provinces:
        t = by_province.get(province.refnis, zero)
        result.provinces.append(
            BreakdownRow(
                province.refnis,
                province.name,
                t.child_minutes,
                t.children,
                t.sessions,
                t.municipalities,
                province.flemish,
            )
        )
    ages = kind_hours.eligible_totals_by_age_group(span.start, span.end)
    for code, _low, _high in kind_hours.AGE_GROUPS:
        t = ages[code]
        result.age_groups.append(
            BreakdownRow(code, code.replace("-", "–"), t.child_minutes, t.children, t.sessions)
        )
    p = ages[kind_hours.PRIORITY_AGE_GROUP[0]]
    result.priority_age_group = BreakdownRow(
        kind_hours.PRIORITY_AGE_GROUP[0], "8–14", p.child_minutes, p.children, p.sessions
    )
    result.domains = _domains(span)
    by_format = kind_hours.eligible_totals_by(span.start, span.end, FORMAT_FIELD)
    for value, label in ActivityFormat.choices:
        t = by_format.get(value, zero)
        result.formats.append(
            BreakdownRow(value, str(label), t.child_minutes, t.children, t.sessions)
        )
    return result


def effective_domains(activity_domains, academy_domains) -> list[str]:
    """The STEM domains an activity counts under: its own, else its academy's."""
    return list(activity_domains or academy_domains or [])


def _domains(span: Span) -> list[BreakdownRow]:
    """KIND-uren and sessions per STEM domain: one query grouped by the (few) combinations
    of domains, split here. A session counts under each of its domains, so domains do not
    add up to the total; unique children cannot be split this way and are left out."""
    minutes, counted = defaultdict(int), defaultdict(int)
    rows = kind_hours.child_minutes_and_sessions_by(
        span.start, span.end, "series__activity__stem_domains", "academy__stem_domains"
    )
    for r in rows:
        own = r["series__activity__stem_domains"]
        for domain in effective_domains(own, r["academy__stem_domains"]):
            minutes[domain] += r["child_minutes"] or 0
            counted[domain] += r["sessions"]
    return [
        BreakdownRow(value, str(label), minutes[value], None, counted[value])
        for value, label in StemDomain.choices
    ]


# --- What the page needs ----------------------------------------------------------------------


def available_spans(bounds) -> list[Span]:
    """Newest first: each year followed by its two periods."""
    spans = []
    if bounds is None:
        return spans
    for year in range(bounds[1].year, bounds[0].year - 1, -1):
        spans += [Span.parse(str(year)), Span.parse(f"{year}-1"), Span.parse(f"{year}-2")]
    return spans


@dataclass
class Dashboard:
    computed_at: datetime
    span: Span
    figures: Figures
    previous: Figures
    changes: dict
    trends: list
    breakdowns: Breakdowns
    spans: list


def cached_dashboard(code: str | None, *, language: str, refresh: bool = False) -> Dashboard:
    """:func:`dashboard`, kept for ``DASHBOARD_CACHE_SECONDS`` (and while the data's
    fingerprint stays the same): the breakdowns scan every eligible attendance row."""
    if code:
        Span.parse(code)  # a ValueError before anything is looked up
    return figure_cache.remember(
        "dashboard",
        lambda: (code or "", language, figure_cache.data_version()),
        lambda: dashboard(code),
        refresh=refresh,
    )


def dashboard(code: str | None) -> Dashboard:
    """Everything the dashboard shows for ``code`` (a year or a period; default: the latest
    year with sessions). Raises ValueError for a malformed code."""
    bounds = data_bounds()
    spans = available_spans(bounds)
    if code:
        span = Span.parse(code)
    elif bounds:
        span = Span.parse(str(bounds[1].year))
    else:
        span = Span.parse(str(date.today().year))  # noqa: DTZ011 (a year, no time zone matters)
    now, before = figures(span), figures(span.previous())
    return Dashboard(
        computed_at=timezone.now(),
        span=span,
        figures=now,
        previous=before,
        changes=changes(now, before),
        trends=trends(bounds),
        breakdowns=breakdowns(span),
        spans=spans,
    )


# --- Drill-down lists: the rows each figure counts ------------------------------------------

LIST_FIGURES = (
    "academies",
    "new_academies",
    "activities",
    "series",
    "sessions",
    "kind_hours",
    "children",
    "municipalities",
)


@dataclass(frozen=True)
class ListFilters:
    """Narrowing of a drill-down list, as the dashboard's breakdown rows link to it."""

    province: str = ""
    format: str = ""
    age_group: str = ""
    domain: str = ""

    @classmethod
    def from_query(cls, query) -> "ListFilters":
        groups = {g[0] for g in (*kind_hours.AGE_GROUPS, kind_hours.PRIORITY_AGE_GROUP)}
        age = query.get("leeftijd", "")
        fmt = query.get("vorm", "")
        domain = query.get("domein", "")
        province = query.get("provincie", "")
        return cls(
            province=province if province.isdigit() and len(province) == 5 else "",
            format=fmt if fmt in ActivityFormat.values else "",
            age_group=age if age in groups else "",
            domain=domain if domain in StemDomain.values else "",
        )

    def as_query(self) -> dict:
        pairs = {
            "provincie": self.province,
            "vorm": self.format,
            "leeftijd": self.age_group,
            "domein": self.domain,
        }
        return {k: v for k, v in pairs.items() if v}

    def age_range(self) -> tuple[int | None, int | None]:
        for code, low, high in (*kind_hours.AGE_GROUPS, kind_hours.PRIORITY_AGE_GROUP):
            if code == self.age_group:
                return low, high
        return None, None


def _domain_q(domain: str) -> Q:
    """Sessions (reached through ``prefix``) whose activity counts under ``domain``: its own
    domains, else its academy's. JSON lists compared as text, which both databases share."""
    needle = f'"{domain}"'
    own = Q(**{"_own_domains__contains": needle})
    inherited = Q(_own_domains="[]") & Q(**{"_academy_domains__contains": needle})
    return own | inherited


def _narrow_sessions(qs, filters: ListFilters, prefix: str = ""):
    """Apply province, format and domain to a queryset of sessions (or of attendance with
    ``prefix="session__"``)."""
    if filters.province:
        qs = qs.filter(**{f"{prefix}municipality__province_id": filters.province})
    if filters.format:
        qs = qs.filter(**{f"{prefix}series__activity__format": filters.format})
    if filters.domain:
        qs = qs.annotate(
            _own_domains=Cast(f"{prefix}series__activity__stem_domains", TextField()),
            _academy_domains=Cast(f"{prefix}academy__stem_domains", TextField()),
        ).filter(_domain_q(filters.domain))
    return qs


def _eligible(span: Span, filters: ListFilters):
    low, high = filters.age_range()
    qs = kind_hours.eligible_filtered(span.start, span.end, age_from=low, age_to=high)
    return _narrow_sessions(qs, filters, "session__")


def figure_rows(figure: str, span: Span, filters: ListFilters):
    """The queryset a figure counts, ready for a paginated table (a ``values`` queryset)."""
    sessions_qs = _narrow_sessions(sessions_in(span), filters)
    if figure == "academies":
        qs = Academy.objects.filter(pk__in=_recognised_in(span).values("academy_id"))
        if filters.province:
            qs = qs.filter(municipality__province_id=filters.province)
        return qs.values("id", "name", "municipality__name").order_by("name", "id")
    if figure == "new_academies":
        qs = new_academies_queryset(span)
        if filters.province:
            qs = qs.filter(municipality__province_id=filters.province)
        return qs.values("id", "name", "municipality__name").order_by("name", "id")
    if figure == "activities":
        return (
            sessions_qs.values("series__activity_id", "series__activity__title", "academy__name")
            .annotate(sessions=Count("id"))
            .order_by("academy__name", "series__activity__title", "series__activity_id")
        )
    if figure == "series":
        return (
            sessions_qs.values(
                "series_id",
                "series__code",
                "series__activity__title",
                "academy__name",
                "municipality__name",
            )
            .annotate(sessions=Count("id"))
            .order_by("academy__name", "series__activity__title", "series_id")
        )
    if figure == "sessions":
        return sessions_qs.values(
            "id",
            "date",
            "start_time",
            "end_time",
            "academy__name",
            "series__activity__title",
            "municipality__name",
            "counted_minutes",
        ).order_by("date", "start_time", "id")
    eligible = _eligible(span, filters)
    if figure == "kind_hours":
        return (
            eligible.values("session__academy__name", "session__municipality__name")
            .annotate(minutes=Sum("session__counted_minutes"))
            .order_by("-minutes", "session__academy__name", "session__municipality__name")
        )
    if figure == "children":
        return (
            eligible.values("participant_id", "participant__ref", "participant__academy__name")
            .annotate(minutes=Sum("session__counted_minutes"), sessions=Count("session"))
            .order_by("participant__academy__name", "participant__ref", "participant_id")
        )
    if figure == "municipalities":
        return (
            eligible.values("session__municipality_id", "session__municipality__name")
            .annotate(
                minutes=Sum("session__counted_minutes"),
                children=Count("participant", distinct=True),
            )
            .order_by("session__municipality__name", "session__municipality_id")
        )
    raise ValueError(figure)
