"""Purchases that adapt to what has happened: one calm-path schedule shared by every scenario
not yet disrupted, and each scenario's own purchases (refills) once its first episode began.

Hand-derived cases on one material with 100 t/month of fully China-exposed demand (a cut of
depth 1 leaves 100 t/month to cover), a price of $50/kg ($50,000/t), a shortage cost of
$200/kg, no storage cost, no discounting and no salvage: a tonne bought and released in the
same scenario costs nothing net (it is sold to users at the price paid), a tonne bought and
never used costs its price.
"""

from __future__ import annotations

import numpy as np
import pytest

from reserve_planner.model import LaterEpisode
from reserve_planner.optimize import SolveStatus, solve
from reserve_planner.optimize.data import build_plan_data
from reserve_planner.optimize.solve import SolveOptions

P = 50_000.0  # $/t
S = 200_000.0  # $/t shortage cost


def _inputs(make, scenarios, months=6, limit=1e6, **policy):
    months = policy.pop("horizon_months", months)
    mat = make.material(storage_cost_usd_per_t_yr=0.0, shortage_cost_usd_per_kg=200.0,
                        purchase_limit_t_per_month=limit)
    return make.replace(make.newsvendor([(0.0, 1.0)]), materials=(mat,),
                        scenarios=tuple(scenarios),
                        policy=make.policy(horizon_months=months, salvage_share=0.0, **policy))


def _solve(inputs):
    result = solve(inputs, SolveOptions(diagnostics=False))
    assert result.status is SolveStatus.OPTIMAL, result.message
    return result


def test_non_anticipativity_equal_purchases_before_the_earlier_start(make):
    # A (p .5) cuts month 2 only; B (p .5) cuts months 4-5. At most 50 t a month can be
    # bought. A needs 100 t by month 2: months 0 and 1 at the limit, shared by both (nothing
    # has happened yet). B needs 200 t by month 4: months 2 and 3 at the limit too, but by
    # then A has begun, so those purchases are made in B only. Every tonne bought in a
    # scenario is released there: both losses and the objective are 0; the status quo
    # loses .5 x 100 t x S + .5 x 200 t x S = $30M.
    inputs = _inputs(make, [make.scenario("A", 0.5, 2, 1, {"X": 1.0}),
                            make.scenario("B", 0.5, 4, 2, {"X": 1.0})], limit=50.0)
    result = _solve(inputs)
    x = result.material("X")
    np.testing.assert_allclose(x.fill_schedule_t, [50, 50, 50, 50, 0, 0], atol=1e-6)
    a, b = result.scenarios
    np.testing.assert_allclose(a.stock_t[0], [0, 50, 100, 0, 0, 0, 0], atol=1e-6)
    np.testing.assert_allclose(b.stock_t[0], [0, 50, 100, 150, 200, 100, 0], atol=1e-6)
    # the two futures hold the same stock until A's start, then part
    np.testing.assert_allclose(a.stock_t[0][:3], b.stock_t[0][:3], atol=1e-9)
    assert a.loss_usd == pytest.approx(0.0, abs=1.0)
    assert b.loss_usd == pytest.approx(0.0, abs=1.0)
    assert result.objective_usd == pytest.approx(0.0, abs=1.0)
    assert result.cost_without_plan_usd == pytest.approx(0.5 * 100 * S + 0.5 * 200 * S)


def _twin(make, **policy):
    # "twin" (p .5): a one-month cut in month 1, then another in month 3 (a gap of one
    # month after the first ends). "calm" (p .5): nothing happens.
    twin = make.scenario("twin", 0.5, 1, 1, {"X": 1.0},
                         later_episodes=(LaterEpisode(1, 1, (("X", 1.0),)),))
    return _inputs(make, [twin, make.scenario("calm", 0.5, 0, 0, {})], limit=100.0, **policy)


