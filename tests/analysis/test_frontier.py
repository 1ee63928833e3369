"""Frontiers: along a rising risk weight the expected cost never falls and the CVaR never
rises; more budget never raises the objective; the base's own setting is marked chosen."""

import numpy as np
import pytest

from reserve_planner.analysis import SerialExecutor, budget_frontier, risk_frontier
from reserve_planner.analysis.outcome import SWEEP_OPTIONS
from reserve_planner.optimize import solve

REL = 1e-6  # the MILP gap and LP tolerances


def test_risk_frontier_is_monotone(small):
    f = risk_frontier(small, weights=(0.0, 0.1, 0.3, 0.6, 1.0, 2.0, 4.0),
                      executor=SerialExecutor())
    lam = f.values
    assert list(lam) == sorted(lam) and small.policy.risk_aversion in lam
    e, c = f.series("expected_cost_usd"), f.series("cvar_usd")
    scale = abs(f.series("objective_usd")).max()
    assert np.all(np.diff(e) >= -REL * scale), e
    assert np.all(np.diff(c) <= REL * scale), c
    assert c[0] - c[-1] > 0  # the weight buys some risk reduction on this instance
    assert f.chosen.value == small.policy.risk_aversion
    direct = solve(small, SWEEP_OPTIONS)
    assert f.chosen.outcome.objective_usd == pytest.approx(direct.objective_usd, rel=1e-12)


def test_budget_frontier_more_budget_never_costs_more(small):
    f = budget_frontier(small, executor=SerialExecutor())
    b = f.values
    assert b[0] == 0.0 and small.policy.annual_budget_usd in b
    obj = f.series("objective_usd")
    assert np.all(np.diff(obj) <= REL * abs(obj).max()), obj
    avoided = f.series("shortage_avoided_usd")
    assert avoided[-1] > avoided[0]
    frame = f.to_frame()
    assert list(frame.columns[:3]) == ["annual_budget_usd", "chosen", "status"]
    assert frame["chosen"].sum() == 1
    assert f.to_dict()["points"][0]["value"] == 0.0
