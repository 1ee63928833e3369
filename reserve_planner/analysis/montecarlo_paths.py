"""Random disruption paths drawn from a :class:`MonteCarloSpec`, as engine scenarios.

One sampler serves both uses: :func:`draw_scenarios` gives the episodes of a batch of paths
that the Monte Carlo test plays (:mod:`.montecarlo`), and :func:`sample_inputs` builds an
optimisation's scenario set from the same distributions (sample-average approximation,
``solve --sample N --seed S``). Paths come in fixed batches of :data:`BATCH_PATHS`, each
drawn from its own generator seeded by (stream, seed, batch): the same seed gives the same
paths whatever the number of runs (the first N of N+1 runs are the runs of N), and the
test stream never repeats the sample stream, so "out of sample" means fresh paths.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from ..model import DisruptionScenario, PlanInputs
from ..model.montecarlo_spec import MonteCarloSpec

#: Paths per batch: bounds memory (arrays of batch x materials x months) [paths].
BATCH_PATHS = 1000
#: Generator streams: the paths a plan is tested on, and an optimisation's sample.
TEST_STREAM, SAMPLE_STREAM = 0, 1


#: Independent generators of a batch: the episodes, the project failures, the price paths.
EPISODES, FAILURES, PRICES = 0, 1, 2


def batch_rng(seed: int, batch: int, stream: int = TEST_STREAM,
              part: int = EPISODES) -> np.random.Generator:
    """The generator of ``part`` of batch ``batch`` of ``stream`` for ``seed``. Each draws
    path by path (one row per path), so a shorter batch draws the first rows of a longer."""
    return np.random.default_rng([stream, int(seed), batch, part])


def _uniform_int(u: NDArray, lo: NDArray, hi: NDArray) -> NDArray[np.int64]:
    """lo..hi inclusive from uniforms ``u`` in [0, 1)."""
    return np.minimum(lo + np.floor(u * (hi - lo + 1)).astype(np.int64), hi)


def draw_scenarios(inputs: PlanInputs, spec: MonteCarloSpec, n: int,
                   rng: np.random.Generator, first: int = 0
                   ) -> tuple[tuple[DisruptionScenario, ...], NDArray[np.int64]]:
    """``n`` paths, each an engine scenario of probability 1/n, and the index of each
    path's episode kind in ``spec.kinds`` (-1: calm). ``first`` numbers the paths' names.

    The kind is drawn by the kinds' probabilities; then, for every path at once, the start
    (uniform over the window, or a truncated exponential for a hazard), the duration, one
    depth factor, the price multipliers, whether allied supply is hit and whether the kind's
    later episodes follow (``later_probability``; they are kept as the kind states them).
    """
    kinds = spec.kinds
    K = len(kinds)
    p = np.array([spec.calm_probability] + [k.probability for k in kinds], dtype=float)
    u = rng.random((n, 8)).T  # one row of uniforms per path
    kind = np.minimum(np.searchsorted(np.cumsum(p / p.sum()), u[7], side="right"), K) - 1
    if K == 0:
        return tuple(_calm(first + i, n, inputs) for i in range(n)), kind
    k = np.maximum(kind, 0)

    def col(get) -> NDArray:
        return np.array([get(x) for x in kinds], dtype=float)[k]

    lo, hi = col(lambda x: x.earliest_month).astype(np.int64), col(
        lambda x: x.latest_month).astype(np.int64)
    rate = col(lambda x: x.start_hazard_per_yr) / 12.0  # [1/month]
    width = (hi - lo + 1).astype(float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        expo = -np.log1p(-u[0] * -np.expm1(-rate * width)) / rate
    offset = np.where(rate > 0, np.floor(np.nan_to_num(expo)), np.floor(u[0] * width))
    start = np.clip(lo + offset.astype(np.int64), lo, hi)
    duration = _uniform_int(u[1], col(lambda x: x.duration_months[0]).astype(np.int64),
                            col(lambda x: x.duration_months[1]).astype(np.int64))
    scale = col(lambda x: x.depth_scale[0]) + u[2] * (
        col(lambda x: x.depth_scale[1]) - col(lambda x: x.depth_scale[0]))
    during = col(lambda x: x.price_multiplier_during[0]) + u[3] * (
        col(lambda x: x.price_multiplier_during[1]) - col(lambda x: x.price_multiplier_during[0]))
    after = col(lambda x: x.price_multiplier_after[0]) + u[4] * (
        col(lambda x: x.price_multiplier_after[1]) - col(lambda x: x.price_multiplier_after[0]))
    allied = u[5] < col(lambda x: x.hits_allied_probability)
    names = inputs.material_names
    base = np.array([[x.depth(m) for m in names] for x in kinds]).reshape(K, len(names))
    depth = np.clip(base[k] * scale[:, None], 0.0, 1.0)
    after_months = col(lambda x: x.after_months).astype(np.int64)
    goes_on = u[6] < col(lambda x: x.later_probability)
    out = []
    for i in range(n):
        if kind[i] < 0:
            out.append(_calm(first + i, n, inputs))
            continue
        out.append(DisruptionScenario(
            name=f"Path {first + i + 1}: {kinds[kind[i]].name}", probability=1.0 / n,
            start_month=int(start[i]), duration_months=int(duration[i]),
            depth_by_material=tuple((m, float(depth[i, j])) for j, m in enumerate(names)),
            hits_allied_supply=bool(allied[i]), price_multiplier_during=float(during[i]),
            price_multiplier_after=float(after[i]), after_months=int(after_months[i]),
            price_from_curve=kinds[kind[i]].price_from_curve,
            later_episodes=kinds[kind[i]].later_episodes if goes_on[i] else ()))
    return tuple(out), kind


def _calm(i: int, n: int, inputs: PlanInputs) -> DisruptionScenario:
    return DisruptionScenario(f"Path {i + 1}: calm", 1.0 / n, 0, 0,
                              tuple((m, 0.0) for m in inputs.material_names))


def sample_inputs(inputs: PlanInputs, spec: MonteCarloSpec, n: int, seed: int) -> PlanInputs:
    """``inputs`` with its scenarios replaced by ``n`` equally likely paths of ``spec``,
    drawn from the sample stream (sample-average approximation). The paths are the ones a
    Monte Carlo test would play with ``stream=SAMPLE_STREAM`` and the same seed."""
    if n < 1:
        raise ValueError(f"the sample needs at least 1 path (got {n})")
    problems = spec.validate(inputs)
    if problems:
        raise ValueError("; ".join(str(p) for p in problems))
    scenarios: list[DisruptionScenario] = []
    for b, first in enumerate(range(0, n, BATCH_PATHS)):
        size = min(BATCH_PATHS, n - first)
        drawn, _ = draw_scenarios(inputs, spec, size, batch_rng(seed, b, SAMPLE_STREAM), first)
        scenarios += [replace(s, probability=1.0 / n) for s in drawn]
    total = sum(s.probability for s in scenarios)  # equal weights adding up to 1 exactly
    scenarios[0] = replace(scenarios[0], probability=scenarios[0].probability + 1.0 - total)
    return replace(inputs, scenarios=tuple(scenarios),
                   notes=(inputs.notes + "\n" if inputs.notes else "")
                   + f"Scenarios: {n} paths sampled with seed {seed} (sample-average "
                   "approximation).")