def test_a_scenario_refills_between_its_episodes(make):
    # Only month 0 is on the calm path before the twin's first cut, and 100 t is all a
    # month can buy: the reserve covers the first cut, and the twin buys 100 t of its own in
    # month 2 (refill) for the second. The calm future holds the 100 t unused: .5 x 100 t x
    # P = $2.5M, the objective. The twin's loss is 0. Status quo: .5 x 200 t x S = $20M.
    result = _solve(_twin(make))
    twin, calm = result.scenarios
    np.testing.assert_allclose(result.material("X").fill_schedule_t, [100, 0, 0, 0, 0, 0],
                               atol=1e-6)
    np.testing.assert_allclose(twin.refill_t[0], [0, 0, 100, 0, 0, 0], atol=1e-6)
    np.testing.assert_allclose(twin.stock_t[0], [0, 100, 0, 100, 0, 0, 0], atol=1e-6)
    np.testing.assert_allclose(twin.unmet_t, 0.0, atol=1e-6)
    np.testing.assert_allclose(calm.refill_t, 0.0, atol=1e-9)
    assert twin.loss_usd == pytest.approx(0.0, abs=1.0)
    assert result.objective_usd == pytest.approx(0.5 * 100 * P)
    assert result.cost_without_plan_usd == pytest.approx(0.5 * 200 * S)


def test_a_refill_shares_the_annual_budget_with_the_calm_path(make):
    # Twelve months (one budget year) and a $7.5M budget: the calm-path purchase x in month
    # 0 and the twin's refill y in month 2 cost at most 150 t together. The objective is
    # .5 x P (calm: x unused) + .5 S (200 - x - y) (twin: unmet), falling faster in y (no
    # calm-path waste) than in x: y = 100 t (its limit), x = 50 t, $1.25M + $5M.
    result = _solve(_twin(make, annual_budget_usd=7.5e6, horizon_months=12))
    twin = result.scenarios[0]
    np.testing.assert_allclose(result.material("X").fill_schedule_t[:3], [50, 0, 0], atol=1e-6)
    np.testing.assert_allclose(twin.refill_t[0][:4], [0, 0, 100, 0], atol=1e-6)
    assert twin.unmet_t.sum() == pytest.approx(50.0, abs=1e-6)
    assert result.objective_usd == pytest.approx(0.5 * 50 * P + 0.5 * 50 * S)


def test_a_price_collapse_alone_buys_nothing_of_its_own(make):
    # Prices at a third of normal for months 1-4 with salvage at full price: buying then
    # would pay only through the salvage credit, a trade on that assumption rather than
    # reserve policy, so no scenario buys on its own without a later cut to serve.
    flood = make.scenario("flood", 1.0, 1, 4, {}, price_multiplier_during=1 / 3)
    inputs = make.replace(_inputs(make, [flood], limit=10.0),
                          policy=make.policy(horizon_months=6, salvage_share=1.0))
    assert not build_plan_data(inputs).refill.any()
    result = _solve(inputs)
    np.testing.assert_allclose(result.scenarios[0].refill_t, 0.0)
    assert result.objective_usd == pytest.approx(0.0, abs=1.0)


def test_episodes_place_cuts_prices_and_the_release_lag(make):
    twin = make.scenario("twin", 1.0, 1, 2, {"X": 1.0}, price_multiplier_during=3.0,
                         price_multiplier_after=1.5, after_months=1,
                         later_episodes=(LaterEpisode(2, 2, (("X", 0.5),),
                                                      price_multiplier_during=2.0),))
    inputs = make.replace(_inputs(make, [twin], months=10), policy=make.policy(
        horizon_months=10, release_lag_months=1))
    d = build_plan_data(inputs)
    # first episode months 1-2, after-price month 3; second starts 2 months after the
    # first ends (month 5), months 5-6
    np.testing.assert_allclose(d.depth[0, 0], [0, 1, 1, 0, 0, .5, .5, 0, 0, 0])
    np.testing.assert_allclose(d.mult[0, 0], [1, 3, 3, 1.5, 1, 2, 2, 1, 1, 1])
    assert d.start[0] == 1
    np.testing.assert_array_equal(~d.release_open[0],
                                  [0, 1, 0, 0, 0, 1, 0, 0, 0, 0])
    # own purchases: after the first start, not while cut, and before the last cut
    np.testing.assert_array_equal(d.refill[0, 0], [0, 0, 0, 1, 1, 0, 0, 0, 0, 0])
