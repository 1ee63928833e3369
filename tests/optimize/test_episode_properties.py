"""Properties of scenarios with more than one episode (hypothesis): the stock a scenario
holds never goes negative (releases stay within what was held at each spell's start, plus
refills), refills only ever lower the cost (they relax the model), and the plan never costs
more than the status quo."""

from dataclasses import replace

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reserve_planner.model import LaterEpisode
from reserve_planner.optimize import SolveOptions, SolveStatus, solve
from reserve_planner.optimize.data import build_plan_data
from reserve_planner.optimize.formulation import build_model
from reserve_planner.optimize.solve import _run_lp

from .test_properties import instances

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


@st.composite
def staged(draw):
    """A random instance whose disruption scenarios each get a later episode."""
    inputs = draw(instances())
    scenarios = []
    for s in inputs.scenarios:
        if s.duration_months > 0:
            e = LaterEpisode(gap_months=draw(st.integers(0, 8)),
                             duration_months=draw(st.integers(1, 6)),
                             depth_by_material=(("A", draw(st.floats(0.1, 1.0))),),
                             price_multiplier_during=draw(st.floats(1.0, 4.0)))
            s = replace(s, later_episodes=(e,))
        scenarios.append(s)
    return replace(inputs, scenarios=tuple(scenarios))


@SETTINGS
@given(staged())
def test_stock_never_negative_and_plan_never_dearer_than_the_status_quo(inputs):
    result = solve(inputs, SolveOptions(diagnostics=False))
    assert result.status is SolveStatus.OPTIMAL, result.message
    for s in result.scenarios:
        assert float(s.stock_t.min()) >= -1e-6 * max(1.0, float(np.abs(s.stock_t).max()))
        assert np.all(s.refill_t >= -1e-9)
    assert result.objective_usd <= result.status_quo.objective_usd + 1e-6 * max(
        1.0, abs(result.status_quo.objective_usd))


@SETTINGS
@given(staged())
def test_refills_never_raise_the_cost(inputs):
    model = build_model(build_plan_data(inputs))
    free = _run_lp(model, model.col_lo, model.col_hi)
    hi = model.col_hi.copy()
    hi[model.refill] = 0.0
    none = _run_lp(model, model.col_lo, hi)
    assert free.ok and none.ok
    assert free.fun <= none.fun + 1e-6 * max(1.0, abs(none.fun))
