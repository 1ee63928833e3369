"""Monte Carlo test of a plan: hand-derived expectations, reproducibility, the status quo path
by path, the engine's own recourse and costs, cancel, and the spec."""

import math
import threading
from dataclasses import replace

import numpy as np
import pytest

from reserve_planner.analysis.montecarlo import FixedPlan, simulate_plan
from reserve_planner.analysis.montecarlo_paths import (
    BATCH_PATHS,
    SAMPLE_STREAM,
    batch_rng,
    draw_scenarios,
    sample_inputs,
)
from reserve_planner.io.baseline import load_article_baseline
from reserve_planner.model import (
    DisruptionScenario,
    Material,
    PlanInputs,
    Policy,
    ProjectKind,
    SupplyProject,
)
from reserve_planner.model.montecarlo_spec import (
    EpisodeKind,
    MonteCarloSpec,
    spec_around_scenarios,
    spec_from_dict,
)
from reserve_planner.optimize import solve

from .conftest import small_baseline

P = 0.3  # chance of the disruption
BOUGHT_T = 250.0  # the plan's reserve, bought in month 0
MONTHLY_T = 100.0  # demand per month, all of it China-exposed


def one_material(**policy_kw) -> PlanInputs:
    mat = Material(name="X", demand_t_per_yr=12 * MONTHLY_T, demand_growth_per_yr=0.0,
                   domestic_supply_t_per_yr=(0.0,), allied_supply_t_per_yr=(0.0,),
                   china_exposed_share=1.0, allied_exposed_share=0.0, price_usd_per_kg=50.0,
                   price_log_volatility=0.0, storage_cost_usd_per_t_yr=0.0,
                   shortage_cost_usd_per_kg=10.0, purchase_limit_t_per_month=1e6,
                   release_limit_t_per_month=1e6)
    calm = DisruptionScenario("calm", 1.0, 0, 0, (("X", 0.0),))
    return PlanInputs("one material", (mat,), (), (calm,),
                      Policy(horizon_months=24, annual_budget_usd=1e12, **policy_kw))


def cut_spec(p: float = P) -> MonteCarloSpec:
    """A full cut of 2 to 6 months (uniform), starting in months 3-12, with probability p."""
    return MonteCarloSpec(kinds=(EpisodeKind(
        name="cut", probability=p, earliest_month=3, latest_month=12, duration_months=(2, 6),
        depth_by_material=(("X", 1.0),)),), price_volatility_scale=0.0)


def fixed_reserve(inputs: PlanInputs) -> FixedPlan:
    buy = np.zeros((1, inputs.policy.horizon_months))
    buy[0, 0] = BOUGHT_T
    return FixedPlan(buy, (0.0,))


# By hand: a cut of d months leaves 100 d t unmet in the status quo and max(0, 100 d - 250)
# with the reserve; d uniform on 2..6 gives 0, 50, 150, 250, 350: mean 160 (status quo 400).
HAND_PLAN_T = P * (0 + 50 + 150 + 250 + 350) / 5
HAND_SQ_T = P * 100 * 4


def test_mean_shortfall_converges_to_the_hand_expectation():
    inputs = one_material()
    mc = simulate_plan(inputs, fixed_reserve(inputs), cut_spec(), runs=20_000, seed=7)
    plan, sq = mc.shortfall("X"), mc.shortfall("X", plan=False)
    assert abs(plan.expected - HAND_PLAN_T) < 4 * plan.std_error
    assert abs(sq.expected - HAND_SQ_T) < 4 * sq.std_error
    # shortage damage is the shortfall at $10/kg, undiscounted (rate 0)
    assert mc.shortage_damage().expected == pytest.approx(plan.expected * 10_000, rel=1e-12)
    # the reserve runs out in every cut longer than 2 months: P * 4/5
    p_out = P * 4 / 5
    assert abs(mc.probability_runs_out("X") - p_out) < 4 * math.sqrt(p_out * (1 - p_out)
                                                                     / mc.runs)
    assert plan.worst == pytest.approx(350.0)
    assert sq.worst == pytest.approx(600.0)


