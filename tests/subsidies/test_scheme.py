"""The reference scheme (subsidies.scheme): hand-computed cases and properties."""

import random
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from subsidies.scheme import Parameters, calculate

H = 60  # child-minutes in one KIND-uur


def amounts(outcome):
    return {a.academy_id: a.amount_cents for a in outcome.awards}


def test_no_caps_shares_the_budget_in_proportion_to_kind_hours():
    rows = [(1, "44021", 100 * H), (2, "44021", 300 * H)]
    outcome = calculate(rows, Parameters(budget_cents=100_000))
    assert amounts(outcome) == {1: 25_000, 2: 75_000}
    assert outcome.unspent_cents == 0


def test_academy_cap_binds_and_the_rest_goes_to_the_others():
    rows = [(1, "44021", 800 * H), (2, "44021", 100 * H), (3, "44021", 100 * H)]
    # Uncapped: 80,000 / 10,000 / 10,000. Cap 50,000: academy 1 stops there, the other
    # 50,000 is shared by 2 and 3 in proportion to their points.
    outcome = calculate(rows, Parameters(budget_cents=100_000, academy_cap_cents=50_000))
    assert amounts(outcome) == {1: 50_000, 2: 25_000, 3: 25_000}


def test_water_filling_cascades_when_the_rest_pushes_another_academy_over_its_cap():
    rows = [(1, "44021", 600 * H), (2, "44021", 300 * H), (3, "44021", 100 * H)]
    # Uncapped 60,000 / 30,000 / 10,000. Cap 40,000: academy 1 stops there; the other
    # 60,000 split 3:1 gives academy 2 45,000, over the cap too: it stops at 40,000 and
    # academy 3 takes the remaining 20,000.
    outcome = calculate(rows, Parameters(budget_cents=100_000, academy_cap_cents=40_000))
    assert amounts(outcome) == {1: 40_000, 2: 40_000, 3: 20_000}
    assert outcome.unspent_cents == 0


def test_the_smaller_of_the_academy_cap_and_the_rate_cap_counts():
    rows = [(1, "44021", 600 * H), (2, "44021", 300 * H), (3, "44021", 100 * H)]
    # 1 EUR per KIND-uur and EUR 500 per academy: caps 50,000 (academy), 30,000 (rate),
    # 10,000 (rate); together 90,000 < budget: each gets its cap, 10,000 stays unspent.
    params = Parameters(budget_cents=100_000, rate_cap_cents=F(100), academy_cap_cents=50_000)
    outcome = calculate(rows, params)
    assert [a.cap_cents for a in outcome.awards] == [50_000, 30_000, 10_000]
    assert amounts(outcome) == {1: 50_000, 2: 30_000, 3: 10_000}
    assert outcome.unspent_cents == 10_000
    # With EUR 800 per academy: 60,000 / 30,000 / 10,000 = the budget exactly, uncapped
    # shares equal to the caps.
    params = Parameters(budget_cents=100_000, rate_cap_cents=F(100), academy_cap_cents=80_000)
    assert amounts(calculate(rows, params)) == {1: 60_000, 2: 30_000, 3: 10_000}


def test_rate_cap_binds_per_kind_hour():
    rows = [(1, "44021", 10 * H), (2, "44021", 1000 * H)]
    # 2 EUR per KIND-uur: academy 1 at most 2,000 cents, academy 2 at most 200,000 cents.
    outcome = calculate(rows, Parameters(budget_cents=101_000, rate_cap_cents=F(200)))
    assert amounts(outcome) == {1: 1_000, 2: 100_000}
    outcome = calculate(rows, Parameters(budget_cents=300_000, rate_cap_cents=F(200)))
    assert amounts(outcome) == {1: 2_000, 2: 200_000}


def test_caps_below_budget_leave_the_rest_unspent():
    rows = [(1, "44021", 10 * H), (2, "24062", 20 * H)]
    outcome = calculate(rows, Parameters(budget_cents=1_000_000, academy_cap_cents=100_000))
    assert amounts(outcome) == {1: 100_000, 2: 100_000}
    assert outcome.total_cents == 200_000
    assert outcome.unspent_cents == 800_000


def test_rate_cap_rounds_down_to_whole_cents():
    rows = [(1, "44021", 1)]  # 1/60 KIND-uur × 100 cents = 1.666… cents → cap 1 cent
    outcome = calculate(rows, Parameters(budget_cents=500, rate_cap_cents=F(100)))
    assert outcome.awards[0].cap_cents == 1
    assert amounts(outcome) == {1: 1}


def test_minimum_kind_hours_to_qualify():
    rows = [(1, "44021", 49 * H), (2, "44021", 50 * H), (3, "44021", 150 * H)]
    outcome = calculate(rows, Parameters(budget_cents=20_000, min_kind_hours=F(50)))
    assert amounts(outcome) == {2: 5_000, 3: 15_000}
    assert outcome.excluded == {1: F(49)}


