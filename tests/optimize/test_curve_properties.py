"""The engine's properties on random small instances with a demand curve and a spot market
(hypothesis; the instances of ``test_properties``, each material given a curve and spot
volume): the cost breakdown adds up, the plan never costs more than doing nothing, more
budget never raises the objective, VSS >= 0, and the floor branch and bound agrees with
scipy's MILP."""

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reserve_planner.model import DemandCurve
from reserve_planner.optimize import SolveOptions, SolveStatus, solve
from reserve_planner.optimize.data import build_plan_data
from reserve_planner.optimize.formulation import build_model
from reserve_planner.optimize.solve import _run_milp

from .test_properties import instances, instances_with_projects

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])
FAST = SolveOptions(diagnostics=False)


@st.composite
def curved(draw, base=instances):
    inputs = draw(base())
    mats = tuple(replace(
        m, demand_curve=draw(st.sampled_from([DemandCurve.CONSTANT_ELASTICITY,
                                              DemandCurve.LINEAR])),
        demand_elasticity=draw(st.floats(0.1, 2.0)),
        shortage_cost_usd_per_kg=m.price_usd_per_kg * draw(st.floats(1.5, 50.0)),
        spot_limit_t_per_month=draw(st.sampled_from([0.0, 1.0, 20.0])) * m.demand_t_per_yr
        / 1200.0) for m in inputs.materials)
    scen = tuple(replace(s, price_from_curve=draw(st.booleans())) for s in inputs.scenarios)
    return replace(inputs, materials=mats, scenarios=scen)


@SETTINGS
@given(curved())
def test_curved_breakdown_adds_up_and_plan_beats_doing_nothing(inputs):
    result = solve(inputs)
    assert result.status is SolveStatus.OPTIMAL
    assert result.costs.total_usd == pytest.approx(result.objective_usd, rel=1e-7, abs=1e-3)
    assert result.objective_usd <= result.cost_without_plan_usd * (1 + 1e-9) + 1e-6
    assert result.vss_usd >= 0.0


@SETTINGS
@given(curved(), st.floats(1.1, 10.0))
def test_curved_more_budget_never_raises_the_objective(inputs, factor):
    base = solve(inputs, FAST)
    richer = solve(replace(inputs, policy=replace(
        inputs.policy, annual_budget_usd=inputs.policy.annual_budget_usd * factor)), FAST)
    assert richer.objective_usd <= base.objective_usd + 1e-7 * abs(base.objective_usd) + 1e-6


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(curved(base=instances_with_projects))
def test_curved_floor_branch_and_bound_matches_scipy_milp(inputs):
    model = build_model(build_plan_data(inputs))
    reference = _run_milp(model, FAST)
    ours = solve(inputs, FAST)
    assert reference.status == 0 and ours.status is SolveStatus.OPTIMAL
    assert ours.objective_usd == pytest.approx(reference.fun, rel=1e-6, abs=1e-3)


@SETTINGS
@given(curved(), st.floats(0.2, 0.9))
def test_a_steeper_damage_curve_never_lowers_the_reserve(inputs, factor):
    """One material, no floor (no projects), no risk term: a smaller elasticity makes the
    tiered marginal damage no lower at any shortfall (test_demand_curve explains why), so
    each tonne held is worth at least as much and the reserve never shrinks."""
    inputs = replace(inputs, policy=replace(inputs.policy, risk_aversion=0.0))
    steep = replace(inputs, materials=tuple(
        replace(m, demand_elasticity=m.demand_elasticity * factor) for m in inputs.materials))
    base_t = solve(inputs, FAST).materials[0].reserve_target_t
    steep_t = solve(steep, FAST).materials[0].reserve_target_t
    assert steep_t >= base_t - 1e-6 * max(1.0, base_t)

