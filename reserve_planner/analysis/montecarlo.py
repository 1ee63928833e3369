"""Monte Carlo test of a solved plan, out of sample: N disruption paths, the plan held fixed.

:func:`simulate_plan` draws N paths from a :class:`MonteCarloSpec`
(:mod:`.montecarlo_paths`), holds the plan's first stage fixed (its purchase schedule and
its floor levels) and plays every path with the engine's own recourse and cost terms: a
batch of paths is turned into the engine's :class:`PlanData` (``build_plan_data`` on the
paths as scenarios), its shortfalls are recomputed with the projects that survive in each
path, its floor payouts are paid on a simulated price path (the process of
:mod:`reserve_planner.optimize.payouts`), and the engine's recourse for fixed first-stage
decisions decides releases (and spot purchases) in each path: greedy release as early as
the release limit, the decision lag and the stock allow where that is optimal, else the LP
with the first stage fixed (demand-curve damage tiers, spot purchases). Paths without a
supply cut have no recourse to decide and skip the LP. The status quo (no purchase, no new
floor) is played on the same paths.

Everything is vectorised over the paths of a batch (:data:`BATCH_PATHS`); only per-path
totals are kept, so memory stays bounded for any N. Tonnes of different materials are
never added; money totals are in discounted dollars [$].
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..model import PlanInputs
from ..model.montecarlo_spec import MonteCarloSpec, spec_around_scenarios
from ..optimize import PlanResult
from ..optimize.data import KG_PER_T, PlanData, build_plan_data, project_output
from ..optimize.formulation import build_model
from ..optimize.payouts import _floor_payouts, simulate_log_deviation
from ..optimize.pricing import log_price_sd
from ..optimize.solve import SolveOptions, _evaluate_terms, _scenario_costs, greedy_recourse
from .montecarlo_paths import (
    BATCH_PATHS,
    EPISODES,
    FAILURES,
    PRICES,
    TEST_STREAM,
    batch_rng,
    draw_scenarios,
)

DEFAULT_RUNS = 10_000
DEFAULT_SEED = 1
#: Percentiles reported [%].
PERCENTILES = (5.0, 50.0, 95.0)
#: Stock below this is empty, unmet demand above it is a shortfall, for "runs out" [t] (1 kg:
#: well above the solver's tolerance, far below any reserve).
RUN_OUT_TOLERANCE_T = 1e-3


@dataclass(frozen=True)
class Distribution:
    """Summary of one quantity over the paths, in the quantity's unit.

    ``std_error`` is the standard error of ``expected`` (sd / sqrt(N)).
    """

    expected: float
    std_error: float
    p5: float
    p50: float
    p95: float
    worst: float

    @classmethod
    def of(cls, values: NDArray) -> Distribution:
        v = np.asarray(values, dtype=float)
        if v.size == 0:
            return cls(*(math.nan,) * 6)
        p5, p50, p95 = np.percentile(v, PERCENTILES)
        se = float(v.std(ddof=1) / math.sqrt(v.size)) if v.size > 1 else math.nan
        return cls(float(v.mean()), se, float(p5), float(p50), float(p95), float(v.max()))

    def to_dict(self) -> dict[str, float | None]:
        return {k: _json_number(v) for k, v in self.__dict__.items()}


def _json_number(value: float) -> float | None:
    """``value``, or None where JSON has no number (NaN, infinity)."""
    return float(value) if math.isfinite(value) else None


@dataclass(frozen=True)
class SampleGap:
    """In-sample against out-of-sample expected cost of a plan optimised on a sample.

    ``in_sample_usd`` is the optimisation's expected cost on its own sample of
    ``sample_paths`` paths (with expected project output and expected floor payouts, as
    the optimisation prices them), with the standard error of that sample mean;
    ``out_of_sample_usd`` the Monte Carlo mean on fresh paths, with its standard error. A
    gap well beyond 2 combined standard errors says the sample was too small (the plan fits
    its sample, or the sample missed costly futures).
    """

    sample_paths: int
    sample_seed: int
    in_sample_usd: float
    out_of_sample_usd: float
    std_error_usd: float
    in_sample_std_error_usd: float = math.nan

    @property
    def combined_std_error_usd(self) -> float:
        """Standard error of the gap: both means' errors combined [$]."""
        return math.hypot(self.std_error_usd, self.in_sample_std_error_usd)

    @property
    def gap_usd(self) -> float:
        """Out-of-sample minus in-sample expected cost [$]."""
        return self.out_of_sample_usd - self.in_sample_usd

    def to_dict(self) -> dict[str, float]:
        return {k: (_json_number(v) if isinstance(v, float) else v) for k, v in
                {**self.__dict__, "gap_usd": self.gap_usd,
                 "combined_std_error_usd": self.combined_std_error_usd}.items()}


