"""Price uncertainty that grows with time, and floor payouts as a distribution."""

from __future__ import annotations

import math

import numpy as np
import pytest

from reserve_planner.model import ContractedFloor
from reserve_planner.optimize import solve
from reserve_planner.optimize.payouts import fiscal_exposure, simulate_log_deviation
from reserve_planner.optimize.pricing import log_price_sd


def test_log_price_sd_grows_with_the_half_life():
    # Half-life 1 year: after 12 months the shock variance left is 1/4, so the dispersion is
    # sigma sqrt(1 - 1/4); with half-life 0 it is sigma in every month.
    sd = log_price_sd([0.4], 1.0, 24)
    assert sd[0, 11] == pytest.approx(0.4 * math.sqrt(0.75))
    assert sd[0, 23] == pytest.approx(0.4 * math.sqrt(1 - 1 / 16))
    assert np.all(np.diff(sd[0]) > 0)
    assert np.allclose(log_price_sd([0.4, 0.2], 0.0, 5), [[0.4] * 5, [0.2] * 5])


def test_simulated_paths_have_that_dispersion():
    x = simulate_log_deviation(np.array([0.5]), 2.0, 36, 20_000, np.random.default_rng(1))
    empirical = x[:, 0, :].std(axis=0)
    assert np.allclose(empirical, log_price_sd([0.5], 2.0, 36)[0], rtol=0.03)
    assert abs(x[:, 0, :].mean()) < 0.01


def _floored(make, tariff=0.0, half_life=0.0):
    project = make.project(capacity_t_per_yr=240.0, failure_probability=0.1)
    floor = ContractedFloor("DoD floor", "X", "P", 100.0, 120.0, 2, 9, upside_share=0.3)
    return make.replace(
        make.newsvendor([(0.0, 1.0)], price_usd_per_kg=80.0, price_log_volatility=0.5),
        projects=(project,), contracted_floors=(floor,),
        policy=make.policy(horizon_months=12, tariff_share=tariff, tariff_price_passthrough=0.5,
                           price_half_life_yr=half_life))


@pytest.mark.parametrize("half_life", [0.0, 1.5])
def test_monte_carlo_mean_agrees_with_the_closed_form(make, half_life):
    inputs = _floored(make, half_life=half_life)
    result = solve(inputs)
    closed = result.status_quo.contracted_floors[0].expected_payout_usd
    fe = fiscal_exposure(inputs, {}, runs=20_000, seed=3)
    (floor,) = fe.floors
    assert floor.contracted and floor.level_usd_per_kg == 100.0
    # 20,000 runs: the mean is within a few percent of the exact expectation.
    assert floor.expected_usd == pytest.approx(closed, rel=0.03)
    assert floor.expected_usd <= floor.p95_usd <= floor.worst_usd
    # At most 8 months x 10 t x 1000 kg x $100 can be paid.
    assert floor.worst_usd <= 8 * 10 * 1000 * 100.0 + 1e-6


def test_the_same_seed_gives_the_same_figures(make):
    inputs = _floored(make)
    assert fiscal_exposure(inputs, {}, runs=500, seed=7) == \
        fiscal_exposure(inputs, {}, runs=500, seed=7)
    assert fiscal_exposure(inputs, {}, runs=500, seed=7) != \
        fiscal_exposure(inputs, {}, runs=500, seed=8)


def test_a_tariff_lowers_payouts_and_its_cost_is_shown_beside(make):
    no_tariff = fiscal_exposure(_floored(make), {}, runs=4000, seed=5)
    tariffed = fiscal_exposure(_floored(make, tariff=1.0), {}, runs=4000, seed=5)
    # Without a tariff the two valuations agree; with one, the US price is 50% higher, so
    # the floor pays less, and the tariff's cost to buyers is reported with it.
    assert no_tariff.total_expected_usd == pytest.approx(no_tariff.total_expected_no_tariff_usd)
    assert tariffed.total_expected_usd < tariffed.total_expected_no_tariff_usd
    assert tariffed.tariff_payout_saving_usd > 0
    assert tariffed.total_expected_no_tariff_usd == pytest.approx(
        no_tariff.total_expected_usd, rel=1e-9)
    # Tariff cost: 100% of $80/kg on the China-exposed imports left after the project.
    assert tariffed.tariff_cost_to_buyers_usd > 0
    assert no_tariff.tariff_cost_to_buyers_usd == 0


def test_refuses_no_runs(make):
    with pytest.raises(ValueError, match="runs must be at least 1"):
        fiscal_exposure(_floored(make), {}, runs=0)