def test_standard_error_shrinks_as_one_over_root_n():
    inputs = one_material()
    small = simulate_plan(inputs, fixed_reserve(inputs), cut_spec(), runs=2_000, seed=3)
    large = simulate_plan(inputs, fixed_reserve(inputs), cut_spec(), runs=20_000, seed=3)
    ratio = small.shortfall("X").std_error / large.shortfall("X").std_error
    assert ratio == pytest.approx(math.sqrt(10), rel=0.15)


def test_hazard_start_is_a_truncated_exponential():
    inputs = one_material()
    spec = MonteCarloSpec(kinds=(EpisodeKind(
        name="h", probability=1.0, earliest_month=0, latest_month=23, duration_months=(1, 1),
        depth_by_material=(("X", 1.0),), start_hazard_per_yr=1.0),))
    scen, kind = draw_scenarios(inputs, spec, 20_000, batch_rng(5, 0))
    start = np.array([s.start_month for s in scen])
    assert (kind == 0).all() and start.min() >= 0 and start.max() <= 23
    # P(first arrival in year 1 | within 2 years) = (1 - e^-1) / (1 - e^-2)
    hand = (1 - math.exp(-1)) / (1 - math.exp(-2))
    share = (start < 12).mean()
    assert abs(share - hand) < 4 * math.sqrt(hand * (1 - hand) / start.size)


def test_same_seed_same_numbers_and_first_runs_shared():
    inputs = small_baseline()
    result = solve(inputs)
    a = simulate_plan(inputs, result, runs=1500, seed=11)
    b = simulate_plan(inputs, result, runs=1500, seed=11)
    c = simulate_plan(inputs, result, runs=1500, seed=12)
    longer = simulate_plan(inputs, result, runs=2500, seed=11)
    np.testing.assert_array_equal(a.plan_cost_usd, b.plan_cost_usd)
    np.testing.assert_array_equal(a.status_quo_shortfall_t, b.status_quo_shortfall_t)
    assert a.to_dict()["total_cost_usd"] == b.to_dict()["total_cost_usd"]
    assert not np.array_equal(a.plan_cost_usd, c.plan_cost_usd)
    # the same paths; a batch of other paths solves its LP to the solver's tolerance
    np.testing.assert_array_equal(longer.kind[:1500], a.kind)
    np.testing.assert_allclose(longer.plan_cost_usd[:1500], a.plan_cost_usd, rtol=1e-6)


