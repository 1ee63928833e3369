"""Solving the article baseline, and what happens with inputs that cannot give a plan."""

import json
import math
from dataclasses import replace

import numpy as np
import pytest

from reserve_planner.io.baseline import load_article_baseline
from reserve_planner.optimize import SolveStatus, solve


@pytest.fixture(scope="module")
def baseline():
    return load_article_baseline()


@pytest.fixture(scope="module")
def result(baseline):
    return solve(baseline)


def test_baseline_is_optimal_with_a_ndpr_reserve_and_a_floor_decision(result):
    assert result.status is SolveStatus.OPTIMAL
    ndpr = result.material("NdPr oxide")
    assert ndpr.reserve_target_t > 0
    assert ndpr.floor.level_usd_per_kg in ndpr.floor.candidates_usd_per_kg
    assert 0.0 in ndpr.floor.candidates_usd_per_kg


def test_reported_figures_are_consistent(baseline, result):
    assert result.costs.total_usd == pytest.approx(result.objective_usd, rel=1e-9)
    for m in result.materials:
        mat = baseline.material(m.material)
        assert m.reserve_target_t == pytest.approx(mat.starting_stock_t + m.fill_schedule_t.sum())
        assert np.all(m.fill_schedule_t <= mat.purchase_limit_t_per_month + 1e-6)
        # IEA convention: 90% of the stock over the previous year's net imports per day
        if m.net_imports_t_per_yr > 0:
            assert m.days_of_import_cover == pytest.approx(
                0.9 * m.reserve_target_t / (m.net_imports_t_per_yr / 365.0))
        else:  # filled in a year domestic output covers demand: no imports to cover
            assert m.days_of_import_cover == math.inf
        assert m.expected_unmet_t <= m.expected_unmet_without_plan_t + 1e-9
    probs = np.array([s.probability for s in result.scenarios])
    losses = np.array([s.loss_usd for s in result.scenarios])
    c = result.costs
    assert probs @ losses == pytest.approx(c.total_usd - c.risk_premium_usd, rel=1e-9)
    for s in result.scenarios:
        assert np.all(s.stock_t >= -1e-6)
        assert np.all(s.releases_t <= s.stock_t[:, :-1] + 1e-6)


def test_budget_is_respected_each_year(baseline, result):
    price = np.array([m.price_usd_per_kg for m in baseline.materials])
    china = np.array([m.china_exposed_share for m in baseline.materials])
    pol = baseline.policy
    dom_price = price * (1 + pol.tariff_share * pol.tariff_price_passthrough * china) * 1000
    buy = np.stack([m.fill_schedule_t for m in result.materials])
    spend = (dom_price[:, None] * buy).reshape(len(price), -1, 12).sum(axis=(0, 2))
    assert np.all(spend <= pol.annual_budget_usd * (1 + 1e-7))
    assert len(result.budget_value_usd_per_usd) == pol.horizon_years


def test_vss_and_benefit(result):
    assert result.vss_usd >= 0
    assert result.eev_usd == pytest.approx(result.objective_usd + result.vss_usd)
    assert all(m.expected_unmet_t <= m.expected_unmet_without_plan_t + 1e-6
               for m in result.materials)
    assert any(m.expected_unmet_t < m.expected_unmet_without_plan_t for m in result.materials)
    assert result.expected_shortage_avoided_usd > 0


def test_to_dict_is_json_ready(result):
    data = json.loads(json.dumps(result.to_dict()))
    assert data["status"] == "optimal"
    assert data["materials"][0]["material"] == "NdPr oxide"
    assert len(data["materials"][0]["fill_schedule_t"]) == 120
    assert data["costs"]["total_usd"] == pytest.approx(result.objective_usd)


def test_halving_the_budget_never_helps(baseline, result):
    budget = baseline.policy.annual_budget_usd / 2
    half = replace(baseline, policy=replace(baseline.policy, annual_budget_usd=budget))
    assert solve(half).objective_usd >= result.objective_usd - 1e-6


def test_invalid_inputs_are_reported_not_raised(baseline):
    bad = replace(baseline, scenarios=(replace(baseline.scenarios[0], probability=1.4),
                                       *baseline.scenarios[1:]))
    result = solve(bad)
    assert result.status is SolveStatus.INVALID_INPUT
    assert not result.status.has_plan
    assert "scenarios/No disruption/probability: probability must be at most 1 (got 1.4)" in \
        result.problems
    assert any("add up to 1" in p for p in result.problems)


def test_contradictory_limits_name_the_conflict(baseline):
    # 365 days of every material by 2030 cannot be bought within $167M a year.
    pol = replace(baseline.policy, min_cover_days=365.0, min_cover_by_month=36)
    result = solve(replace(baseline, policy=pol))
    assert result.status is SolveStatus.INFEASIBLE
    groups = {c.group for c in result.conflicts}
    assert groups & {"annual budget", "purchase limit"}
    assert "minimum cover" in groups or "annual budget" in groups
    assert result.message.startswith("No plan meets all limits. These conflict:")


