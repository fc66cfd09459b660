"""The reference subsidy scheme of one period (domain.md), in exact arithmetic.

No Django, no floats: KIND-uren and points are Fractions, amounts are integer cents.
The same inputs give the same cents whatever the order of the rows.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from math import floor


@dataclass(frozen=True)
class Parameters:
    budget_cents: int
    rate_cap_cents: Fraction | None = None  # cents per KIND-uur
    academy_cap_cents: int | None = None
    min_kind_hours: Fraction = Fraction(0)
    priority_weights: Mapping[str, Fraction] = field(default_factory=dict)  # REFNIS -> w ≥ 1
    spread_bonus: Fraction = Fraction(0)  # s per extra municipality
    spread_cap: Fraction = Fraction(0)  # S

    def __post_init__(self):
        if self.budget_cents < 0:
            raise ValueError("budget must not be negative")
        if any(w < 1 for w in self.priority_weights.values()):
            raise ValueError("priority weights are at least 1")
        if self.spread_bonus < 0 or self.spread_cap < 0:
            raise ValueError("spread bonus and its cap are not negative")


def parameters_from_json(data: Mapping) -> Parameters:
    """The parameters a run stored (its ``parameters`` JSON) back as exact values."""
    rate = data.get("rate_cap_cents")
    return Parameters(
        budget_cents=int(data.get("budget_cents", 0)),
        rate_cap_cents=None if rate is None else Fraction(rate),
        academy_cap_cents=data.get("academy_cap_cents"),
        min_kind_hours=Fraction(data.get("min_kind_hours", "0")),
        priority_weights={k: Fraction(v) for k, v in data.get("priority_weights", {}).items()},
        spread_bonus=Fraction(data.get("spread_bonus", "0")),
        spread_cap=Fraction(data.get("spread_cap", "0")),
    )


@dataclass(frozen=True)
class Points:
    """How an academy's points come about (step 2 of the scheme)."""

    weighted_kind_hours: Fraction  # sum over g of K(a,g) × w(g)
    spread_bonus: Fraction  # min(s × (n(a) − 1), S)
    points: Fraction  # weighted × (1 + bonus)


def points_of(kind_hours_by_municipality: Mapping[str, Fraction], params: Parameters) -> Points:
    """P(a) from K(a,g): the one place the points rule is written (calculation and letter)."""
    reached = {g: k for g, k in kind_hours_by_municipality.items() if k > 0}
    weighted = sum(
        (k * params.priority_weights.get(g, Fraction(1)) for g, k in reached.items()), Fraction(0)
    )
    bonus = min(params.spread_bonus * max(len(reached) - 1, 0), params.spread_cap)
    return Points(weighted_kind_hours=weighted, spread_bonus=bonus, points=weighted * (1 + bonus))


@dataclass(frozen=True)
class Award:
    academy_id: int
    kind_hours: Fraction
    points: Fraction
    cap_cents: int | None  # None: no cap set
    exact_cents: Fraction
    amount_cents: int
    by_municipality: dict[str, int]  # REFNIS -> cents
    kind_hours_by_municipality: dict[str, Fraction]


@dataclass(frozen=True)
class Outcome:
    awards: list[Award]  # qualifying academies, by academy id
    excluded: dict[int, Fraction]  # below the minimum: academy -> KIND-uren
    budget_cents: int

    @property
    def total_cents(self) -> int:
        return sum(a.amount_cents for a in self.awards)

    @property
    def unspent_cents(self) -> int:
        return self.budget_cents - self.total_cents


def _largest_remainder(
    exact: Mapping, target: int, order_key, limit: Mapping | None = None
) -> dict:
    """Floor every exact share, then give the cents still missing to reach ``target`` one
    each in order of largest remainder (ties by ``order_key``), never above ``limit``."""
    floors = {k: floor(v) for k, v in exact.items()}
    missing = target - sum(floors.values())
    candidates = sorted(
        (k for k in exact if limit is None or limit.get(k) is None or floors[k] < limit[k]),
        key=lambda k: (-(exact[k] - floors[k]), order_key(k)),
    )
    if missing > len(candidates) or missing < 0:
        raise ArithmeticError("rounding cannot reach the target")  # cannot happen: see tests
    for k in candidates[:missing]:
        floors[k] += 1
    return floors


def _water_fill(points: Mapping[int, Fraction], caps: Mapping[int, int | None], budget: int):
    """Exact shares of ``budget`` in proportion to points, none above its cap; what a
    capped academy cannot take goes to the others in proportion to their points."""
    shares: dict[int, Fraction] = {}
    active = {a for a, p in points.items() if p > 0}
    remaining = Fraction(budget)
    while active:
        total = sum(points[a] for a in active)
        capped = {
            a for a in active if caps[a] is not None and remaining * points[a] / total >= caps[a]
        }
        if not capped:
            for a in active:
                shares[a] = remaining * points[a] / total
            break
        for a in capped:
            shares[a] = Fraction(caps[a])
            remaining -= caps[a]
        active -= capped
    for a in points:
        shares.setdefault(a, Fraction(0))
    return shares


def calculate(rows: Iterable[tuple[int, str, int]], params: Parameters) -> Outcome:
    """``rows``: (academy id, REFNIS, eligible child-minutes); several rows for the same
    academy and municipality add up."""
    minutes: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for academy_id, refnis, child_minutes in rows:
        if child_minutes < 0:
            raise ValueError("child-minutes are not negative")
        if child_minutes:
            minutes[academy_id][refnis] += child_minutes

    hours = {a: {g: Fraction(m, 60) for g, m in per.items()} for a, per in minutes.items()}
    total_hours = {a: sum(per.values(), Fraction(0)) for a, per in hours.items()}
    excluded = {a: k for a, k in total_hours.items() if k < params.min_kind_hours}
    qualifying = sorted(a for a in hours if a not in excluded)

    weight = {
        a: {g: k * params.priority_weights.get(g, Fraction(1)) for g, k in hours[a].items()}
        for a in qualifying
    }
    points = {a: points_of(hours[a], params).points for a in qualifying}

    caps: dict[int, int | None] = {}
    for a in qualifying:
        limits = []
        if params.academy_cap_cents is not None:
            limits.append(Fraction(params.academy_cap_cents))
        if params.rate_cap_cents is not None:
            limits.append(params.rate_cap_cents * total_hours[a])
        caps[a] = floor(min(limits)) if limits else None

    exact = _water_fill(points, caps, params.budget_cents)
    if any(c is None for c in caps.values()):
        target = params.budget_cents if qualifying else 0
    else:
        target = min(params.budget_cents, sum(caps.values()))
    amounts = _largest_remainder(exact, target, order_key=lambda a: a, limit=caps)

    awards = []
    for a in qualifying:
        total_weight = sum(weight[a].values(), Fraction(0))
        split_exact = {g: amounts[a] * w / total_weight for g, w in weight[a].items()}
        split = _largest_remainder(split_exact, amounts[a], order_key=lambda g: g)
        awards.append(
            Award(
                academy_id=a,
                kind_hours=total_hours[a],
                points=points[a],
                cap_cents=caps[a],
                exact_cents=exact[a],
                amount_cents=amounts[a],
                by_municipality=dict(sorted(split.items())),
                kind_hours_by_municipality=dict(sorted(hours[a].items())),
            )
        )
    return Outcome(awards=awards, excluded=excluded, budget_cents=params.budget_cents)
