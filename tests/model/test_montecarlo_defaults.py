"""The default Monte Carlo spec follows each scenario's own start window or hazard."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from reserve_planner.analysis.montecarlo_paths import batch_rng, draw_scenarios
from reserve_planner.io.baseline import load_article_baseline
from reserve_planner.model.montecarlo_spec import (
    WINDOW_HALF_WIDTH_MONTHS,
    MonteCarloSpec,
    spec_around_scenarios,
)


def _one(scenario_changes: dict, horizon: int = 120):
    base = load_article_baseline()
    s = replace(base.scenarios[1], probability=1.0, **scenario_changes)
    inputs = replace(base, scenarios=(s,), policy=replace(base.policy,
                                                          horizon_months=horizon))
    return inputs, spec_around_scenarios(inputs)


def _starts(inputs, spec: MonteCarloSpec, n: int = 20_000) -> np.ndarray:
    paths, kind = draw_scenarios(inputs, spec, n, batch_rng(4, 0, 0))
    return np.array([p.start_month for p, k in zip(paths, kind, strict=True) if k >= 0])


def test_a_window_gives_starts_uniform_over_it():
    inputs, spec = _one({"earliest_start_month": 24, "latest_start_month": 48,
                         "start_hazard_per_yr": 0.0})
    (kind,) = spec.kinds
    assert (kind.earliest_month, kind.latest_month, kind.start_hazard_per_yr) == (24, 48, 0)
    starts = _starts(inputs, spec)
    assert starts.min() == 24 and starts.max() == 48
    # uniform over 25 whole months: mean 36, sd sqrt((25^2 - 1) / 12) = 7.2
    assert starts.mean() == pytest.approx(36.0, abs=4 * 7.2 / np.sqrt(len(starts)))
    assert "window, months 24-48" in kind.source


def test_a_hazard_gives_the_first_arrival_weights():
    inputs, spec = _one({"earliest_start_month": 0, "latest_start_month": 59,
                         "start_hazard_per_yr": 0.5})
    (kind,) = spec.kinds
    assert kind.start_hazard_per_yr == 0.5
    months = np.arange(60)
    w = np.exp(-0.5 * months / 12.0)  # a first arrival at 0.5/yr, within the window
    mean = float(months @ w / w.sum())
    sd = float(np.sqrt(((months - mean) ** 2) @ w / w.sum()))
    starts = _starts(inputs, spec)
    assert starts.mean() == pytest.approx(mean, abs=4 * sd / np.sqrt(len(starts)))


def test_a_window_past_the_horizon_leaves_its_tail_calm():
    # window 100-139 in a 120-month plan: half of its uniform starts fall after the end
    inputs, spec = _one({"earliest_start_month": 100, "latest_start_month": 139,
                         "start_hazard_per_yr": 0.0})
    (kind,) = spec.kinds
    assert kind.latest_month == 119
    assert kind.probability == pytest.approx(0.5)
    assert spec.calm_probability == pytest.approx(0.5)


def test_a_known_start_keeps_twelve_months_either_side():
    inputs, spec = _one({"earliest_start_month": None, "latest_start_month": None,
                         "start_hazard_per_yr": 0.0, "start_month": 30})
    (kind,) = spec.kinds
    assert (kind.earliest_month, kind.latest_month) == (30 - WINDOW_HALF_WIDTH_MONTHS,
                                                        30 + WINDOW_HALF_WIDTH_MONTHS)
    assert "+-12 months of the stated month 30" in kind.source