def test_cover_beyond_the_purchase_limit_blames_the_purchase_limit(baseline):
    rich = replace(baseline.policy, annual_budget_usd=1e12, min_cover_days=365.0,
                   min_cover_by_month=6)
    result = solve(replace(baseline, policy=rich))
    assert result.status is SolveStatus.INFEASIBLE
    blamed = {(c.group, c.where) for c in result.conflicts}
    assert ("purchase limit", "NdPr oxide") in blamed or ("minimum cover", "NdPr oxide") in blamed
    assert not any(c.group == "annual budget" for c in result.conflicts)


def _net_imports(baseline, mat, year: int) -> float:
    """Net imports of plan year ``year`` (-1: the year before the start) by hand [t/yr]:
    demand less domestic supply and the expected output of committed domestic projects."""
    demand = mat.demand_t_per_yr * (1 + mat.demand_growth_per_yr) ** year
    domestic = mat.domestic_supply_t_per_yr[min(max(year, 0), len(mat.domestic_supply_t_per_yr)
                                                - 1)]
    months = range(max(year, 0) * 12, max(year, 0) * 12 + 12)
    for p in baseline.projects:
        if p.material == mat.name and p.kind.value == "domestic" and baseline.is_committed(p):
            ramp = [min(max((t - p.earliest_online_month + 1) / max(p.ramp_up_months, 1), 0), 1)
                    for t in months]
            domestic += p.capacity_t_per_yr * (1 - p.failure_probability) * sum(ramp) / 12
    return max(demand - domestic, 0.0)


def test_minimum_cover_is_met_when_affordable(baseline):
    pol = replace(baseline.policy, min_cover_days=90.0, min_cover_by_month=48,
                  annual_budget_usd=5e8)
    result = solve(replace(baseline, policy=pol))
    assert result.status is SolveStatus.OPTIMAL
    for m in result.materials:
        mat = baseline.material(m.material)
        held_before = np.concatenate([[0.0], np.cumsum(m.fill_schedule_t)])  # (T+1,)
        for t in range(48, 121):
            year = min(t, 119) // 12
            # IEA: 90 days of the previous year's net imports, 10% of stock unavailable
            need = 90 / 365 * _net_imports(baseline, mat, year - 1) / 0.9
            assert held_before[t] >= need - 1e-6, (m.material, t)


def test_floor_appraisal_and_perfect_information(baseline):
    from reserve_planner.optimize import SolveOptions

    full = solve(baseline, SolveOptions(appraise_floors=True, perfect_information=True))
    for m in full.materials:
        levels = [o.level_usd_per_kg for o in m.floor.appraisal]
        assert levels == list(m.floor.candidates_usd_per_kg)
        chosen = [o for o in m.floor.appraisal if o.level_usd_per_kg == m.floor.level_usd_per_kg]
        assert chosen[0].objective_change_usd == 0.0
        assert all(o.objective_change_usd >= 0 for o in m.floor.appraisal)
    # Pinning NdPr to "no floor" by hand costs what the appraisal says.
    ndpr = full.material("NdPr oxide")
    pinned = replace(baseline, policy=replace(
        baseline.policy, floor_candidates_usd_per_kg=(("NdPr oxide", (0.0,)),)))
    no_floor = next(o for o in ndpr.floor.appraisal if o.level_usd_per_kg == 0.0)
    assert solve(pinned).objective_usd - full.objective_usd == pytest.approx(
        no_floor.objective_change_usd, rel=1e-6, abs=1.0)
    assert full.wait_and_see_usd <= full.objective_usd
    assert full.evpi_usd == pytest.approx(full.objective_usd - full.wait_and_see_usd)
    assert full.evpi_usd >= 0


def test_one_scenario_has_no_value_of_information(baseline):
    from reserve_planner.optimize import SolveOptions

    embargo = next(s for s in baseline.scenarios if s.name.startswith("Full embargo, 12"))
    # a known start: with a start window the scenario would be several start-month variants
    alone = replace(baseline, scenarios=(replace(embargo, probability=1.0,
                                                 earliest_start_month=None,
                                                 latest_start_month=None),))
    r = solve(alone, SolveOptions(perfect_information=True))
    assert r.evpi_usd == pytest.approx(0.0, abs=1e-6 * abs(r.objective_usd))
    assert r.vss_usd == pytest.approx(0.0, abs=1e-6 * abs(r.objective_usd))


def test_a_time_limit_too_short_says_so(baseline):
    from reserve_planner.optimize import SolveOptions

    r = solve(baseline, SolveOptions(time_limit_s=1e-9))
    assert r.status in (SolveStatus.ERROR, SolveStatus.TIME_LIMIT)
    if r.status is SolveStatus.ERROR:
        assert "time limit" in r.message and not r.status.has_plan