def test_priority_municipalities_weigh_more():
    # Same KIND-uren; academy 2 works in a priority municipality with weight 3.
    rows = [(1, "44021", 100 * H), (2, "71072", 100 * H)]
    params = Parameters(budget_cents=40_000, priority_weights={"71072": F(3)})
    outcome = calculate(rows, params)
    assert amounts(outcome) == {1: 10_000, 2: 30_000}
    assert outcome.awards[1].points == 300


def test_spread_bonus_and_its_cap():
    # Academy 1: 100 h in one municipality. Academy 2: 25 h in each of four.
    rows = [(1, "44021", 100 * H)] + [(2, g, 25 * H) for g in ["11002", "24062", "44021", "71072"]]
    # s = 10 % per extra municipality, capped at S = 20 %: 2 gets ×1.2, not ×1.3.
    outcome = calculate(
        rows, Parameters(budget_cents=22_000, spread_bonus=F(1, 10), spread_cap=F(2, 10))
    )
    assert [a.points for a in outcome.awards] == [100, 120]
    assert amounts(outcome) == {1: 10_000, 2: 12_000}
    uncapped = calculate(
        rows, Parameters(budget_cents=23_000, spread_bonus=F(1, 10), spread_cap=F(1))
    )
    assert amounts(uncapped) == {1: 10_000, 2: 13_000}


def test_cent_rounding_ties_go_to_the_lowest_academy_id():
    rows = [(3, "44021", H), (1, "44021", H), (2, "44021", H)]
    # 100 cents over three equal academies: 33.33… each; the leftover cent goes to id 1.
    assert amounts(calculate(rows, Parameters(budget_cents=100))) == {1: 34, 2: 33, 3: 33}
    # 200 cents: 66.66… each, two leftover cents for ids 1 and 2.
    assert amounts(calculate(rows, Parameters(budget_cents=200))) == {1: 67, 2: 67, 3: 66}


def test_largest_remainder_before_lowest_id():
    rows = [(1, "44021", 1 * H), (2, "44021", 2 * H)]
    # 10 cents: 3.33… and 6.66…; the cent goes to academy 2 (larger remainder).
    assert amounts(calculate(rows, Parameters(budget_cents=10))) == {1: 3, 2: 7}


def test_split_per_municipality_adds_up_with_ties_to_the_lowest_refnis():
    rows = [(1, "71072", H), (1, "24062", H), (1, "44021", H)]
    [award] = calculate(rows, Parameters(budget_cents=100)).awards
    assert award.by_municipality == {"24062": 34, "44021": 33, "71072": 33}


def test_nobody_qualifies():
    outcome = calculate([], Parameters(budget_cents=500))
    assert outcome.awards == [] and outcome.unspent_cents == 500


# --- properties ---------------------------------------------------------------------------

REFNIS = ["11002", "24062", "44021", "71072", "31005"]
rows_strategy = st.lists(
    st.tuples(st.integers(1, 12), st.sampled_from(REFNIS), st.integers(0, 50_000)),
    max_size=40,
)
params_strategy = st.builds(
    Parameters,
    budget_cents=st.integers(0, 10_000_000),
    rate_cap_cents=st.one_of(st.none(), st.fractions(F(0), F(1000), max_denominator=100)),
    academy_cap_cents=st.one_of(st.none(), st.integers(0, 5_000_000)),
    min_kind_hours=st.fractions(F(0), F(200), max_denominator=4),
    priority_weights=st.dictionaries(
        st.sampled_from(REFNIS), st.fractions(F(1), F(5), max_denominator=10), max_size=3
    ),
    spread_bonus=st.fractions(F(0), F(1, 2), max_denominator=20),
    spread_cap=st.fractions(F(0), F(1), max_denominator=20),
)
PROPERTIES = settings(max_examples=300, deadline=None)


@PROPERTIES
@given(rows=rows_strategy, params=params_strategy)
def test_total_is_min_of_budget_and_caps_and_no_award_exceeds_its_cap(rows, params):
    outcome = calculate(rows, params)
    # Independently of calculate(): the caps from the rows, as domain rule 3 states them.
    minutes = {}
    for academy, _refnis, m in rows:
        minutes[academy] = minutes.get(academy, 0) + m
    qualifying = [a for a, m in minutes.items() if m and F(m, 60) >= params.min_kind_hours]
    caps = {}
    for a in qualifying:
        limits = [F(params.academy_cap_cents)] if params.academy_cap_cents is not None else []
        if params.rate_cap_cents is not None:
            limits.append(params.rate_cap_cents * F(minutes[a], 60))
        caps[a] = int(min(limits)) if limits else None  # floor: limits are not negative
    assert {a.academy_id for a in outcome.awards} == set(qualifying)
    if not qualifying:
        expected = 0
    elif None in caps.values():
        expected = params.budget_cents
    else:
        expected = min(params.budget_cents, sum(caps.values()))
    assert outcome.total_cents == expected
    exact = _reference_water_fill(
        {a.academy_id: a.points for a in outcome.awards}, caps, params.budget_cents
    )
    for award in outcome.awards:
        assert award.cap_cents == caps[award.academy_id]
        assert award.exact_cents == exact[award.academy_id]
        # floor of the exact share, or one cent more (largest remainder), never above cap
        assert award.amount_cents - int(exact[award.academy_id]) in (0, 1)
        assert award.cap_cents is None or award.amount_cents <= award.cap_cents
        assert sum(award.by_municipality.values()) == award.amount_cents


