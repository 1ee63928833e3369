"""A release decision lag: no release before it has passed, and what it costs, by hand."""

from __future__ import annotations

import pytest

from reserve_planner.optimize import SolveOptions, SolveStatus, solve


def _two_month_cut(make, lag: int, **material):
    # 4 months; supply cut in months 1-2 (100 t/month short); storage $1,000/t-month, damage
    # $10/kg; no discounting, salvage at cost, so buying and releasing cost only storage.
    scen = (make.scenario("cut", 1.0, 1, 2, {"X": 1.0}),)
    inputs = make.replace(make.newsvendor([(1.0, 1.0)], storage_cost_usd_per_t_yr=12_000.0,
                                          **material),
                          scenarios=scen, policy=make.policy(horizon_months=4))
    return make.replace(inputs, policy=make.replace(inputs.policy, release_lag_months=lag))


def test_no_release_before_the_lag_and_its_cost_by_hand(make):
    now = solve(_two_month_cut(make, 0))
    late = solve(_two_month_cut(make, 1))
    assert now.status is late.status is SolveStatus.OPTIMAL
    # Lag 0: 200 t bought in month 0, released 100 and 100: storage 200 + 100 t-months.
    assert now.material("X").reserve_target_t == pytest.approx(200.0)
    assert now.objective_usd == pytest.approx(300 * 1000.0)
    # Lag 1: month 1 cannot be served; 100 t held for month 2 (200 t-months of storage) and
    # 100 t unmet at $10,000/t.
    (out,) = late.scenarios
    assert out.releases_t[0, 1] == pytest.approx(0.0)
    assert out.unmet_t[0, 1] == pytest.approx(100.0)
    assert late.material("X").reserve_target_t == pytest.approx(100.0)
    assert late.objective_usd == pytest.approx(200 * 1000.0 + 100 * 10_000.0)


def test_lag_costs_are_reported_against_the_plan(make):
    result = solve(_two_month_cut(make, 0), SolveOptions(release_lags=(1, 2)))
    # Lag 2: nothing can be released inside the 2-month cut; no stock is worth holding.
    assert dict(result.release_lag_costs_usd) == pytest.approx(
        {1: 900_000.0, 2: 200 * 10_000.0 - 300 * 1000.0})


def test_the_status_quo_waits_for_the_lag_too(make):
    sq = solve(_two_month_cut(make, 1, starting_stock_t=50.0)).status_quo
    # 50 t on hand from the start can only serve month 2: 200 - 50 = 150 t unmet.
    assert sq.expected_unmet_by_material_t == pytest.approx((150.0,))