@dataclass(frozen=True)
class MonteCarloResult:
    """Per-path outcomes of a plan and of the status quo on the same paths.

    Arrays have one row per path (N = ``runs``); ``*_shortfall_t`` are (N, M), unmet demand
    over the horizon per material [t]; costs are discounted [$]: ``*_cost_usd`` the total
    cost (reserve, floor payouts, contracted floors, shortage damage), ``*_outlay_usd`` the
    fiscal outlay (purchases, storage, new and contracted floor payouts, before sales and
    salvage), ``*_shortage_usd`` the shortage damage. ``plan_ran_out`` (N, M) is True where
    the plan's reserve of a material was empty while a release was wanted.
    """

    inputs_name: str
    material_names: tuple[str, ...]
    kind_names: tuple[str, ...]
    runs: int
    requested_runs: int
    seed: int
    spec: MonteCarloSpec
    elapsed_s: float
    kind: NDArray[np.int64]  # (N,) index into kind_names, -1 calm
    plan_cost_usd: NDArray[np.float64]
    status_quo_cost_usd: NDArray[np.float64]
    plan_outlay_usd: NDArray[np.float64]
    status_quo_outlay_usd: NDArray[np.float64]
    plan_shortage_usd: NDArray[np.float64]
    status_quo_shortage_usd: NDArray[np.float64]
    plan_shortfall_t: NDArray[np.float64]
    status_quo_shortfall_t: NDArray[np.float64]
    plan_ran_out: NDArray[np.bool_]
    sample_gap: SampleGap | None = None
    notes: tuple[str, ...] = field(default=())
    plan_reserve_t: tuple[float, ...] = ()  # starting stock + planned purchases per material

    @property
    def cancelled(self) -> bool:
        """True when the run stopped before ``requested_runs`` paths."""
        return self.runs < self.requested_runs

    def _m(self, material: str) -> int:
        try:
            return self.material_names.index(material)
        except ValueError:
            raise KeyError(f"no material {material!r}; known: "
                           f"{', '.join(self.material_names)}") from None

    def shortfall(self, material: str, plan: bool = True) -> Distribution:
        """Unmet demand of ``material`` over the horizon [t]."""
        arr = self.plan_shortfall_t if plan else self.status_quo_shortfall_t
        return Distribution.of(arr[:, self._m(material)])

    def shortfall_avoided(self, material: str) -> Distribution:
        """Status quo minus plan unmet demand of ``material``, path by path [t]."""
        i = self._m(material)
        return Distribution.of(self.status_quo_shortfall_t[:, i] - self.plan_shortfall_t[:, i])

    def cost(self, plan: bool = True) -> Distribution:
        """Total discounted cost [$]."""
        return Distribution.of(self.plan_cost_usd if plan else self.status_quo_cost_usd)

    def outlay(self, plan: bool = True) -> Distribution:
        """Fiscal outlay [$]."""
        return Distribution.of(self.plan_outlay_usd if plan else self.status_quo_outlay_usd)

    def shortage_damage(self, plan: bool = True) -> Distribution:
        """Shortage damage [$]."""
        return Distribution.of(self.plan_shortage_usd if plan else self.status_quo_shortage_usd)

    @property
    def cost_difference_usd(self) -> NDArray[np.float64]:
        """Plan minus status quo total cost, path by path [$] (negative: the plan saves)."""
        return self.plan_cost_usd - self.status_quo_cost_usd

    def cost_difference(self) -> Distribution:
        """Plan minus status quo total cost [$]."""
        return Distribution.of(self.cost_difference_usd)

    def probability_runs_out(self, material: str | None = None) -> float:
        """Share of paths in which the plan's reserve of ``material`` (None: of any
        material it holds) was empty in a month with demand unmet [0-1]; NaN for a material
        the plan holds no reserve of (there is nothing to run out)."""
        held = np.array([r > RUN_OUT_TOLERANCE_T for r in self.plan_reserve_t]
                        if self.plan_reserve_t else [True] * len(self.material_names))
        if self.runs == 0:
            return math.nan
        if material is None:
            return float(self.plan_ran_out[:, held].any(axis=1).mean()) if held.any() \
                else math.nan
        i = self._m(material)
        return float(self.plan_ran_out[:, i].mean()) if held[i] else math.nan

    def probability_plan_costs_more(self) -> float:
        """Share of paths where the plan costs more than the status quo [0-1]."""
        return float((self.cost_difference_usd > 0).mean()) if self.runs else math.nan

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (distributions, not the per-path arrays)."""
        return {
            "inputs_name": self.inputs_name, "runs": self.runs,
            "requested_runs": self.requested_runs, "seed": self.seed,
            "cancelled": self.cancelled, "elapsed_s": self.elapsed_s,
            "calm_share": float((self.kind < 0).mean()) if self.runs else math.nan,
            "total_cost_usd": {"plan": self.cost().to_dict(),
                               "status_quo": self.cost(False).to_dict(),
                               "plan_minus_status_quo": self.cost_difference().to_dict()},
            "fiscal_outlay_usd": {"plan": self.outlay().to_dict(),
                                  "status_quo": self.outlay(False).to_dict()},
            "shortage_damage_usd": {"plan": self.shortage_damage().to_dict(),
                                    "status_quo": self.shortage_damage(False).to_dict()},
            "probability_plan_costs_more": _json_number(self.probability_plan_costs_more()),
            "probability_reserve_runs_out": _json_number(self.probability_runs_out()),
            "materials": [{"material": m,
                           "shortfall_t": {"plan": self.shortfall(m).to_dict(),
                                           "status_quo": self.shortfall(m, False).to_dict(),
                                           "avoided": self.shortfall_avoided(m).to_dict()},
                           "probability_reserve_runs_out": _json_number(
                               self.probability_runs_out(m))}
                          for m in self.material_names],
            "sample_gap": self.sample_gap.to_dict() if self.sample_gap else None,
            "spec": self.spec.to_dict(), "notes": list(self.notes)}

    def to_frames(self) -> dict[str, Any]:
        """pandas tables, units in the column names: ``"summary"`` (one row per quantity
        and plan/status quo), ``"materials"`` (one row per material and plan/status quo),
        ``"paths"`` (one row per path)."""
        import pandas as pd

        cols = ["expected", "std_error", "p5", "p50", "p95", "worst"]

        def row(label: str, who: str, unit: str, d: Distribution) -> dict:
            return {"quantity": label, "case": who,
                    **{f"{c} [{unit}]": getattr(d, c) for c in cols}}

        summary = pd.DataFrame(
            [row("total cost", "plan", "$", self.cost()),
             row("total cost", "status quo", "$", self.cost(False)),
             row("total cost", "plan minus status quo", "$", self.cost_difference()),
             row("fiscal outlay", "plan", "$", self.outlay()),
             row("fiscal outlay", "status quo", "$", self.outlay(False)),
             row("shortage damage", "plan", "$", self.shortage_damage()),
             row("shortage damage", "status quo", "$", self.shortage_damage(False))])
        mats = []
        for m in self.material_names:
            for who, d in (("plan", self.shortfall(m)),
                           ("status quo", self.shortfall(m, False)),
                           ("avoided", self.shortfall_avoided(m))):
                mats.append({"material": m, "case": who,
                             **{f"shortfall {c} [t]": getattr(d, c) for c in cols},
                             "P(reserve runs out) [0-1]": (self.probability_runs_out(m)
                                                           if who == "plan" else math.nan)})
        paths = pd.DataFrame({
            "path": np.arange(1, self.runs + 1),
            "episode": [self.kind_names[k] if k >= 0 else "calm" for k in self.kind],
            "plan cost [$]": self.plan_cost_usd,
            "status quo cost [$]": self.status_quo_cost_usd,
            "plan minus status quo [$]": self.cost_difference_usd,
            "plan outlay [$]": self.plan_outlay_usd,
            "status quo outlay [$]": self.status_quo_outlay_usd,
            **{f"plan shortfall {m} [t]": self.plan_shortfall_t[:, i]
               for i, m in enumerate(self.material_names)},
            **{f"status quo shortfall {m} [t]": self.status_quo_shortfall_t[:, i]
               for i, m in enumerate(self.material_names)}})
        return {"summary": summary, "materials": pd.DataFrame(mats), "paths": paths}


@dataclass(frozen=True)
class FixedPlan:
    """The first stage a Monte Carlo test holds fixed: purchases (M, T) [t/month] and the
    floor level per material [$/kg] (0: none)."""

    buy_t: NDArray[np.float64]
    floor_levels_usd_per_kg: tuple[float, ...]

    @classmethod
    def of(cls, result: PlanResult) -> FixedPlan:
        if not result.status.has_plan:
            raise ValueError(f"the result has no plan to simulate ({result.status.value}: "
                             f"{result.message})")
        return cls(np.stack([np.asarray(m.fill_schedule_t, dtype=float)
                             for m in result.materials]),
                   tuple(float(m.floor.level_usd_per_kg) for m in result.materials))

    @classmethod
    def status_quo(cls, inputs: PlanInputs) -> FixedPlan:
        M, T = len(inputs.materials), inputs.policy.horizon_months
        return cls(np.zeros((M, T)), (0.0,) * M)


def _level_index(levels: NDArray, level: float) -> int:
    return int(np.argmin(np.abs(levels - level)))


class _Player:
    """Plays batches of paths for one plan; holds what does not depend on the paths."""

    def __init__(self, inputs: PlanInputs, plan: FixedPlan, spec: MonteCarloSpec):
        self.inputs, self.plan, self.spec = inputs, plan, spec
        names = inputs.material_names
        T = inputs.policy.horizon_months
        t = np.arange(T)
        # Scenario-free arrays from the engine (one calm scenario keeps the build cheap).
        calm = replace(inputs, scenarios=inputs.scenarios[:1])
        self.base = build_plan_data(calm)
        self.levels = [_level_index(f.levels_usd_per_kg, lv)
                       for f, lv in zip(self.base.floors, plan.floor_levels_usd_per_kg,
                                        strict=True)]
        self.output = np.array([project_output(p, t) for p in inputs.projects]
                               ).reshape(len(inputs.projects), T)
        self.fail = np.array([p.failure_probability for p in inputs.projects])
        self.material_of = np.array([names.index(p.material) for p in inputs.projects],
                                    dtype=np.int64)
        committed = np.array([inputs.is_committed(p) for p in inputs.projects], dtype=bool)
        self.committed = committed
        supported = np.zeros(len(inputs.projects), dtype=bool)
        for mi, fl in enumerate(self.base.floors):
            k = self.levels[mi]
            supported[fl.project_indices[fl.supported[k]]] = True
        self.supported = supported & ~committed
        self.sigma = np.array([m.price_log_volatility for m in inputs.materials]
                              ) * spec.price_volatility_scale
        self.options = SolveOptions()

    def _weights(self, rng: np.random.Generator, n: int) -> NDArray:
        """Output weight of each project in each path (n, P): 1/0 survival draws, or the
        survival probability when failures are not drawn."""
        draws = rng.random((n, len(self.fail)))
        if self.spec.project_failures:
            return (draws >= self.fail[None, :]).astype(float)
        return np.broadcast_to(1.0 - self.fail[None, :], (n, len(self.fail)))

    def play(self, seed: int, batch: int, first: int, n: int, stream: int) -> dict:
        """Per-path outcomes of paths ``first``..``first + n - 1`` (batch ``batch``)."""
        scenarios, kind = draw_scenarios(self.inputs, self.spec, n,
                                         batch_rng(seed, batch, stream, EPISODES), first)
        w = self._weights(batch_rng(seed, batch, stream, FAILURES), n)  # (n, P)
        T = self.inputs.policy.horizon_months
        sd = log_price_sd(self.sigma, self.inputs.policy.price_half_life_yr, T)
        x = simulate_log_deviation(self.sigma, self.inputs.policy.price_half_life_yr, T, n,
                                   batch_rng(seed, batch, stream, PRICES))
        factor = np.exp(x - 0.5 * sd[None] ** 2)  # mean 1 in every month
        # Paths with a supply cut need the engine's recourse; the others (calm, or prices
        # only) have none to decide and are played as their own, cheaper group.
        cut = np.array([any(e.duration_months > 0 and any(v > 0 for _, v in e.depth_by_material)
                            for e in s.episodes()) for s in scenarios], dtype=bool)
        out = {"kind": kind}
        for group, recourse in ((np.flatnonzero(cut), True), (np.flatnonzero(~cut), False)):
            if group.size == 0:
                continue
            part = self._play_group(tuple(scenarios[i] for i in group), w[group],
                                    factor[group], recourse)
            for key, value in part.items():
                if key not in out:
                    out[key] = np.zeros((n, *value.shape[1:]), dtype=value.dtype)
                out[key][group] = value
        return out

    def _play_group(self, scenarios: tuple, w: NDArray, factor: NDArray,
                    recourse: bool) -> dict:
        """Outcomes of one group of paths: with a supply cut (``recourse``: the engine's
        recourse, an LP where demand curves or spot purchases need one), or without (no
        release, no shortfall, no spot purchase to decide: the cost terms directly)."""
        d = build_plan_data(replace(self.inputs, scenarios=scenarios))
        M, T = d.M, d.T
        d_plan, d_sq = self._realised(d, w, factor)
        out = {}
        for who, data, buy in (("plan", d_plan, self.plan.buy_t), ("sq", d_sq, np.zeros((M, T)))):
            if recourse:
                evaluated = _evaluate_terms(build_model(data), buy, [0] * M, self.options,
                                            refills=who == "plan")
            else:
                rel, unmet = greedy_recourse(data, buy, [0] * M)  # all zero: nothing is cut
                evaluated = _scenario_costs(build_model(data), buy, [0] * M, rel, unmet), unmet
            if evaluated is None:
                raise RuntimeError("the solver could not play a batch of paths with the plan "
                                   "held fixed (its limits cannot be met on some path)")
            terms, unmet = evaluated
            out[f"{who}_cost"] = terms.losses
            out[f"{who}_shortage"] = terms.shortage_by_scenario
            out[f"{who}_outlay"] = (terms.purchases + terms.storage + terms.payout
                                    + terms.contracted).sum(axis=1)
            out[f"{who}_shortfall"] = unmet.sum(axis=2)
            if who == "plan":  # the reserve was empty in a month with demand unmet
                empty = terms.stock[:, :, 1:] < RUN_OUT_TOLERANCE_T
                out["ran_out"] = (empty & (unmet > RUN_OUT_TOLERANCE_T)).any(axis=2)
        return out

    def _realised(self, d: PlanData, w: NDArray, factor: NDArray) -> tuple[PlanData, PlanData]:
        """The plan's and the status quo's data for the paths as they happen: shortfalls
        with the projects that survive in each path (weights ``w``), floor payouts on the
        price path ``factor`` (n, M, T) times the scenario's multiplier. Each holds one floor
        level per material (the plan's; level 0 for the status quo), so its model has no
        floor choice left."""
        inputs = self.inputs
        S, M, T = d.S, d.M, d.T
        mats = inputs.materials
        out_w = w[:, :, None] * self.output[None, :, :]  # (n, P, T)
        committed = np.zeros((S, M, T))
        added = np.zeros((S, M, T))
        for j in range(len(inputs.projects)):
            mi = self.material_of[j]
            if self.committed[j]:
                committed[:, mi] += out_w[:, j]
            elif self.supported[j]:
                added[:, mi] += out_w[:, j]
        residual = (d.demand - d.domestic - d.allied)[None] - committed  # (S, M, T)
        china = np.array([m.china_exposed_share for m in mats])[None, :, None]
        allied_exp = np.array([m.allied_exposed_share for m in mats])[None, :, None]
        cut = d.depth  # (S, M, T)
        exposed = d.allied_hit[:, None, :] * allied_exp * d.allied[None]
        gap_plan = cut * (china * np.maximum(residual - added, 0.0) + exposed)
        gap_sq = cut * (china * np.maximum(residual, 0.0) + exposed)

        mult = d.mult if d.mult.ndim == 3 else d.mult[:, None, :]
        price = (d.price_dom / KG_PER_T)[None, :, None] * mult * factor  # (n, M, T) [$/kg]
        disc = d.disc[:T]
        upside = inputs.policy.floor_upside_share
        payout = []
        for mi in range(M):
            level = float(d.floors[mi].levels_usd_per_kg[self.levels[mi]])
            pay = (_floor_payouts(level, upside, price[:, mi], added[:, mi], disc)
                   if level > 0 else np.zeros(S))
            payout.append(pay[:, None])
        contracted = np.zeros((len(inputs.contracted_floors), S))
        names = [p.name for p in inputs.projects]
        for i, f in enumerate(inputs.contracted_floors):
            mi = int(d.contracted_material[i])
            if f.project in names:
                j = names.index(f.project)
                survive = 1.0 - self.fail[j]
                full = d.contracted_volume[i] / survive if survive > 0 else np.zeros(T)
                volume = w[:, j][:, None] * full[None, :]
            else:
                volume = np.broadcast_to(d.contracted_volume[i], (S, T))
            contracted[i] = _floor_payouts(f.level_usd_per_kg, f.upside_share, price[:, mi],
                                           volume, disc)

        def one_level(fl, k: int, zero: bool):
            keep = [k]
            return replace(fl, levels_usd_per_kg=fl.levels_usd_per_kg[keep] * (not zero),
                           supported=fl.supported[keep] & (not zero),
                           supply=fl.supply[keep] * (not zero),
                           full_supply=fl.full_supply[keep] * (not zero))

        prob = np.full(S, 1.0 / S)
        plan = replace(d, prob=prob, floors=tuple(one_level(fl, k, False) for fl, k in
                                                  zip(d.floors, self.levels, strict=True)),
                       gap=tuple(gap_plan[:, mi][None] for mi in range(M)),
                       gap_no_floor=gap_sq, payout=tuple(payout),
                       worst_payout=tuple(wp[[k]] for wp, k in zip(d.worst_payout, self.levels,
                                                                   strict=True)),
                       contracted_payout=contracted)
        sq = replace(plan, floors=tuple(one_level(fl, 0, True) for fl in d.floors),
                     gap=tuple(gap_sq[:, mi][None] for mi in range(M)),
                     payout=tuple(np.zeros((S, 1)) for _ in range(M)),
                     worst_payout=tuple(np.zeros(1) for _ in range(M)))
        return plan, sq


def simulate_plan(inputs: PlanInputs, result: PlanResult | FixedPlan,
                  spec: MonteCarloSpec | None = None, runs: int = DEFAULT_RUNS,
                  seed: int = DEFAULT_SEED, *, cancel: threading.Event | None = None,
                  on_progress: Callable[[int, int], None] | None = None,
                  stream: int = TEST_STREAM, sample: tuple[int, int] | None = None
                  ) -> MonteCarloResult:
    """Play ``runs`` paths of ``spec`` (default :func:`spec_around_scenarios`) with the
    plan of ``result`` held fixed, and the status quo on the same paths.

    Parameters
    ----------
    inputs : PlanInputs
        The inputs the plan was solved from (their scenarios are not used: the paths are).
    result : PlanResult or FixedPlan
    runs, seed : int
        Number of paths and the seed: the same seed gives the same numbers.
    cancel : threading.Event
        Checked between batches; when set, the result holds the paths played so far.
    on_progress : callable(done, total)
        Called after every batch with the paths played and requested.
    stream : int
        Generator stream (:data:`TEST_STREAM`; ``SAMPLE_STREAM`` replays an optimisation's
        own sample).
    sample : (paths, seed)
        The sample the plan was optimised on (``solve --sample``): the result then holds
        the in-sample against out-of-sample gap.

    Raises ValueError for a result without a plan, a bad spec or runs < 1.
    """
    if runs < 1:
        raise ValueError(f"runs must be at least 1 (got {runs})")
    spec = spec or spec_around_scenarios(inputs)
    problems = spec.validate(inputs)
    if problems:
        raise ValueError("the Monte Carlo spec is not valid: "
                         + "; ".join(str(p) for p in problems))
    plan = result if isinstance(result, FixedPlan) else FixedPlan.of(result)
    t0 = time.perf_counter()
    player = _Player(inputs, plan, spec)
    parts: list[dict] = []
    done = 0
    for b, first in enumerate(range(0, runs, BATCH_PATHS)):
        if cancel is not None and cancel.is_set():
            break
        n = min(BATCH_PATHS, runs - first)
        parts.append(player.play(seed, b, first, n, stream))
        done += n
        if on_progress is not None:
            on_progress(done, runs)

    def cat(key: str, shape: tuple = ()) -> NDArray:
        if not parts:
            return np.zeros((0, *shape))
        return np.concatenate([p[key] for p in parts])

    M = len(inputs.materials)
    mc = MonteCarloResult(
        inputs_name=inputs.name, material_names=inputs.material_names,
        kind_names=tuple(k.name for k in spec.kinds), runs=done, requested_runs=runs,
        seed=seed, spec=spec, elapsed_s=time.perf_counter() - t0,
        kind=cat("kind").astype(np.int64),
        plan_cost_usd=cat("plan_cost"), status_quo_cost_usd=cat("sq_cost"),
        plan_outlay_usd=cat("plan_outlay"), status_quo_outlay_usd=cat("sq_outlay"),
        plan_shortage_usd=cat("plan_shortage"), status_quo_shortage_usd=cat("sq_shortage"),
        plan_shortfall_t=cat("plan_shortfall", (M,)),
        status_quo_shortfall_t=cat("sq_shortfall", (M,)),
        plan_ran_out=cat("ran_out", (M,)).astype(bool),
        plan_reserve_t=tuple(float(m.starting_stock_t + plan.buy_t[i].sum())
                             for i, m in enumerate(inputs.materials)),
        notes=_notes(inputs, spec))
    if sample is not None and isinstance(result, PlanResult) and done:
        d = mc.cost()
        losses = np.array([s.loss_usd for s in result.scenarios])
        prob = np.array([s.probability for s in result.scenarios])
        spread = math.sqrt(float(prob @ (losses - prob @ losses) ** 2))
        mc = replace(mc, sample_gap=SampleGap(sample[0], sample[1], result.expected_cost_usd,
                                              d.expected, d.std_error,
                                              spread / math.sqrt(max(len(losses), 1))))
    return mc


def _notes(inputs: PlanInputs, spec: MonteCarloSpec) -> tuple[str, ...]:
    notes = ["Each path holds at most one disruption episode, as the model's scenarios do; "
             "purchases follow the plan's schedule (stopping while a material is cut) and "
             "releases are the model's own recourse in that path, so within a path releases "
             "know how long the disruption lasts, as in the optimisation."]
    if not spec.project_failures:
        notes.append("Projects produce their expected output (failures not drawn).")
    return tuple(notes)
