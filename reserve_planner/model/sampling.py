"""Random disruption scenarios for Monte Carlo scenario sets and scaling benchmarks."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .inputs import DisruptionScenario, PlanInputs


def sample_scenarios(
    inputs: PlanInputs,
    n: int,
    *,
    seed: int = 0,
    calm_probability: float = 0.3,
    max_duration_months: int = 36,
) -> PlanInputs:
    """``inputs`` with its scenarios replaced by ``n`` equally likely sampled ones.

    A share ``calm_probability`` [0-1] of draws has no disruption. The others start in a
    uniform month of the horizon, last 1 to ``max_duration_months`` months (geometric, mean
    about 9 months), cut a uniform 20-100% of China-exposed supply of every material (one
    common draw scaled by a per-material factor in [0.8, 1.2], clipped to [0, 1]), hit allied
    supply half of the time, and raise prices by a factor drawn from [1, 5] while they last
    and 1.3 for the following 6 months.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    rng = np.random.default_rng(seed)
    T = inputs.policy.horizon_months
    names = inputs.material_names
    calm = rng.random(n) < calm_probability
    start = rng.integers(0, T, n)
    duration = np.minimum(rng.geometric(1 / 9, n), max_duration_months)
    depth = np.clip(rng.uniform(0.2, 1.0, (n, 1)) * rng.uniform(0.8, 1.2, (n, len(names))),
                    0.0, 1.0)
    allied = rng.random(n) < 0.5
    during = rng.uniform(1.0, 5.0, n)
    p = 1.0 / n
    scenarios = []
    for i in range(n):
        if calm[i]:
            scenarios.append(DisruptionScenario(f"Sample {i + 1} (calm)", p, 0, 0,
                                                tuple((m, 0.0) for m in names)))
            continue
        scenarios.append(DisruptionScenario(
            name=f"Sample {i + 1}", probability=p, start_month=int(start[i]),
            duration_months=int(duration[i]),
            depth_by_material=tuple((m, float(depth[i, j])) for j, m in enumerate(names)),
            hits_allied_supply=bool(allied[i]), price_multiplier_during=float(during[i]),
            price_multiplier_after=1.3, after_months=6))
    # equal weights that add up to 1 exactly in floating point
    total = sum(s.probability for s in scenarios)
    scenarios[0] = replace(scenarios[0], probability=scenarios[0].probability + 1.0 - total)
    return replace(inputs, scenarios=tuple(scenarios))
