"""Emergency spot purchases (docs/model.md, "Decisions", "Objective"): with the spot market
unlimited and a flat damage the model is the textbook two-stage purchase problem, buy ahead
at today's price plus carrying cost or buy later at a random scenario price."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from reserve_planner.optimize import SolveOptions, SolveStatus, solve
from reserve_planner.optimize.data import build_plan_data
from reserve_planner.optimize.formulation import build_model
from reserve_planner.optimize.solve import fixed_recourse, separable_spot

P = 50_000.0  # normal price [$/t] ($50/kg)
H = 40_000.0  # carrying cost of a tonne over the one month boundary [$/t]


def two_stage(make, spot=1e6, **kw):
    # One material, 100 t/month of demand, all of it China-exposed. Buy in month 0; in
    # month 1 scenario s cuts X_s = depth_s x 100 t and the price is mu_s P:
    #   s0: X = 0,   mu = 1, p = 0.5      s1: X = 50, mu = 2, p = 0.3
    #   s2: X = 100, mu = 4, p = 0.2
    # No discounting, stock left over credited at cost, released stock and spot tonnes
    # sold to users at the normal price, damage $1,000/kg (far above any spot premium).
    scen = (make.scenario("s0", 0.5, 1, 1, {"X": 0.0}, price_multiplier_during=1.0),
            make.scenario("s1", 0.3, 1, 1, {"X": 0.5}, price_multiplier_during=2.0),
            make.scenario("s2", 0.2, 1, 1, {"X": 1.0}, price_multiplier_during=4.0))
    mat = make.material(storage_cost_usd_per_t_yr=12 * H, shortage_cost_usd_per_kg=1000.0,
                        spot_limit_t_per_month=spot, **kw)
    return make.replace(make.newsvendor([(0.0, 1.0)]), materials=(mat,), scenarios=scen)


def test_unlimited_spot_and_flat_damage_is_the_two_stage_purchase_problem(make):
    # Loss(S) = H S + sum_s p_s (mu_s - 1) P (X_s - S)+  (the normal price of every tonne
    # used cancels: a held tonne is bought at P, sold at P or credited at P; a spot tonne
    # costs mu_s P and is sold at P). The marginal value of the S-th tonne held is
    #   S < 50:  0.3 x 1 x 50,000 + 0.2 x 3 x 50,000 = 15,000 + 30,000 = 45,000 > H
    #   50-100:  0.2 x 3 x 50,000 = 30,000 < H
    # so S* = 50 t, and
    #   Loss(50)  = 40,000 x 50 + 0.2 x 150,000 x 50 = 2,000,000 + 1,500,000 = 3,500,000
    #   (Loss(0)  = 0.3 x 50,000 x 50 + 0.2 x 150,000 x 100 = 3,750,000,
    #    Loss(100) = 4,000,000: both higher).
    # Mean-value problem: X = 0.3 x 50 + 0.2 x 100 = 35 t at mu = 0.5 + 0.6 + 0.8 = 1.9:
    #   its tonne is worth 0.9 x 50,000 = 45,000 > H, so it holds 35 t. In the three
    #   scenarios: EEV = 40,000 x 35 + 0.3 x 50,000 x 15 + 0.2 x 150,000 x 65
    #                  = 1,400,000 + 225,000 + 1,950,000 = 3,575,000; VSS = 75,000.
    # Perfect information: s0 holds 0 (cost 0); s1 holds 50 (50,000 > H; 2,000,000);
    #   s2 holds 100 (150,000 > H; 4,000,000). Wait-and-see = 0.3 x 2e6 + 0.2 x 4e6 =
    #   1,400,000; EVPI = 3,500,000 - 1,400,000 = 2,100,000.
    r = solve(two_stage(make), SolveOptions(perfect_information=True))
    assert r.status is SolveStatus.OPTIMAL
    assert r.materials[0].fill_schedule_t[0] == pytest.approx(50.0, abs=1e-6)
    assert r.objective_usd == pytest.approx(3_500_000.0, rel=1e-9)
    assert r.costs.shortage_usd == pytest.approx(0.0, abs=1e-6)  # spot covers the rest
    assert r.costs.spot_premium_usd == pytest.approx(1_500_000.0, rel=1e-9)
    assert r.eev_usd == pytest.approx(3_575_000.0, rel=1e-9)
    assert r.vss_usd == pytest.approx(75_000.0, rel=1e-6)
    assert r.wait_and_see_usd == pytest.approx(1_400_000.0, rel=1e-9)
    assert r.evpi_usd == pytest.approx(2_100_000.0, rel=1e-6)
    spot = {s.name: s.spot_t[0, 1] for s in r.scenarios}
    assert spot == pytest.approx({"s0": 0.0, "s1": 0.0, "s2": 50.0}, abs=1e-6)


def test_a_limited_spot_market_leaves_the_rest_unmet(make):
    # 20 t/month of spot: with S held the s2 shortfall beyond S + 20 t is unmet at the
    # damage, so a tonne held beyond 80 t in s2 avoids 1,000,000 $ x 0.2 = 200,000 > H,
    # while a tonne beyond 80 t only saves s2's spot premium, 0.2 x 150,000 = 30,000 < H:
    # 80 t is held, s1 is covered from stock, s2 buys its last 20 t spot. Loss(80) =
    # 40,000 x 80 + 0.2 x 150,000 x 20 = 3,200,000 + 600,000 = 3,800,000.
    r = solve(two_stage(make, spot=20.0))
    assert r.materials[0].fill_schedule_t[0] == pytest.approx(80.0, abs=1e-6)
    assert r.objective_usd == pytest.approx(3_800_000.0, rel=1e-9)


def test_extraterritorial_rules_cut_unlicensed_spot_volume(make):
    # allied exposed share 0.5 in a scenario that applies China's rules: 40 t/month of spot
    # becomes 20 t unless China-origin material can be bought under licence.
    base = two_stage(make, spot=40.0, allied_exposed_share=0.5)
    scen = tuple(make.replace(s, hits_allied_supply=True) for s in base.scenarios)
    caught = build_plan_data(make.replace(base, scenarios=scen))
    assert caught.spot_cap[:, 0] == pytest.approx([20.0, 20.0, 20.0])
    licensed = make.replace(base, scenarios=scen, materials=(make.replace(
        base.materials[0], spot_china_licensed=True),))
    assert build_plan_data(licensed).spot_cap[:, 0] == pytest.approx([40.0, 40.0, 40.0])


def test_status_quo_spot_without_stock_matches_the_recourse_lp(make):
    # With no starting stock the status quo holds nothing, so each cell's spot purchase is
    # its own decision (solve.separable_spot). Hand case, the three scenarios above with a
    # 30 t/month spot market and a linear demand curve of elasticity 0.1 (damage P0 x^2 /
    # 2e per t of demand): its tiers break where the price reaches 287.5 $/kg (x = 0.475)
    # and 525 $/kg (x = 0.95), chords P0 (0 + 0.475) / 0.2 = 118,750 $/t and
    # P0 (0.475 + 0.95) / 0.2 = 356,250 $/t. A spot tonne is bought while the slope of
    # the unmet demand's tier exceeds the premium (mu - 1) P: s1 (premium 50,000) from the
    # first tonne, s2 (premium 150,000) down to 47.5 t unmet; both reach the 30 t limit.
    inputs = two_stage(make, spot=30.0, demand_curve="linear", demand_elasticity=0.1)
    d = build_plan_data(inputs)
    gap = d.gap_no_floor
    fast = separable_spot(d, gap)
    # the fast path is taken with no stock and no risk term: force the LP for comparison
    rich = replace(d, stock0=np.full(d.M, 1e-12))
    lp = fixed_recourse(rich, np.zeros((d.M, d.T)), None, model=build_model(rich),
                        refills=False)
    np.testing.assert_allclose(fast, lp[2], atol=1e-6)
    assert fast[1, 0, 1] == pytest.approx(30.0) and fast[2, 0, 1] == pytest.approx(30.0)
    assert fast[0].sum() == 0.0
    r = solve(inputs)
    sq_spot = sum(s.probability * fast[i].sum() for i, s in enumerate(d.inputs.scenarios))
    assert r.status_quo.expected_unmet_by_material_t == pytest.approx(
        tuple(np.einsum("s,smt->m", d.prob, gap - fast)))
    assert sq_spot > 0
