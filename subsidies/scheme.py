"""The reference subsidy scheme of one period (domain.md), in exact arithmetic.

No Django, no floats: amounts are integer cents, KIND-uren and points exact. The
calculation itself runs on integers (child-minutes, the parameters scaled to whole
numbers, one common denominator per rounding step), which gives the very values the
Fractions of the rules give (tests/subsidies/test_scheme.py computes both); the Fractions
are made when asked for. The same inputs give the same cents whatever the order of the
rows.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from math import lcm


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


def _points_rule(amounts: Mapping[str, object], weight, one, bonus_step, bonus_cap):
    """The points rule, the one place it is written, for any exact number type: with
    Fractions (KIND-uren, weights, s and S as they are) or with integers (child-minutes and
    the parameters scaled to whole numbers, see :class:`_Scaled`). ``weight(g)``: w(g);
    ``one``: 1 in that scale. Returns (weighted, bonus, points)."""
    reached = [(g, k) for g, k in amounts.items() if k > 0]
    weighted = sum(k * weight(g) for g, k in reached)
    bonus = min(bonus_step * max(len(reached) - 1, 0), bonus_cap)
    return weighted, bonus, weighted * (one + bonus)


def points_of(kind_hours_by_municipality: Mapping[str, Fraction], params: Parameters) -> Points:
    """P(a) from K(a,g) (calculation and letter): :func:`_points_rule` in Fractions."""
    weighted, bonus, points = _points_rule(
        kind_hours_by_municipality,
        lambda g: params.priority_weights.get(g, Fraction(1)),
        Fraction(1),
        params.spread_bonus,
        params.spread_cap,
    )
    return Points(weighted_kind_hours=Fraction(weighted), spread_bonus=bonus, points=points)


@dataclass(frozen=True)
class _Scaled:
    """The parameters of the points rule as integers: every weight times ``w_scale`` and
    the spread bonus and its cap times ``b_scale`` (the least common multiples of their
    denominators). Points computed from child-minutes in this scale are the exact points
    times ``points_scale``, the same factor for every academy; shares in proportion to
    points are the same with either."""

    weights: dict[str, int]
    w_scale: int
    b_scale: int
    bonus_step: int
    bonus_cap: int

    @classmethod
    def of(cls, params: Parameters) -> "_Scaled":
        w_scale = lcm(1, *(Fraction(w).denominator for w in params.priority_weights.values()))
        step, cap = Fraction(params.spread_bonus), Fraction(params.spread_cap)
        b_scale = lcm(step.denominator, cap.denominator)
        return cls(
            weights={g: int(w * w_scale) for g, w in params.priority_weights.items()},
            w_scale=w_scale,
            b_scale=b_scale,
            bonus_step=int(step * b_scale),
            bonus_cap=int(cap * b_scale),
        )

    @property
    def points_scale(self) -> int:  # child-minutes (60 per KIND-uur) × w_scale × b_scale
        return 60 * self.w_scale * self.b_scale

    def weight(self, g: str) -> int:
        return self.weights.get(g, self.w_scale)

    def points_of_weighted(self, weighted: Mapping[str, int]) -> int:
        """The points from K(a,g) × w(g) already worked out in this scale (the split over
        municipalities needs those too): the rule with every weight 1. A municipality
        counts as reached alike, since K × w > 0 exactly when K > 0 (w ≥ 1)."""
        return _points_rule(weighted, _unit, self.b_scale, self.bonus_step, self.bonus_cap)[2]


def _unit(_g: str) -> int:
    return 1


@dataclass(frozen=True)
class Award:
    """One qualifying academy's award. Computed in integers: the exact figures (KIND-uren,
    points, exact share) are Fractions made from them when asked for."""

    academy_id: int
    child_minutes: int
    points_numerator: int  # points × points_scale
    points_scale: int
    cap_cents: int | None  # None: no cap set
    exact_numerator: int  # exact share in cents × exact_denominator
    exact_denominator: int
    amount_cents: int
    child_minutes_by_municipality: dict[str, int]  # REFNIS -> child-minutes
    weights: dict[str, int]  # REFNIS -> K(a,g) × w(g), scaled: the split's proportions

    @cached_property
    def by_municipality(self) -> dict[str, int]:
        """REFNIS -> cents: the amount split over the municipalities in proportion to the
        weighted KIND-uren, cents by largest remainder (ties: the lower REFNIS). Worked
        out when first asked for: the live what-if shows only the amounts."""
        split = _largest_remainder(
            {g: self.amount_cents * w for g, w in self.weights.items()},
            sum(self.weights.values()),
            self.amount_cents,
        )
        return dict(sorted(split.items()))

    @property
    def kind_hours(self) -> Fraction:
        return Fraction(self.child_minutes, 60)

    @property
    def points(self) -> Fraction:
        return Fraction(self.points_numerator, self.points_scale)

    @property
    def exact_cents(self) -> Fraction:
        return Fraction(self.exact_numerator, self.exact_denominator)

    @property
    def kind_hours_by_municipality(self) -> dict[str, Fraction]:
        return {g: Fraction(m, 60) for g, m in self.child_minutes_by_municipality.items()}


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
    numerators: Mapping, denominator: int, target: int, limit: Mapping | None = None
) -> dict:
    """Exact shares ``numerators[k] / denominator`` (one denominator for all) in whole
    units: floor every share, then give the units still missing to reach ``target`` one
    each in order of largest remainder (ties by the smaller key), never above ``limit``."""
    floors, candidates = {}, []
    for k, n in numerators.items():
        floors[k], remainder = divmod(n, denominator)
        if limit is None or limit.get(k) is None or floors[k] < limit[k]:
            candidates.append((-remainder, k))
    missing = target - sum(floors.values())
    if missing > len(candidates) or missing < 0:
        raise ArithmeticError("rounding cannot reach the target")  # cannot happen: see tests
    if missing:
        candidates.sort()  # largest remainder first, then the smaller key
        for _remainder, k in candidates[:missing]:
            floors[k] += 1
    return floors


def _water_fill(points: Mapping[int, int], caps: Mapping[int, int | None], budget: int):
    """Exact shares of ``budget`` in proportion to points, none above its cap; what a
    capped academy cannot take goes to the others in proportion to their points. Points,
    caps and the budget are integers, so what remains of the budget is one too: the shares
    are returned as numerators over one denominator (the points of the academies left
    uncapped), with the denominator."""
    numerators: dict[int, int] = {}
    active = {a for a, p in points.items() if p > 0}
    remaining = budget
    denominator = 1
    while active:
        total = sum(points[a] for a in active)
        capped = {
            a for a in active if caps[a] is not None and remaining * points[a] >= caps[a] * total
        }
        if not capped:
            denominator = total
            for a in active:
                numerators[a] = remaining * points[a]
            break
        for a in capped:
            numerators[a] = caps[a]
            remaining -= caps[a]
        active -= capped
    if denominator != 1:  # the capped shares over the same denominator
        for a in numerators.keys() - active:
            numerators[a] *= denominator
    for a in points:
        numerators.setdefault(a, 0)
    return numerators, denominator


def calculate(rows: Iterable[tuple[int, str, int]], params: Parameters) -> Outcome:
    """``rows``: (academy id, REFNIS, eligible child-minutes); several rows for the same
    academy and municipality add up."""
    minutes: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for academy_id, refnis, child_minutes in rows:
        if child_minutes < 0:
            raise ValueError("child-minutes are not negative")
        if child_minutes:
            minutes[academy_id][refnis] += child_minutes

    total_minutes = {a: sum(per.values()) for a, per in minutes.items()}
    # K(a) < minimum, in child-minutes: M / 60 < n / d  <=>  M × d < n × 60
    low = Fraction(params.min_kind_hours)
    excluded = {
        a: Fraction(m, 60)
        for a, m in total_minutes.items()
        if m * low.denominator < low.numerator * 60
    }
    qualifying = sorted(a for a in minutes if a not in excluded)

    scaled = _Scaled.of(params)
    weight = {a: {g: m * scaled.weight(g) for g, m in minutes[a].items()} for a in qualifying}
    points = {a: scaled.points_of_weighted(weight[a]) for a in qualifying}

    caps: dict[int, int | None] = {}
    rate = None if params.rate_cap_cents is None else Fraction(params.rate_cap_cents)
    for a in qualifying:
        limits = []
        if params.academy_cap_cents is not None:
            limits.append(params.academy_cap_cents)
        if rate is not None:  # floor(rate × M / 60), in integers
            limits.append(rate.numerator * total_minutes[a] // (rate.denominator * 60))
        caps[a] = min(limits) if limits else None

    exact, denominator = _water_fill(points, caps, params.budget_cents)
    if any(c is None for c in caps.values()):
        target = params.budget_cents if qualifying else 0
    else:
        target = min(params.budget_cents, sum(caps.values()))
    amounts = _largest_remainder(exact, denominator, target, limit=caps)

    points_scale = scaled.points_scale
    awards = [
        Award(
            academy_id=a,
            child_minutes=total_minutes[a],
            points_numerator=points[a],
            points_scale=points_scale,
            cap_cents=caps[a],
            exact_numerator=exact[a],
            exact_denominator=denominator,
            amount_cents=amounts[a],
            child_minutes_by_municipality=dict(sorted(minutes[a].items())),
            weights=weight[a],
        )
        for a in qualifying
    ]
    return Outcome(awards=awards, excluded=excluded, budget_cents=params.budget_cents)
