"""Uncertain disruption starts: a scenario's start window or hazard as start-month variants.

A scenario whose start is a window (``earliest_start_month`` .. ``latest_start_month``) or
a yearly hazard rate is solved as one variant per start step (``Policy.start_step_months``),
each a copy of the scenario starting on the first month of its step, named
``"Embargo (starts 2031-01)"``. The variants share the scenario's probability: variant v
carries π_s · Σ_{t in step v} w_t / Σ_{t in window} w_t, with w_t = 1 for a uniform window
and w_t = exp(−h (t − earliest) / 12) for a hazard h [1/yr] (the first arrival of a Poisson
process, conditional on the start falling inside the window). Because every variant shares
the first-stage plan, no purchase can be timed to a known disruption date.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .inputs import DisruptionScenario, PlanInputs


@dataclass(frozen=True)
class ExpandedScenarios:
    """The scenarios the engine solves and where each came from.

    Attributes
    ----------
    inputs : PlanInputs
        The inputs with every uncertain start replaced by its start-month variants (a
        scenario with a known start is kept as it is, in its place).
    parents : tuple of str
        Per solved scenario, the name of the scenario it came from (its own name when it
        was not expanded).
    """

    inputs: PlanInputs
    parents: tuple[str, ...]


def start_window(s: DisruptionScenario, horizon_months: int) -> tuple[int, int] | None:
    """The (earliest, latest) start month of ``s`` [months], both included, or None when its
    start is known. A hazard with no window spans the horizon."""
    if s.earliest_start_month is None and s.latest_start_month is None:
        if s.start_hazard_per_yr > 0:
            return 0, horizon_months - 1
        return None
    earliest = s.earliest_start_month if s.earliest_start_month is not None else s.start_month
    latest = s.latest_start_month if s.latest_start_month is not None else s.start_month
    return int(earliest), int(latest)


def start_variants(s: DisruptionScenario, horizon_months: int,
                   step_months: int) -> tuple[np.ndarray, np.ndarray]:
    """Start months [months] and probability shares [0-1, summing to 1] of the variants of
    ``s``: one per ``step_months`` of its window, from the earliest month."""
    window = start_window(s, horizon_months)
    if window is None:
        return np.array([s.start_month]), np.array([1.0])
    earliest, latest = window
    months = np.arange(earliest, latest + 1)
    weight = np.exp(-s.start_hazard_per_yr * (months - earliest) / 12.0)
    step = max(int(step_months), 1)
    bins = (months - earliest) // step
    starts = earliest + step * np.arange(bins[-1] + 1)
    inside = starts < horizon_months
    # Starts after the horizon are one variant starting at the horizon's end (no disruption
    # inside it): their probability stays with the scenario without a variant per step.
    n_in = int(inside.sum())
    bins = np.minimum(bins, n_in)
    share = np.bincount(bins, weights=weight) / weight.sum()
    starts = np.append(starts[:n_in], horizon_months)[:len(share)]
    return starts, share


def _variant_name(name: str, start_year: int, month: int, horizon_months: int) -> str:
    if month >= horizon_months:
        return f"{name} (starts after the horizon)"
    year, mon = start_year + month // 12, month % 12 + 1
    return f"{name} (starts {year}-{mon:02d})"


def expand_start_windows(inputs: PlanInputs) -> ExpandedScenarios:
    """The scenario set the engine solves: each scenario with an uncertain start replaced by
    its start-month variants (module docstring). Inputs with known starts come back
    unchanged (the same object)."""
    pol = inputs.policy
    if not any(s.has_uncertain_start for s in inputs.scenarios):
        return ExpandedScenarios(inputs, tuple(s.name for s in inputs.scenarios))
    scenarios: list[DisruptionScenario] = []
    parents: list[str] = []
    for s in inputs.scenarios:
        if not s.has_uncertain_start:
            scenarios.append(s)
            parents.append(s.name)
            continue
        months, share = start_variants(s, pol.horizon_months, pol.start_step_months)
        for month, w in zip(months.tolist(), share.tolist(), strict=True):
            scenarios.append(replace(
                s, name=_variant_name(s.name, pol.start_year, month, pol.horizon_months),
                probability=s.probability * w, start_month=month, earliest_start_month=None,
                latest_start_month=None, start_hazard_per_yr=0.0))
            parents.append(s.name)
    return ExpandedScenarios(replace(inputs, scenarios=tuple(scenarios)), tuple(parents))
