"""The model reduced to textbook cases, checked against numbers derived by hand.

Newsvendor: one material, buy in month 0, a random shortfall X in month 1, holding cost h
per tonne for the period, loss s per tonne unmet, no discounting, stock left over credited at
cost: the optimal stock is the smallest S with P(X > S) <= h/s (modeling anchors).
"""

import math

import numpy as np
import pytest

from reserve_planner.optimize import SolveStatus, solve
from reserve_planner.optimize.formulation import PURCHASE_TIE_BREAK_USD_PER_T

# Shortfalls X = depth * 100 t with probabilities: P(X>0)=.6, P(X>20)=.4, P(X>50)=.2,
# P(X>80)=.05, P(X>100)=0.
DIST = [(0.0, 0.40), (0.2, 0.20), (0.5, 0.20), (0.8, 0.15), (1.0, 0.05)]
S_PER_T = 10_000.0  # shortage cost $10/kg


@pytest.mark.parametrize(
    ("h_per_t_month", "critical_stock"),
    [
        (300.0, 100.0),  # h/s = .03: P(X>80)=.05 > .03, so S = 100
        (1000.0, 80.0),  # h/s = .10: P(X>50)=.20 > .10 >= P(X>80)=.05
        (3000.0, 50.0),  # h/s = .30: P(X>20)=.40 > .30 >= .20
        (5000.0, 20.0),  # h/s = .50: P(X>0)=.60 > .50 >= .40
        (7000.0, 0.0),   # h/s = .70: P(X>0)=.60 <= .70
    ],
)
def test_newsvendor_critical_fractile(make, h_per_t_month, critical_stock):
    inputs = make.newsvendor(DIST, storage_cost_usd_per_t_yr=12 * h_per_t_month)
    result = solve(inputs)
    assert result.status is SolveStatus.OPTIMAL
    stock_at_risk = result.materials[0].fill_schedule_t[0]
    assert stock_at_risk == pytest.approx(critical_stock, abs=1e-6)
    expected_short = sum(p * max(100 * d - critical_stock, 0.0) for d, p in DIST)
    hand_cost = h_per_t_month * critical_stock + S_PER_T * expected_short
    assert result.objective_usd == pytest.approx(hand_cost, rel=1e-9, abs=1e-6)
    assert result.costs.total_usd == pytest.approx(hand_cost, rel=1e-9, abs=1e-6)


def test_newsvendor_cvar_term_matches_definition(make):
    # h/s = .1 and risk weight 1 at beta = .9. The objective is E[loss] + CVaR of the
    # shortage damage, loss L(S) = h S + s (X-S)+, shortage damage s (X-S)+ (docs/model.md).
    inputs = make.newsvendor(DIST, storage_cost_usd_per_t_yr=12_000.0)
    inputs = make.replace(inputs, policy=make.replace(inputs.policy, risk_aversion=1.0,
                                                      cvar_level=0.9))
    result = solve(inputs)
    s = result.materials[0].fill_schedule_t[0]

    def hand(stock):
        outcomes = [(S_PER_T * max(100 * d - stock, 0), p) for d, p in DIST]
        mean = 1000 * stock + sum(v * p for v, p in outcomes)
        tail, acc = 0.0, 0.0
        for v, p in sorted(outcomes, reverse=True):  # worst 10% of shortage damage
            take = max(min(p, 0.1 - acc), 0.0)
            tail += take * v
            acc += take
        return mean + tail / 0.1
    # By hand: S=80 costs 80,000 + 10,000 expected damage + CVaR (.05 x 200,000)/.1 =
    # 190,000; S=100 costs 100,000 with no damage at all, the optimum.
    assert hand(80) == pytest.approx(190_000.0)
    assert hand(100) == pytest.approx(100_000.0)
    best = min((hand(x), x) for x in (0, 20, 50, 80, 100))
    assert s == pytest.approx(best[1], abs=1e-6)
    assert result.objective_usd == pytest.approx(best[0], rel=1e-9)
    assert result.shortage_cvar_usd == pytest.approx(0.0, abs=1e-6)


def phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def put(f: float, m: float, s: float) -> float:
    d1 = (math.log(m / f) + s * s / 2) / s
    return f * phi(-(d1 - s)) - m * phi(-d1)