def test_no_reserve_and_no_floor_is_the_status_quo_path_by_path():
    inputs = small_baseline()
    mc = simulate_plan(inputs, FixedPlan.status_quo(inputs), runs=1200, seed=2)
    # the same recourse to round-off (the status quo's LP holds only its free columns)
    np.testing.assert_allclose(mc.plan_cost_usd, mc.status_quo_cost_usd, rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(mc.plan_shortfall_t, mc.status_quo_shortfall_t, atol=1e-9)
    np.testing.assert_allclose(mc.plan_outlay_usd, mc.status_quo_outlay_usd, atol=1e-6)
    assert np.abs(mc.cost_difference_usd).max() < 1e-3


def test_percentiles_ordered_and_the_plan_beats_the_status_quo_on_average():
    inputs = small_baseline()
    mc = simulate_plan(inputs, solve(inputs), runs=2000, seed=4)
    dists = [mc.cost(), mc.cost(False), mc.outlay(), mc.cost_difference(),
             mc.shortage_damage(False)]
    dists += [mc.shortfall(m, p) for m in mc.material_names for p in (True, False)]
    for d in dists:
        assert d.p5 <= d.p50 <= d.p95 <= d.worst
        assert d.expected <= d.worst
    for m in mc.material_names:  # a reserve never adds unmet demand, path by path
        i = mc.material_names.index(m)
        assert (mc.plan_shortfall_t[:, i] <= mc.status_quo_shortfall_t[:, i] + 1e-9).all()


def test_paths_played_with_the_engine_recourse_and_costs():
    """Expected project output and no price noise: every path's cost is the engine's own
    loss for that path as a scenario (solved on the sample), plan and status quo."""
    base = small_baseline()
    base = replace(base, materials=tuple(replace(m, price_log_volatility=0.0)
                                         for m in base.materials))
    spec = replace(spec_around_scenarios(base), project_failures=False)
    inputs = sample_inputs(base, spec, 60, seed=9)
    result = solve(inputs)
    assert result.status.has_plan
    mc = simulate_plan(inputs, result, spec, runs=60, seed=9, stream=SAMPLE_STREAM)
    np.testing.assert_allclose(mc.plan_cost_usd, [s.loss_usd for s in result.scenarios],
                               rtol=1e-7, atol=1.0)
    np.testing.assert_allclose(mc.status_quo_cost_usd, result.status_quo.scenario_losses_usd,
                               rtol=1e-7, atol=1.0)
    damage = [s.shortage_usd for s in result.scenarios]
    np.testing.assert_allclose(mc.plan_shortage_usd, damage, rtol=1e-6, atol=1.0)


def test_project_failures_are_drawn():
    inputs = one_material()
    proj = SupplyProject(name="P", material="X", kind=ProjectKind.DOMESTIC,
                         capacity_t_per_yr=600.0, unit_cost_usd_per_kg=40.0,
                         earliest_online_month=0, ramp_up_months=0, failure_probability=0.5,
                         committed_by="offtake")
    inputs = replace(inputs, projects=(proj,))
    spec = cut_spec(p=1.0)
    mc = simulate_plan(inputs, FixedPlan.status_quo(inputs), spec, runs=4000, seed=1)
    # the committed project halves the monthly gap when it survives: unmet 50 d or 100 d
    sq = mc.status_quo_shortfall_t[:, 0]
    assert mc.shortfall("X", False).expected == pytest.approx(0.5 * 200 + 0.5 * 400, rel=0.05)
    assert np.isin(np.round(sq), [100, 150, 200, 250, 300, 200, 300, 400, 500, 600]).all()
    expected = simulate_plan(inputs, FixedPlan.status_quo(inputs),
                             replace(spec, project_failures=False), runs=4000, seed=1)
    # expected output 25 t/month: a gap of 75 t/month, 75 d t unmet in every cut
    assert np.allclose(np.round(expected.status_quo_shortfall_t[:, 0], 9) % 75, 0)


def test_cancel_stops_after_the_batch_in_progress():
    inputs = small_baseline()
    result = solve(inputs)
    cancel = threading.Event()
    seen = []

    def progress(done, total):
        seen.append((done, total))
        cancel.set()

    mc = simulate_plan(inputs, result, runs=5 * BATCH_PATHS, seed=1, cancel=cancel,
                       on_progress=progress)
    assert seen == [(BATCH_PATHS, 5 * BATCH_PATHS)]
    assert mc.runs == BATCH_PATHS and mc.cancelled and mc.plan_cost_usd.shape == (BATCH_PATHS,)


def test_sample_average_approximation_gap():
    base = small_baseline()
    spec = spec_around_scenarios(base)
    inputs = sample_inputs(base, spec, 80, seed=5)
    assert len(inputs.scenarios) == 80
    assert sum(s.probability for s in inputs.scenarios) == pytest.approx(1.0, abs=1e-12)
    result = solve(inputs)
    mc = simulate_plan(base, result, spec, runs=1000, seed=6, sample=(80, 5))
    gap = mc.sample_gap
    assert gap.in_sample_usd == pytest.approx(result.expected_cost_usd)
    assert gap.out_of_sample_usd == pytest.approx(mc.cost().expected)
    assert gap.gap_usd == pytest.approx(gap.out_of_sample_usd - gap.in_sample_usd)
    losses = np.array([s.loss_usd for s in result.scenarios])  # equally likely paths
    assert gap.in_sample_std_error_usd == pytest.approx(losses.std() / math.sqrt(80), rel=1e-6)
    assert gap.combined_std_error_usd == pytest.approx(
        math.sqrt(gap.in_sample_std_error_usd ** 2 + mc.cost().std_error ** 2))
    assert mc.to_dict()["sample_gap"]["gap_usd"] == pytest.approx(gap.gap_usd)


def test_default_spec_keeps_the_baseline_probabilities():
    base = load_article_baseline()
    spec = spec_around_scenarios(base)
    calm = sum(s.probability for s in base.scenarios if s.duration_months == 0)
    assert spec.calm_probability == pytest.approx(calm)
    assert spec.validate(base) == []
    assert all(k.source for k in spec.kinds) and spec.source
    embargo = next(k for k in spec.kinds if k.name == "Full embargo, 6 months, from 2031")
    # its start follows the scenario's own window (2031-2033), not the stated month +-12
    scenario = next(s for s in base.scenarios if s.name == embargo.name)
    assert (embargo.earliest_month, embargo.latest_month) == (
        scenario.earliest_start_month, scenario.latest_start_month) == (48, 83)
    assert embargo.duration_months == (3, 9)
    assert embargo.price_multiplier_during == pytest.approx((3.25, 4.75))
    assert spec_from_dict(spec.to_dict()) == spec


def test_bad_spec_and_bad_runs_say_what_is_wrong():
    inputs = one_material()
    bad = MonteCarloSpec(kinds=(EpisodeKind(
        name="cut", probability=0.7, earliest_month=3, latest_month=40, duration_months=(0, 2),
        depth_by_material=(("Y", 1.0),)), EpisodeKind(
        name="two", probability=0.5, earliest_month=0, latest_month=1, duration_months=(1, 1),
        depth_by_material=(("X", 1.5),))))
    with pytest.raises(ValueError) as err:
        simulate_plan(inputs, fixed_reserve(inputs), bad, runs=10)
    text = str(err.value)
    for part in ("add up to more than 1", "latest", "duration_months", "no such material",
                 "depth_by_material[X]"):
        assert part in text
    with pytest.raises(ValueError, match="runs must be at least 1"):
        simulate_plan(inputs, fixed_reserve(inputs), cut_spec(), runs=0)
    with pytest.raises(ValueError, match="kinds\\[0\\]: missing 'probability'"):
        spec_from_dict({"kinds": [{"name": "x"}]})


def test_frames_have_units_and_one_row_per_path():
    inputs = small_baseline()
    mc = simulate_plan(inputs, solve(inputs), runs=300, seed=1)
    frames = mc.to_frames()
    assert len(frames["paths"]) == 300
    assert "plan cost [$]" in frames["paths"].columns
    assert "expected [$]" in frames["summary"].columns
    assert "shortfall p95 [t]" in frames["materials"].columns
    assert set(frames["materials"]["material"]) == set(mc.material_names)


def test_release_lag_leaves_the_first_months_unmet():
    """A one-month decision lag: the first month of a cut is unmet whatever the reserve,
    then the 250 t cover the rest: 100 + max(0, 100 (d - 1) - 250) t for d = 2..6 months,
    i.e. 100, 100, 150, 250, 350 (mean 190)."""
    inputs = one_material(release_lag_months=1)
    mc = simulate_plan(inputs, fixed_reserve(inputs), cut_spec(), runs=20_000, seed=7)
    plan = mc.shortfall("X")
    assert abs(plan.expected - P * 190) < 4 * plan.std_error
    assert plan.worst == pytest.approx(350.0)
    cut_paths = mc.kind >= 0
    assert mc.plan_shortfall_t[cut_paths, 0].min() == pytest.approx(100.0)


def test_no_reserve_held_cannot_run_out():
    inputs = one_material()
    mc = simulate_plan(inputs, FixedPlan.status_quo(inputs), cut_spec(), runs=500, seed=1)
    assert math.isnan(mc.probability_runs_out("X")) and math.isnan(mc.probability_runs_out())
    held = simulate_plan(inputs, fixed_reserve(inputs), cut_spec(), runs=500, seed=1)
    assert held.probability_runs_out() == held.probability_runs_out("X") > 0


def test_json_has_no_nan():
    import json

    inputs = one_material()
    mc = simulate_plan(inputs, FixedPlan.status_quo(inputs), cut_spec(), runs=1, seed=1)
    text = json.dumps(mc.to_dict(), allow_nan=False)  # raises on NaN or infinity
    assert json.loads(text)["materials"][0]["probability_reserve_runs_out"] is None