def _reference_water_fill(points, caps, budget):
    """Water-filling the plain way, for comparison: share what is left among the academies
    not yet capped, in proportion to their points; fix every academy whose share exceeds
    its cap at its cap; repeat until nobody is over."""
    fixed, exact = {}, {}
    while True:
        open_ = {a: p for a, p in points.items() if a not in fixed}
        left = budget - sum(fixed.values())
        total = sum(open_.values(), F(0))
        share = {a: (F(left) * p / total if total else F(0)) for a, p in open_.items()}
        over = {a for a, v in share.items() if caps[a] is not None and v > caps[a]}
        if not over:
            exact = {**{a: F(v) for a, v in fixed.items()}, **share}
            return exact
        for a in over:
            fixed[a] = caps[a]


@PROPERTIES
@given(rows=rows_strategy, params=params_strategy, seed=st.integers())
def test_row_order_never_changes_a_cent(rows, params, seed):
    shuffled = list(rows)
    random.Random(seed).shuffle(shuffled)
    first, second = calculate(rows, params), calculate(shuffled, params)
    assert [(a.academy_id, a.amount_cents, a.by_municipality) for a in first.awards] == [
        (a.academy_id, a.amount_cents, a.by_municipality) for a in second.awards
    ]


@PROPERTIES
@given(
    rows=rows_strategy,
    params=params_strategy,
    academy=st.integers(1, 12),
    refnis=st.sampled_from(REFNIS),
    extra=st.integers(1, 50_000),
)
def test_more_kind_hours_never_give_less_money(rows, params, academy, refnis, extra):
    """One academy gets more KIND-uren, everything else equal: its exact share never
    drops, and its amount in cents never drops either."""
    before = {a.academy_id: a for a in calculate(rows, params).awards}
    after = {a.academy_id: a for a in calculate([*rows, (academy, refnis, extra)], params).awards}
    if academy in before:
        assert after[academy].exact_cents >= before[academy].exact_cents
        assert after[academy].amount_cents >= before[academy].amount_cents


@pytest.mark.parametrize(
    "bad", [{"budget_cents": -1}, {"budget_cents": 1, "priority_weights": {"44021": F(1, 2)}}]
)
def test_invalid_parameters_are_refused(bad):
    with pytest.raises(ValueError):
        Parameters(**bad)


def _reference_amounts(rows, params):
    """The whole scheme the plain way, in Fractions (KIND-uren, weights, shares), as the
    domain states it: for comparison with calculate(), which computes in integers."""
    from math import floor

    from subsidies.scheme import points_of

    hours = {}
    for academy, refnis, m in rows:
        if m:
            per = hours.setdefault(academy, {})
            per[refnis] = per.get(refnis, F(0)) + F(m, 60)
    qualifying = sorted(a for a, per in hours.items() if sum(per.values()) >= params.min_kind_hours)
    points = {a: points_of(hours[a], params).points for a in qualifying}
    caps = {}
    for a in qualifying:
        limits = [F(params.academy_cap_cents)] if params.academy_cap_cents is not None else []
        if params.rate_cap_cents is not None:
            limits.append(params.rate_cap_cents * sum(hours[a].values()))
        caps[a] = floor(min(limits)) if limits else None
    exact = _reference_water_fill(points, caps, params.budget_cents)

    def rounded(shares, target, limit=None):
        floors = {k: floor(v) for k, v in shares.items()}
        open_ = [k for k in shares if not limit or limit[k] is None or floors[k] < limit[k]]
        for k in sorted(open_, key=lambda k: (floors[k] - shares[k], k))[
            : target - sum(floors.values())
        ]:
            floors[k] += 1
        return floors

    if not qualifying:
        target = 0
    elif None in caps.values():
        target = params.budget_cents
    else:
        target = min(params.budget_cents, sum(caps.values()))
    amounts = rounded(exact, target, caps)
    result = {}
    for a in qualifying:
        weight = {g: k * params.priority_weights.get(g, F(1)) for g, k in hours[a].items()}
        total = sum(weight.values())
        split = rounded({g: amounts[a] * w / total for g, w in weight.items()}, amounts[a])
        result[a] = (amounts[a], points[a], exact[a], dict(sorted(split.items())))
    return result


@PROPERTIES
@given(rows=rows_strategy, params=params_strategy)
def test_the_integer_computation_gives_the_amounts_of_the_plain_fraction_one(rows, params):
    outcome = calculate(rows, params)
    assert {
        a.academy_id: (a.amount_cents, a.points, a.exact_cents, a.by_municipality)
        for a in outcome.awards
    } == _reference_amounts(rows, params)
