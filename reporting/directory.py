"""Reads for the staff academy directory ("academies-overzicht"): every academy with its
recognition, members, and KIND-uren and approved awards of the recent periods. Lives in
reporting because it combines academies with subsidies."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from academies.kind_hours import (
    as_kind_hours,
    child_minutes_by_academy_and_period,
    recognised_on,
)
from academies.models import Academy, Recognition
from partnerships.models import Partnership
from stemnet.periods import HalfYear
from subsidies.selectors import approved_amounts_by_academy

LAPSING_DAYS = 90
RECOGNISED, LAPSING, WITHDRAWN, NOT_RECOGNISED = "erkend", "verloopt", "ingetrokken", "niet"
STATUSES = (RECOGNISED, LAPSING, WITHDRAWN, NOT_RECOGNISED)
STATUS_LABELS = [
    (RECOGNISED, _("Erkend")),
    (LAPSING, _("Erkenning verloopt binnen 90 dagen")),
    (WITHDRAWN, _("Erkenning ingetrokken")),
    (NOT_RECOGNISED, _("Niet erkend")),
]
PERIODS_SHOWN = 4


def directory_academies(
    *, search: str = "", status: str = "", province: str = "", partnership=None, today: date
):
    """The academies matching the filters, ordered by name, with what a row shows that
    does not depend on the page (municipality, province, member count, recognition state).
    Lapsing: recognised today but not any more in ``LAPSING_DAYS`` days (no renewal)."""
    academies = (
        Academy.objects.select_related("municipality__province")
        .annotate(
            member_count=Count("memberships", distinct=True),
            recognised_today=recognised_on(OuterRef("pk"), today),
            recognised_later=recognised_on(OuterRef("pk"), today + timedelta(days=LAPSING_DAYS)),
            has_withdrawal=Exists(
                Recognition.objects.filter(academy_id=OuterRef("pk")).exclude(withdrawn_reason="")
            ),
        )
        .order_by("name", "id")
    )
    if search:
        academies = academies.filter(
            Q(name__icontains=search)
            | Q(enterprise_number__icontains=search.replace(".", "").replace(" ", ""))
            | Q(municipality__name__icontains=search)
        )
    if status == RECOGNISED:
        academies = academies.filter(recognised_today=True)
    elif status == LAPSING:
        academies = academies.filter(recognised_today=True, recognised_later=False)
    elif status == WITHDRAWN:
        academies = academies.filter(recognised_today=False, has_withdrawal=True)
    elif status == NOT_RECOGNISED:
        academies = academies.filter(recognised_today=False)
    if province:
        academies = academies.filter(municipality__province_id=province)
    if partnership is not None:
        academies = academies.filter(
            Q(municipality__in=partnership.municipalities.all()) | Q(led_partnerships=partnership)
        ).distinct()
    return academies


def recent_periods(today: date, count: int = PERIODS_SHOWN) -> list[HalfYear]:
    """The ``count`` half years up to the one containing ``today``, oldest first."""
    halves = [HalfYear.containing(today)]
    while len(halves) < count:
        halves.insert(0, halves[0].previous())
    return halves


@dataclass
class PeriodFigures:
    code: str
    child_minutes: int = 0
    award_cents: int | None = None  # None: no approved award for that period

    @property
    def kind_hours(self) -> Decimal:
        return as_kind_hours(self.child_minutes)


@dataclass
class DirectoryRow:
    academy: Academy
    recognitions: list
    periods: list[PeriodFigures] = field(default_factory=list)
    lapsing: bool = False
    withdrawn: bool = False


def directory_rows(academies, *, today: date, periods: list[HalfYear]) -> list[DirectoryRow]:
    """The page's academies with their recognitions and per-period figures: a fixed
    number of queries whatever the number of rows."""
    academies = list(
        academies.prefetch_related(
            Prefetch("recognitions", queryset=Recognition.objects.order_by("valid_from", "id"))
        )
    )
    ids = [a.pk for a in academies]
    codes = [p.code for p in periods]
    minutes = child_minutes_by_academy_and_period(
        periods[0].start, periods[-1].end, academy_ids=ids
    )
    amounts = approved_amounts_by_academy(ids, codes)
    rows = []
    for academy in academies:
        rows.append(
            DirectoryRow(
                academy=academy,
                recognitions=list(academy.recognitions.all()),
                periods=[
                    PeriodFigures(
                        code, minutes.get((academy.pk, code), 0), amounts.get((academy.pk, code))
                    )
                    for code in codes
                ],
                lapsing=academy.recognised_today and not academy.recognised_later,
                withdrawn=not academy.recognised_today and academy.has_withdrawal,
            )
        )
    return rows


def partnerships():
    return Partnership.objects.order_by("name")
