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
import time
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

from django.core.cache import cache

from academies.kind_hours import change_stamp, kind_hours_version

from . import scheme, services

#: How long a snapshot may serve at most, even when nothing seems to have changed (the
#: fingerprint does not see a session moved to another day with the same minutes).
SNAPSHOT_SECONDS = 5 * 60
#: Part of every key: raised when what is cached changes shape (an Outcome of another
#: scheme version must not be read back after a deploy).
CACHE_FORMAT = 4


def _digest(value) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:32]


def snapshot_key(period) -> str:
    """The cache key of the period's snapshot: its data's fingerprint
    (``kind_hours_version``, an aggregate over the period's sessions) is itself kept under
    the portal's change stamp (``kind_hours.change_stamp``, index lookups), so that one
    parameter change after another costs no aggregate; a write anywhere makes the next
    answer take the fingerprint again, and the snapshot is read anew only when that
    changed."""
    rp = period.reporting_period
    stamp_key = f"whatif:version:v{CACHE_FORMAT}:{period.pk}:{_digest(change_stamp())}"
    version = cache.get(stamp_key)
    if version is None:
        version = kind_hours_version(rp.start_date, rp.end_date)
        cache.set(stamp_key, version, SNAPSHOT_SECONDS)
    return f"whatif:kag:v{CACHE_FORMAT}:{period.pk}:{_digest(version)}"


#: What this process read last, by cache key: (monotonic expiry, value). Every answer of
#: the live what-if needs the same snapshot and current amounts; read from the shared
#: cache they would be unpickled (thousands of tuples) on every parameter change.
_memory: dict[str, tuple[float, object]] = {}
_MEMORY_SIZE = 8


def _remembered(key: str, compute):
    """The value under ``key``: from this process's memory, else from the shared cache,
    else computed and kept in both, never longer than ``SNAPSHOT_SECONDS``. The keys carry
    the data version, so a value is never read back for other data."""
    now = time.monotonic()
    kept = _memory.get(key)
    if kept is not None and kept[0] > now:
        return kept[1]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, SNAPSHOT_SECONDS)
    if len(_memory) >= _MEMORY_SIZE:
        _memory.clear()
    _memory[key] = (now + SNAPSHOT_SECONDS, value)
    return value


def kind_hours_snapshot(period, key: str | None = None) -> list[tuple[int, str, int]]:
    """The period's K(a, g) rows (academy, REFNIS, child-minutes), from the cache when the
    period's data have not changed since they were read."""
    return _remembered(key or snapshot_key(period), lambda: services.kind_hours_rows(period))


#: What the comparison needs of a distribution: academy id -> (cents, child-minutes).
Amounts = dict[int, tuple[int, int]]


def amounts_of(outcome: scheme.Outcome) -> Amounts:
    return {a.academy_id: (a.amount_cents, a.child_minutes) for a in outcome.awards}


def simulate(period, overrides: dict) -> tuple[Amounts, scheme.Outcome]:
    """The amounts with the period's stored parameters and the distribution with
    ``overrides``, both from one snapshot and through the calculation's own scheme. The
    stored parameters' amounts are kept with the snapshot (keyed by the academies the
    exclusion rule leaves out and the parameters too): one change of a parameter computes
    one distribution."""
    key = snapshot_key(period)
    excluded = services.excluded_academies(period)
    rows = [row for row in kind_hours_snapshot(period, key) if row[0] not in excluded]
    stored = services.parameters_of(period)
    proposed_params = services.parameters_of(
        period, {"priority": sorted(stored.priority_weights), **overrides}
    )
    if proposed_params == stored:
        outcome = scheme.calculate(rows, stored)
        return amounts_of(outcome), outcome
    current_key = f"{key}:current:{_digest((sorted(excluded), services.params_json(stored)))}"
    current = _remembered(current_key, lambda: amounts_of(scheme.calculate(rows, stored)))
    return current, scheme.calculate(rows, proposed_params)


class Row(NamedTuple):
    academy_id: int
    child_minutes: int
    current_cents: int
    proposed_cents: int

    @property
    def kind_hours(self) -> Fraction:
        return Fraction(self.child_minutes, 60)

    @property
    def change_cents(self) -> int:
        return self.proposed_cents - self.current_cents


def compare(current: Amounts, proposed: scheme.Outcome) -> list[Row]:
    """One row per academy that gets something under either parameter set, highest
    proposed amount first (ties: academy id)."""
    new = amounts_of(proposed)
    rows = []
    for academy_id in current.keys() | new.keys():
        now_cents, minutes = current.get(academy_id, (0, 0))
        if academy_id in new:
            new_cents, minutes = new[academy_id]
        else:
            new_cents = 0
        rows.append(Row(academy_id, minutes, now_cents, new_cents))
    rows.sort(key=lambda r: (-r.proposed_cents, r.academy_id))
    return rows


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