@pytest.mark.parametrize("theta", [0.0, 0.3])
def test_floor_without_disruption_costs_closed_form_payout(make, theta):
    # One project, 120 t/yr (10 t/month) from month 0, floor fixed at $100/kg, price $80/kg,
    # sigma .5, 12 months, no disruption, no discounting: cost = 120,000 kg x E[payout].
    inputs = make.replace(
        make.newsvendor([(0.0, 1.0)], price_usd_per_kg=80.0, price_log_volatility=0.5),
        projects=(make.project(),),
        policy=make.policy(horizon_months=12, floor_upside_share=theta,
                           floor_candidates_usd_per_kg=(("X", (100.0,)),)),
    )
    result = solve(inputs)
    assert result.status is SolveStatus.OPTIMAL
    p = put(100.0, 80.0, 0.5)
    per_kg = p - theta * (p - (100.0 - 80.0))  # upside via put-call parity
    floor = result.materials[0].floor
    assert floor.level_usd_per_kg == 100.0
    assert [pr.name for pr in floor.projects] == ["P"]
    assert floor.expected_payout_usd == pytest.approx(120_000 * per_kg, rel=1e-9)
    assert result.costs.floor_payouts_usd == pytest.approx(120_000 * per_kg, rel=1e-9)
    assert result.objective_usd == pytest.approx(120_000 * per_kg, rel=1e-9)
    q05 = 80.0 * math.exp(-0.125 + 0.5 * -1.6448536269514722)
    assert floor.worst_case_payout_usd == pytest.approx(120_000 * (100.0 - q05), rel=1e-9)


@pytest.mark.parametrize(("shortage_usd_per_kg", "floor_chosen"), [(30.0, False), (50.0, True)])
def test_floor_chosen_when_shortage_avoided_exceeds_payout(make, shortage_usd_per_kg,
                                                           floor_chosen):
    # Demand 100 t/month, all China-exposed; a 6-month full cut from month 6 with p = .5.
    # A project of 60 t/month at $100/kg with a certain price of $90/kg: the floor pays
    # $10/kg x 60 t x 12 months = $7.2M and avoids .5 x 6 x 60 t = 180 t of shortfall;
    # it pays off when 180,000 kg x s > $7.2M, i.e. s > $40/kg. No reserve can be bought.
    inputs = make.replace(
        make.newsvendor([(0.0, 0.5)], price_usd_per_kg=90.0, purchase_limit_t_per_month=0.0,
                        shortage_cost_usd_per_kg=shortage_usd_per_kg),
        projects=(make.project(capacity_t_per_yr=720.0),),
        policy=make.policy(horizon_months=12),
    )
    inputs = make.replace(inputs, scenarios=(
        make.scenario("calm", 0.5, 0, 0, {"X": 0.0}),
        make.scenario("cut", 0.5, 6, 6, {"X": 1.0})))
    result = solve(inputs)
    floor = result.materials[0].floor
    assert floor.has_floor is floor_chosen
    unmet = 0.5 * 6 * (40.0 if floor_chosen else 100.0)
    assert result.materials[0].expected_unmet_t == pytest.approx(unmet, abs=1e-6)
    hand = (7.2e6 if floor_chosen else 0.0) + unmet * 1000 * shortage_usd_per_kg
    assert result.objective_usd == pytest.approx(hand, rel=1e-9)


def test_tariff_inflation_can_make_a_project_unbankable(make):
    base = make.replace(
        make.newsvendor([(0.0, 1.0)], price_usd_per_kg=80.0, price_log_volatility=0.5),
        projects=(make.project(),),
        policy=make.policy(horizon_months=12, floor_candidates_usd_per_kg=(("X", (105.0,)),)),
    )
    assert solve(base).materials[0].floor.projects  # $105 covers the $100 cost
    taxed = make.replace(base, policy=make.replace(base.policy, tariff_share=1.0,
                                                   tariff_input_cost_share=0.1))
    assert not solve(taxed).materials[0].floor.projects  # cost is now $110


def test_release_limit_caps_what_a_reserve_can_do(make):
    # Shortfall 100 t in month 1 with certainty, release limit 30 t/month: holding more than
    # 30 t is useless however cheap storage is.
    inputs = make.newsvendor([(1.0, 1.0)], storage_cost_usd_per_t_yr=12.0,
                             release_limit_t_per_month=30.0)
    result = solve(inputs)
    assert result.materials[0].fill_schedule_t[0] == pytest.approx(30.0, abs=1e-6)
    assert result.materials[0].expected_unmet_t == pytest.approx(70.0, abs=1e-6)
    assert np.all(result.materials[0].fill_schedule_t >= 0)
    # One more t/month of release capacity: hold 1 t more ($1 storage for the month, plus
    # the purchase tie-break on the extra tonne) and avoid 1 t of damage ($10,000): worth
    # $9,999 less the tie-break (the dual of the release limit).
    value = result.materials[0].release_capacity_value_usd_per_t_month
    assert value == pytest.approx(9_999.0 - PURCHASE_TIE_BREAK_USD_PER_T, rel=1e-9)
