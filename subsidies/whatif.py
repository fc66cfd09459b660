"""What-if figures for the period page: every academy's amount under the proposed
parameters against the current ones, and the distribution of the amounts as chart bars
(pure, integer cents); and the live what-if's input, a snapshot of the period's K(a, g)
kept in the cache while the period's data stay the same.

Staff change a parameter and the page asks again (htmx, debounced): the answer must not
scan the period's sessions each time. The snapshot is the very list the calculation starts
from (``services.kind_hours_rows``), cached under the period and a fingerprint of the data
it read (``kind_hours.kind_hours_version``), so a write that changes the period's KIND-uren
makes the next what-if read them anew. The exclusion rule and the parameters are applied
on every answer, and the distribution is ``scheme.calculate``: the calculation's own code.
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache

from academies.kind_hours import kind_hours_version

from . import scheme, services

#: How long a snapshot may serve at most, even when nothing seems to have changed (the
#: fingerprint does not see a session moved to another day with the same minutes).
SNAPSHOT_SECONDS = 5 * 60
#: Part of every key: raised when what is cached changes shape (an Outcome of another
#: scheme version must not be read back after a deploy).
CACHE_FORMAT = 2


def snapshot_key(period) -> str:
    rp = period.reporting_period
    version = kind_hours_version(rp.start_date, rp.end_date)
    digest = hashlib.sha256(repr(version).encode()).hexdigest()[:32]
    return f"whatif:kag:v{CACHE_FORMAT}:{period.pk}:{digest}"


def kind_hours_snapshot(period, key: str | None = None) -> list[tuple[int, str, int]]:
    """The period's K(a, g) rows (academy, REFNIS, child-minutes), from the cache when the
    period's data have not changed since they were read."""
    key = key or snapshot_key(period)
    rows = cache.get(key)
    if rows is None:
        rows = services.kind_hours_rows(period)
        cache.set(key, rows, SNAPSHOT_SECONDS)
    return rows


def simulate(period, overrides: dict) -> tuple[scheme.Outcome, scheme.Outcome]:
    """The distribution with the period's stored parameters and with ``overrides``, both
    from one snapshot and through the calculation's own scheme. The stored parameters'
    distribution is cached with the snapshot (keyed by them too): one change of a
    parameter computes one distribution."""
    key = snapshot_key(period)
    rows = services.input_rows(period, kag=kind_hours_snapshot(period, key))
    stored = services.parameters_of(period)
    proposed_params = services.parameters_of(period, overrides)
    current_key = f"{key}:current:{services.fingerprint(rows, stored)}"
    current = cache.get(current_key)
    if current is None:
        current = scheme.calculate(rows, stored)
        cache.set(current_key, current, SNAPSHOT_SECONDS)
    if proposed_params == stored:
        return current, current
    return current, scheme.calculate(rows, proposed_params)


@dataclass(frozen=True)
class Row:
    academy_id: int
    kind_hours: object  # Fraction
    current_cents: int
    proposed_cents: int

    @property
    def change_cents(self) -> int:
        return self.proposed_cents - self.current_cents


def compare(current: scheme.Outcome, proposed: scheme.Outcome) -> list[Row]:
    """One row per academy that gets something under either parameter set, highest
    proposed amount first (ties: academy id)."""
    now = {a.academy_id: a for a in current.awards}
    new = {a.academy_id: a for a in proposed.awards}
    rows = [
        Row(
            academy_id=academy_id,
            kind_hours=(new.get(academy_id) or now[academy_id]).kind_hours,
            current_cents=now[academy_id].amount_cents if academy_id in now else 0,
            proposed_cents=new[academy_id].amount_cents if academy_id in new else 0,
        )
        for academy_id in now.keys() | new.keys()
    ]
    return sorted(rows, key=lambda r: (-r.proposed_cents, r.academy_id))


@dataclass(frozen=True)
class Bar:
    low_cents: int
    high_cents: int
    count: int
    # SVG geometry (user units of a 600 × 220 view box)
    x: int
    y: int
    width: int
    height: int


CHART_WIDTH, CHART_HEIGHT, AXIS, TOP = 600, 220, 20, 16  # TOP: room for the counts


def _nice_step(span_cents: int, bins: int) -> int:
    """A bin width of 1, 2 or 5 × a power of ten euro, covering ``span`` in ``bins``."""
    raw = max(1, -(-span_cents // bins))
    step = 100  # EUR 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= raw:
                return step * factor
        step *= 10


def distribution(amounts_cents: list[int], bins: int = 10) -> list[Bar]:
    """How many academies fall in each amount band (low ≤ amount < high; the last band
    includes its top), as bars scaled to the chart."""
    if not amounts_cents:
        return []
    top = max(amounts_cents)
    step = _nice_step(top, bins)
    n = max(1, -(-top // step))  # at most ``bins``: step × bins covers the top
    counts = [0] * n
    for cents in amounts_cents:
        counts[min(cents // step, n - 1)] += 1
    tallest = max(counts)
    width = CHART_WIDTH // n
    usable = CHART_HEIGHT - AXIS - TOP
    bars = []
    for i, count in enumerate(counts):
        height = round(usable * count / tallest) if tallest else 0
        bars.append(
            Bar(
                low_cents=i * step,
                high_cents=(i + 1) * step,
                count=count,
                x=i * width + 2,
                y=TOP + usable - height,
                width=width - 4,
                height=height,
            )
        )
    return bars
