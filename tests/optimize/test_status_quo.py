"""The status quo and what is measured against it, checked against hand arithmetic.

Covers: a contracted floor's payout, a loan's expected loss, committed projects, candidate
floors that never undercut a contract and always support a project, the IEA day count, the
CVaR with zero-probability scenarios (also through a workbook), the risk term that measures
what the plan can change, and the near-optimal range.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reserve_planner.model import ContractedFloor
from reserve_planner.optimize import SolveOptions, SolveStatus, solve
from reserve_planner.optimize.data import build_plan_data, iea_cover_days, iea_stock_for_days
from reserve_planner.optimize.near_optimal import size_curve
from reserve_planner.optimize.risk import cvar


def phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def put(f: float, m: float, s: float) -> float:
    d1 = (math.log(m / f) + s * s / 2) / s
    return f * phi(-(d1 - s)) - m * phi(-d1)


def call(f: float, m: float, s: float) -> float:
    return put(f, m, s) - (f - m)


def _calm(make, months=12, **pol):
    return make.policy(horizon_months=months, **pol)


# ------------------------------------------------------------------ contracted floors


@pytest.mark.parametrize("theta", [0.0, 0.3])
def test_contracted_floor_pays_the_closed_form_put_on_the_covered_volume(make, theta):
    # A 240 t/yr plant (20 t/month) from month 0, 10% failure; a floor of $100/kg on 120 t/yr
    # of it for months 2..9 (8 months); price $80/kg, sigma .5; no discounting, no disruption.
    # Expected payout = 8 months x 10 t x 0.9 survival x 1000 kg/t x (put - theta call).
    project = make.project(capacity_t_per_yr=240.0, failure_probability=0.1)
    floor = ContractedFloor("DoD floor", "X", "P", 100.0, 120.0, 2, 9, upside_share=theta)
    inputs = make.replace(
        make.newsvendor([(0.0, 1.0)], price_usd_per_kg=80.0, price_log_volatility=0.5),
        projects=(project,), contracted_floors=(floor,), policy=_calm(make))
    result = solve(inputs)
    assert result.status is SolveStatus.OPTIMAL
    per_kg = put(100.0, 80.0, 0.5) - theta * call(100.0, 80.0, 0.5)
    hand = 8 * 10.0 * 0.9 * 1000.0 * per_kg
    sq = result.status_quo
    assert sq.contracted_floors[0].expected_payout_usd == pytest.approx(hand, rel=1e-9)
    assert sq.contracted_floors[0].covered_t == pytest.approx(8 * 10.0 * 0.9)
    # The contract is part of the status quo: paid in the plan and the status quo alike,
    # never counted as a payout of the plan's new floors.
    assert result.costs.contracted_floor_payouts_usd == pytest.approx(hand, rel=1e-9)
    assert result.costs.floor_payouts_usd == pytest.approx(0.0, abs=1e-9)
    assert sq.expected_cost_usd == pytest.approx(hand, rel=1e-9)
    assert result.incremental_cost_usd == pytest.approx(0.0, abs=1e-6)
    # Worst case: prices at their 5% quantile every month, the plant producing.
    low = 80.0 * math.exp(-0.5 * 0.25 + 0.5 * -1.6448536269514722)
    assert sq.contracted_floors[0].worst_case_payout_usd == pytest.approx(
        8 * 10.0 * 1000.0 * (100.0 - low), rel=1e-6)


def test_a_project_under_contract_is_committed_and_needs_no_new_floor(make):
    # The project's 120 t/yr closes a 100 t/yr import gap in a full cut-off: with it
    # committed, the status quo has no shortfall and no new floor is offered for it.
    committed = make.project(committed_by="offtake agreement", unit_cost_usd_per_kg=200.0)
    inputs = make.replace(make.newsvendor([(1.0, 1.0)], demand_t_per_yr=100.0),
                          projects=(committed,), policy=_calm(make))
    result = solve(inputs)
    assert result.status is SolveStatus.OPTIMAL
    assert result.material("X").floor.candidates_usd_per_kg == (0.0,)
    assert result.status_quo.expected_unmet_by_material_t == pytest.approx((0.0,), abs=1e-9)
    assert result.status_quo.committed_projects == (("P", "offtake agreement"),)
    assert result.expected_shortage_avoided_usd == pytest.approx(0.0, abs=1e-6)


def test_public_money_loss_is_equity_and_the_defaulted_share_of_the_loan(make):
    # 20% failure: equity $50M lost in full, loan $100M lost at 45% -> 0.2 x (50 + 45) = $19M.
    project = make.project(committed_by="offtake", failure_probability=0.2,
                           government_equity_usd=50e6, government_loan_usd=100e6,
                           loan_loss_given_default_share=0.45)
    assert project.expected_public_loss_usd == pytest.approx(19e6)
    inputs = make.replace(make.newsvendor([(0.0, 1.0)]), projects=(project,),
                          policy=_calm(make))
    sq = solve(inputs).status_quo
    assert sq.expected_public_money_loss_usd == pytest.approx(19e6)
    assert sq.public_money[0].loan_usd == 100e6


def test_a_new_floor_never_sits_below_a_contracted_one(make):
    # Project Q would be bankable at $95/kg, but the material already carries a $110 floor:
    # the candidate is raised to $110 (and still supports Q).
    contracted = make.project(name="P", committed_by="")
    newcomer = make.project(name="Q", unit_cost_usd_per_kg=95.0)
    floor = ContractedFloor("existing", "X", "P", 110.0, 120.0, 0, 11)
    inputs = make.replace(make.newsvendor([(1.0, 1.0)]), projects=(contracted, newcomer),
                          contracted_floors=(floor,), policy=_calm(make))
    fl = build_plan_data(inputs).floors[0]
    assert tuple(fl.levels_usd_per_kg) == (0.0, 110.0)
    assert fl.supported.tolist() == [[False], [True]]


@settings(max_examples=60, deadline=None)
@given(tariff=st.integers(0, 40).map(lambda k: k * 0.05),
       inputs_share=st.sampled_from([0.0, 0.1, 0.15, 0.37]),
       costs=st.lists(st.floats(1.0, 500.0, allow_nan=False), min_size=1, max_size=4))
def test_every_candidate_level_above_zero_supports_a_project(tariff, inputs_share, costs):
    from reserve_planner.model import (
        DisruptionScenario,
        Material,
        PlanInputs,
        Policy,
        ProjectKind,
        SupplyProject,
    )
    mat = Material("X", 1200.0, 0.0, (0.0,), (0.0,), 1.0, 0.0, 50.0, 0.0, 100.0, 10.0,
                   1e6, 1e6)
    projects = tuple(SupplyProject(f"P{i}", "X", ProjectKind.DOMESTIC, 12.0, c, 0, 0, 0.0)
                     for i, c in enumerate(costs))
    scen = (DisruptionScenario("cut", 1.0, 1, 1, (("X", 1.0),)),)
    pol = Policy(horizon_months=2, tariff_share=tariff, tariff_input_cost_share=inputs_share)
    fl = build_plan_data(PlanInputs("tariffs", (mat,), projects, scen, pol)).floors[0]
    for k, level in enumerate(fl.levels_usd_per_kg):
        if level > 0:
            assert fl.supported[k].any(), (level, tariff, inputs_share, costs)


def test_the_odd_tariff_steps_keep_the_baseline_floors(make):
    # 70 x (1 + 0.25 x 0.15) = 72.625 rounds to 72.63 and must support the $70 project.
    project = make.project(unit_cost_usd_per_kg=70.0)
    inputs = make.replace(make.newsvendor([(1.0, 1.0)]), projects=(project,),
                          policy=_calm(make, tariff_share=0.25, tariff_input_cost_share=0.15))
    fl = build_plan_data(inputs).floors[0]
    assert tuple(fl.levels_usd_per_kg) == (0.0, 72.63)
    assert fl.supported[1].all()


# ------------------------------------------------------------------ IEA day count


def test_iea_arithmetic():
    # 1,000 t held against 3,650 t/yr of last year's net imports: 900 usable t = 90 days.
    assert iea_cover_days(1000.0, 3650.0) == pytest.approx(90.0)
    assert iea_stock_for_days(90.0, 3650.0) == pytest.approx(1000.0)
    assert math.isinf(iea_cover_days(10.0, 0.0))


def test_minimum_cover_holds_ninety_iea_days(make):
    # Flat demand of 3,650 t/yr, all imported, no disruption; storage is costly, so the plan
    # holds exactly the 90-day minimum from month 3: 1,000 t, reported as 90 days.
    inputs = make.replace(
        make.newsvendor([(0.0, 1.0)], demand_t_per_yr=3650.0),
        policy=_calm(make, min_cover_days=90.0, min_cover_by_month=3))
    result = solve(inputs)
    assert result.status is SolveStatus.OPTIMAL
    x = result.material("X")
    assert x.reserve_target_t == pytest.approx(1000.0, rel=1e-9)
    assert x.days_of_import_cover == pytest.approx(90.0, rel=1e-9)
    assert x.days_of_cover_year_reached == pytest.approx(100.0, rel=1e-9)


# ------------------------------------------------------------------ risk


def test_cvar_counts_zero_probability_scenarios_as_nothing():
    losses = np.array([5.0, 1000.0, 3.0, 1.0])
    prob = np.array([0.05, 0.0, 0.05, 0.9])
    # Worst 10%: 5 (p .05) and 3 (p .05) -> (0.25 + 0.15) / 0.1 = 4.
    assert cvar(losses, prob, 0.9) == pytest.approx(4.0)
    # The old tail sum stopped at the zero-probability scenario and reported 0.
    assert cvar(np.array([10.0, 0.0]), np.array([0.0, 1.0]), 0.5) == pytest.approx(0.0)
    assert cvar(np.array([10.0, 2.0]), np.array([0.0, 1.0]), 0.5) == pytest.approx(2.0)
    # Splitting at the quantile: worst 10% of {100 w.p. .05, 50 w.p. .15, 0 w.p. .8}.
    assert cvar(np.array([100.0, 50.0, 0.0]), np.array([0.05, 0.15, 0.8]), 0.9) == \
        pytest.approx((0.05 * 100 + 0.05 * 50) / 0.1)


def test_cvar_agrees_with_the_scenario_figures_through_a_workbook(make, tmp_path):
    from reserve_planner.io.workbook import load_scenario_workbook, save_scenario_workbook

    # Scenario "gone" has probability 0 and the biggest shortfall.
    inputs = make.replace(
        make.newsvendor([(0.0, 0.0), (0.5, 0.6), (0.2, 0.4)]),
        scenarios=(make.scenario("gone", 0.0, 1, 1, {"X": 1.0}),
                   make.scenario("half", 0.6, 1, 1, {"X": 0.5}),
                   make.scenario("fifth", 0.4, 1, 1, {"X": 0.2})),
        policy=_calm(make, months=2, risk_aversion=0.5, cvar_level=0.5))
    path = tmp_path / "zero.xlsx"
    save_scenario_workbook(inputs, path)
    result = solve(load_scenario_workbook(path))
    prob = np.array([s.probability for s in result.scenarios])
    losses = np.array([s.loss_usd for s in result.scenarios])
    shortage = np.array([s.shortage_usd for s in result.scenarios])
    order = np.argsort(-losses[prob > 0])
    tail = prob[prob > 0][order]
    worst = losses[prob > 0][order]
    take = np.minimum(tail, np.clip(0.5 - np.concatenate([[0], np.cumsum(tail)[:-1]]), 0, None))
    assert result.cvar_usd == pytest.approx(float(take @ worst / 0.5), rel=1e-9)
    assert result.shortage_cvar_usd == pytest.approx(cvar(shortage, prob, 0.5), rel=1e-9)
    assert result.costs.risk_premium_usd == pytest.approx(0.5 * result.shortage_cvar_usd)


def _unaffectable_worst(make, risk: float):
    # 12 months. "early" (p .15) cuts all supply in months 0-5, before any stock can be
    # bought, and is the worst outcome; stock bought for "late" (p .2, months 8-9) is still
    # held, and stored, in "early". "calm" takes the rest.
    scen = (make.scenario("early", 0.15, 0, 6, {"X": 1.0}),
            make.scenario("late", 0.20, 8, 2, {"X": 1.0}),
            make.scenario("calm", 0.65, 0, 0, {}))
    inputs = make.replace(
        make.newsvendor([(0.0, 1.0)], storage_cost_usd_per_t_yr=6000.0,
                        shortage_cost_usd_per_kg=30.0, purchase_limit_t_per_month=40.0),
        scenarios=scen, policy=_calm(make, risk_aversion=risk, cvar_level=0.9))
    return solve(inputs, SolveOptions(diagnostics=False))


def test_raising_the_risk_weight_never_lowers_the_reserve_when_the_worst_is_unaffectable(make):
    results = [_unaffectable_worst(make, lam) for lam in (0.0, 0.2, 0.5, 1.0, 3.0)]
    reserves = [r.material("X").reserve_target_t for r in results]
    assert reserves[0] > 0
    # Nothing is bought in "early": its disruption begins in month 0, so the calm path has
    # no month in it, and it buys nothing of its own (no later cut to refill for). The plan
    # leaves the worst outcome exactly as the status quo has it, and the risk term, which
    # measures shortage damage, can only push the reserve up.
    early = results[0].scenarios[0]
    assert early.name == "early"
    assert early.loss_usd == pytest.approx(early.status_quo_loss_usd, rel=1e-9)
    assert float(np.abs(early.stock_t).max()) == 0.0
    assert all(b >= a - 1e-6 for a, b in zip(reserves, reserves[1:], strict=False)), reserves


# ------------------------------------------------------------------ near-optimal range


def test_near_optimal_range_of_a_known_flat_optimum():
    # f(R) = 100 + (R - 50)^2 / 100 for R in [0, 200]: within 1% (f <= 101) for
    # (R - 50)^2 <= 100, i.e. R in [40, 60].
    curve = size_curve("X", 50.0, 100.0, 200.0, lambda r: 100.0 + (r - 50.0) ** 2 / 100.0,
                       tolerance=0.01)
    assert curve.low_t == pytest.approx(40.0, abs=1.0)
    assert curve.high_t == pytest.approx(60.0, abs=1.0)
    assert not curve.high_is_limit
    assert curve.label() == f"X {curve.low_t:,.0f}-{curve.high_t:,.0f} t (optimum 50 t)"
    rs = [r for r, _ in curve.points]
    assert rs == sorted(rs) and 50.0 in rs


def test_near_optimal_range_through_the_solver(make):
    # Newsvendor, h = $1,000/t, s = $10,000/t, shortfall X in {0, 20, 50, 80, 100} t with
    # probabilities .4, .2, .2, .15, .05. By hand L(S) = 1000 S + 10,000 E(X - S)+ is
    # piecewise linear with its minimum L(80) = 80,000 + 10,000 x .05 x 20 = 90,000; its slope
    # is 1000 - 10,000 P(X > S): -1,000 $/t on (50, 80) and +500 $/t on (80, 100). The 1%
    # band starts at S = 80 - 0.9 = 79.1. Above 80 the plan holds the optimum's 80 t at risk
    # and buys the rest in the last month, when a tonne costs its price less the same price
    # as salvage and no storage: a larger reserve costs the optimum until the last month's
    # purchase limit (1e6 t) is used; beyond, each tonne is bought in month 0 and stored
    # ($1,000/t), so the band ends at 80 + 1e6 + 900/1000 t.
    dist = [(0.0, 0.40), (0.2, 0.20), (0.5, 0.20), (0.8, 0.15), (1.0, 0.05)]
    inputs = make.newsvendor(dist, storage_cost_usd_per_t_yr=12_000.0)
    result = solve(inputs, SolveOptions(near_optimal_tolerance=0.01))
    curve = result.material("X").near_optimal
    assert curve.optimum_t == pytest.approx(80.0, abs=1e-6)
    assert curve.objective_usd == pytest.approx(90_000.0)
    assert curve.low_t == pytest.approx(79.1, abs=0.5)
    assert not curve.high_is_limit
    assert curve.high_t == pytest.approx(1e6 + 80.9, abs=1.0)
    for size, value in curve.points:  # every point is the hand-derived cost
        at_risk = min(size, 80.0) if size <= 1e6 + 80.0 else size - 1e6  # held from month 0
        hand = 1000 * at_risk + 10_000 * sum(p * max(100 * d - at_risk, 0) for d, p in dist)
        assert value == pytest.approx(hand, rel=1e-7, abs=1e-3)
