"""Solve a plan: validate, build, run HiGHS, explain.

:func:`solve` never raises for bad inputs or solver trouble: the :class:`PlanResult` says
what happened in words (``status`` and ``message``), and for a plan that cannot meet all its
limits it lists the conflicting limits found by an elastic re-solve.
"""

from __future__ import annotations

import heapq
import itertools
import math
import time
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp

from ..model import DisruptionScenario, PlanInputs
from .data import PlanData, build_plan_data, iea_cover_days, tariff_cost_to_buyers
from .formulation import MONEY_SCALE, PURCHASE_TIE_BREAK_USD_PER_T, Model, build_model
from .highs_lp import PersistentLP, solve_with_fixed_columns
from .near_optimal import DEFAULT_TOLERANCE, SizeCurve, size_curve
from .payouts import fiscal_exposure
from .result import (
    Conflict,
    ContractedFloorOutcome,
    CostBreakdown,
    FloorDecision,
    FloorOption,
    MaterialPlan,
    PlanResult,
    PublicMoney,
    ScenarioOutcome,
    SolveStatus,
    StatusQuo,
    SupportedProject,
    month_label,
)
from .risk import cvar


@dataclass(frozen=True)
class SolveOptions:
    """How hard to work.

    Attributes
    ----------
    time_limit_s : float
        Wall-clock limit for the main MILP [s].
    mip_rel_gap : float
        Relative optimality gap at which HiGHS stops [-].
    diagnostics : bool
        Also compute the value of the stochastic solution and the shadow prices (one small
        extra solve, plus an LP when the relaxation is fractional).
    appraise_floors : bool
        Re-solve with each material's floor pinned at each candidate level, to show what
        every level would cost (one solve per candidate).
    perfect_information : bool
        Solve each scenario as if it were known in advance: wait-and-see cost and EVPI (one
        solve per scenario).
    near_optimal_tolerance : float or None
        Also find each material's near-optimal reserve range: the sizes whose objective is
        within this share of the optimum (:mod:`.near_optimal`; about 15-30 solves per
        material). None skips it.
    payout_runs : int
        Also simulate the floors' payouts on this many price paths
        (:func:`.payouts.fiscal_exposure`, fixed seed); 0 skips it.
    release_lags : tuple of int
        Also re-solve with each of these release decision lags [months] and report what
        each costs against the plan's own lag (one solve each).
    """

    time_limit_s: float = 60.0
    mip_rel_gap: float = 1e-6
    diagnostics: bool = True
    appraise_floors: bool = False
    perfect_information: bool = False
    near_optimal_tolerance: float | None = None
    payout_runs: int = 0
    release_lags: tuple[int, ...] = ()


@dataclass(frozen=True)
class _Solution:
    x: NDArray[np.float64]
    fun: float
    status: int
    message: str


def _run_milp(model: Model, opts: SolveOptions, col_lo=None, col_hi=None) -> _Solution:
    lo = model.col_lo if col_lo is None else col_lo
    hi = model.col_hi if col_hi is None else col_hi
    res = milp(
        model.c,
        integrality=model.integrality,
        bounds=Bounds(lo, hi),
        constraints=LinearConstraint(model.A, model.row_lo, model.row_hi),
        options={"time_limit": opts.time_limit_s, "mip_rel_gap": opts.mip_rel_gap,
                 "presolve": True},
    )
    x = res.x if res.x is not None else np.full(model.n_vars, np.nan)
    fun = _reported_objective(model, float(res.fun), x) if res.fun is not None else math.nan
    return _Solution(x, fun, int(res.status), str(res.message))


def _reported_objective(model: Model, matrix_fun: float, x: NDArray) -> float:
    """The objective in dollars from the matrix's ``c @ x``: plus the constant, less the
    purchase tie-break (it chooses among equal plans and is no cost of any of them)."""
    tie_break = PURCHASE_TIE_BREAK_USD_PER_T * MONEY_SCALE * float(
        x[model.buy].sum() + x[model.refill].sum())
    return (matrix_fun - tie_break + model.const) / MONEY_SCALE


@dataclass(frozen=True)
class _LPSolution:
    x: NDArray[np.float64]
    fun: float
    row_dual: NDArray[np.float64]  # d objective / d rhs of each row
    upper_dual: NDArray[np.float64]  # d objective / d upper bound of each column
    ok: bool
    status: int  # linprog's: 0 ok, 1 limit, 2 infeasible, 3 unbounded, 4 numerical


def _persistent_lp(model: Model) -> PersistentLP:
    """The model's one HiGHS instance, made on first use and kept with the model, so every
    LP on this matrix (branch and bound, pinned re-solves, appraisals) starts from the
    previous basis instead of from scratch."""
    lp = getattr(model, "_persistent_lp", None)
    if lp is None:
        lp = PersistentLP(model.c, model.A, model.row_lo, model.row_hi, model.col_lo,
                          model.col_hi)
        model._persistent_lp = lp  # type: ignore[attr-defined]
    return lp


def _run_lp(model: Model, col_lo: NDArray, col_hi: NDArray,
            time_limit_s: float = 60.0, row_lo: NDArray | None = None,
            row_hi: NDArray | None = None) -> _LPSolution:
    """The LP with the given column bounds (and row bounds, the model's by default;
    integrality dropped), with duals."""
    res = _persistent_lp(model).solve(
        col_lo, col_hi, time_limit_s, model.row_lo if row_lo is None else row_lo,
        model.row_hi if row_hi is None else row_hi)
    if res.status != 0:
        return _LPSolution(res.x, math.nan, res.row_dual, res.upper_dual, False, res.status)
    return _LPSolution(res.x, _reported_objective(model, res.fun, res.x), res.row_dual,
                       res.upper_dual / MONEY_SCALE, True, 0)


def _fixed_bounds(model: Model, x_first: NDArray) -> tuple[NDArray, NDArray]:
    """Column bounds with buy and z fixed at ``x_first`` (cum follows from buy)."""
    lo, hi = model.col_lo.copy(), model.col_hi.copy()
    for block in (model.buy, model.z):
        v = x_first[block]
        lo[block] = v
        hi[block] = v
    return lo, hi


def _first_stage_vector(model: Model, buy: NDArray, levels: list[int]) -> NDArray:
    x = np.zeros(model.n_vars)
    x[model.buy] = buy.ravel()
    for mi, k in enumerate(levels):
        x[model.z.start + model.z_offsets[mi] + k] = 1.0
    return x


def _chosen_levels(model: Model, x: NDArray) -> list[int]:
    z = x[model.z]
    out = []
    for mi, fl in enumerate(model.data.floors):
        off = model.z_offsets[mi]
        out.append(int(np.argmax(z[off:off + len(fl.levels_usd_per_kg)])))
    return out


def _expected_value_inputs(inputs: PlanInputs) -> PlanInputs:
    """The mean-value problem: one scenario whose parameters are the probability-weighted
    means of the scenarios' (start, duration, depth, multipliers, allied hit, prices from
    the demand curve)."""
    sc = inputs.scenarios
    p = np.array([s.probability for s in sc])

    def mean(values) -> float:
        return float(np.dot(p, np.asarray(values, dtype=float)))

    names = inputs.material_names
    depth = tuple((n, mean([s.depth(n) for s in sc])) for n in names)
    ev = DisruptionScenario(
        name="Expected value",
        probability=1.0,
        start_month=int(round(mean([s.start_month for s in sc]))),
        duration_months=int(round(mean([s.duration_months for s in sc]))),
        depth_by_material=depth,
        hits_allied_supply=mean([s.hits_allied_supply for s in sc]) >= 0.5,
        price_multiplier_during=mean([s.price_multiplier_during for s in sc]),
        price_multiplier_after=mean([s.price_multiplier_after for s in sc]),
        after_months=int(round(mean([s.after_months for s in sc]))),
        price_from_curve=mean([s.price_from_curve for s in sc]) >= 0.5,
    )
    return replace(inputs, scenarios=(ev,))


def _scatter_cells(model: Model, values: NDArray) -> NDArray:
    d = model.data
    out = np.zeros((d.S, d.M, d.T))
    cs, cm, ct = model.cells
    out[cs, cm, ct] = values
    return out


@dataclass(frozen=True)
class _ScenarioCosts:
    """Discounted cost terms [$] by scenario and material, arrays of shape (S, M); credits
    are negative. ``stock`` is the stock at the start of each month, (S, M, T+1) [t]."""

    purchases: NDArray
    storage: NDArray
    revenue: NDArray
    salvage: NDArray
    payout: NDArray
    shortage: NDArray
    stock: NDArray
    contracted: NDArray  # (S, M) payouts of the contracted (status quo) floors
    spot: NDArray  # (S, M) spot purchases' premium over the normal price
    bought: NDArray  # (S, M, T) purchases made in each scenario [t/month]: the calm path
    # before its first episode, its own refills after

    @property
    def reserve(self) -> NDArray:
        """Net cost of holding the reserve: purchases + storage - sales - salvage (S, M)."""
        return self.purchases + self.storage + self.revenue + self.salvage

    @property
    def losses(self) -> NDArray:
        """Total cost of each scenario (S,)."""
        return (self.reserve + self.payout + self.shortage + self.contracted
                + self.spot).sum(axis=1)

    @property
    def shortage_by_scenario(self) -> NDArray:
        """Shortage damage of each scenario (S,): the loss the risk term measures."""
        return self.shortage.sum(axis=1)


def shortage_damage(d: PlanData, unmet: NDArray) -> NDArray:
    """Discounted shortage damage [$], (S, M), of unmet demand (S, M, T) [t/month]: each
    material's damage tiers at its monthly demand (docs/model.md, "Shortage damage")."""
    out = np.zeros(unmet.shape[:2])
    for mi, tiers in enumerate(d.tiers):
        out[:, mi] = tiers.damage(unmet[:, mi, :], d.demand[mi][None, :]) @ d.disc[:d.T]
    return out


def _scenario_costs(model: Model, buy: NDArray, levels: list[int] | None, rel: NDArray,
                    unmet: NDArray, spot: NDArray | None = None,
                    refill: NDArray | None = None) -> _ScenarioCosts:
    """Cost terms of each scenario and material, and the stock paths; ``spot`` the spot
    purchases and ``refill`` each scenario's own purchases after its first episode began
    (S, M, T) [t/month], none when omitted. The calm-path purchases ``buy`` (M, T) are made
    in a scenario only before its first episode."""
    d = model.data
    pol = d.inputs.policy
    T = d.T
    P = d.price_dom
    bought = d.calm[:, None, :] * buy[None, :, :]
    if refill is not None:
        bought = bought + refill
    flow = bought - rel  # (S, M, T)
    stock = np.concatenate(
        [np.broadcast_to(d.stock0[None, :, None], (d.S, d.M, 1)),
         d.stock0[None, :, None] + np.cumsum(flow, axis=2)], axis=2)  # (S, M, T+1)
    disc = d.disc
    payout = np.zeros((d.S, d.M))
    for mi, k in enumerate(levels or []):
        payout[:, mi] = d.payout[mi][:, k]
    contracted = np.zeros((d.S, d.M))
    np.add.at(contracted.T, d.contracted_material, d.contracted_payout)
    return _ScenarioCosts(
        purchases=np.einsum("smt,m,smt,t->sm", bought, P, d.mult, disc[:T]),
        storage=np.einsum("smt,m,t->sm", stock[:, :, 1:T], d.storage_per_t_month, disc[1:T]),
        revenue=-np.einsum("smt,m,t->sm", rel, P, disc[:T]),
        salvage=-pol.salvage_share * disc[T] * stock[:, :, T] * P[None, :],
        payout=payout,
        shortage=shortage_damage(d, unmet),
        stock=stock,
        contracted=contracted,
        spot=(np.zeros((d.S, d.M)) if spot is None else
              np.einsum("smt,m,smt,t->sm", spot, P, d.mult - 1.0, disc[:T])),
        bought=bought,
    )


def _dollars(usd: float) -> str:
    """$12.3M, $45.6k or $789: enough digits to be read, never "$0.0M"."""
    if abs(usd) >= 1e6:
        return f"${usd / 1e6:,.1f}M"
    if abs(usd) >= 1e3:
        return f"${usd / 1e3:,.1f}k"
    return f"${usd:,.0f}"


def _diagnose(data: PlanData, opts: SolveOptions) -> tuple[Conflict, ...]:
    """Phase one: relax the limit groups with weighted slacks and report which gave way."""
    model = build_model(data, elastic=True)
    sol = _run_milp(model, replace(opts, mip_rel_gap=1e-4))
    if sol.status not in (0, 1) or not np.all(np.isfinite(sol.x)):
        return ()
    pol = data.inputs.policy
    names = data.inputs.material_names
    conflicts: list[Conflict] = []
    for group, (cols, rows) in model.elastic.items():
        slack = sol.x[cols]
        # Model units: $M for budgets, t for cover and purchases; ignore solver round-off.
        rhs = model.row_hi[rows] if group != "minimum cover" else model.row_lo[rows]
        hit = np.nonzero(slack > 1e-3 + 1e-6 * np.abs(np.nan_to_num(rhs, posinf=0.0)))[0]
        if group in ("annual budget", "total budget"):
            slack = slack / MONEY_SCALE
        if len(hit) == 0:
            continue
        if group == "annual budget":
            for i in hit:
                year = pol.start_year + int(i)
                conflicts.append(Conflict(group, str(year), float(slack[i]), "$",
                                          f"the {year} budget would need "
                                          f"{_dollars(slack[i])} more"))
        elif group == "total budget":
            conflicts.append(Conflict(group, "all", float(slack[hit].sum()), "$",
                                      f"the total budget would need "
                                      f"{_dollars(slack[hit].sum())} more"))
        elif group == "minimum cover":
            per = data.T - max(pol.min_cover_by_month, 1) + 1
            for mi in sorted({int(i) // per for i in hit}):
                part = slack[mi * per:(mi + 1) * per]
                conflicts.append(Conflict(
                    group, names[mi], float(part.max()), "t",
                    f"a minimum cover of {pol.min_cover_days:g} days of {names[mi]} by "
                    f"{month_label(pol.start_year, pol.min_cover_by_month)} falls "
                    f"{part.max():,.1f} t short"))
        elif group == "purchase limit":
            for mi in sorted({int(i) // data.T for i in hit}):
                part = slack[mi * data.T:(mi + 1) * data.T]
                conflicts.append(Conflict(
                    group, names[mi], float(part.max()), "t/month",
                    f"the {names[mi]} purchase limit of "
                    f"{data.purchase_limit[mi]:,.1f} t/month would need "
                    f"{part.max():,.1f} t/month more"))
    return tuple(conflicts)


def solve(inputs: PlanInputs, options: SolveOptions | None = None) -> PlanResult:
    """Choose reserve purchases and price floors for ``inputs``.

    Returns a :class:`PlanResult`; check ``result.status.has_plan`` before reading the plan.
    Money in the result is expected and discounted to the plan start [$]; quantities in
    tonnes of material [t] or tonnes per month [t/month].
    """
    opts = options or SolveOptions()
    t0 = time.perf_counter()
    problems = inputs.validate()
    if problems:
        lines = tuple(str(p) for p in problems)
        return PlanResult(
            status=SolveStatus.INVALID_INPUT,
            message=f"The inputs have {len(problems)} problem(s); first: {lines[0]}",
            inputs_name=inputs.name, problems=lines, solve_time_s=time.perf_counter() - t0)
    try:
        return _solve_valid(inputs, opts, t0)
    except (ValueError, np.linalg.LinAlgError, MemoryError) as exc:  # pragma: no cover - guard
        return PlanResult(status=SolveStatus.ERROR,
                          message=f"The solver failed: {exc}", inputs_name=inputs.name,
                          solve_time_s=time.perf_counter() - t0)


def _is_integral(model: Model, x: NDArray) -> bool:
    z = x[model.z]
    return bool(np.all(np.abs(z - np.round(z)) < 1e-7))


def _optimise(model: Model, opts: SolveOptions, col_lo: NDArray | None = None,
              col_hi: NDArray | None = None) -> tuple[_Solution, _LPSolution | None]:
    """The MILP optimum within the given column bounds, with the LP duals at the optimum.

    The integer part is one floor level per material, so the tree is tiny: best-first
    branch and bound on LP relaxations, branching on a fractional material by pinning each
    of its levels in turn. The first integral node taken from the queue is optimal (every
    other node's bound is at least as high), and its LP duals are the shadow prices with
    the floors fixed. Cross-checked against ``scipy.optimize.milp`` in the tests.
    """
    lo = model.col_lo if col_lo is None else col_lo
    hi = model.col_hi if col_hi is None else col_hi
    deadline = time.perf_counter() + opts.time_limit_s
    root = _run_lp(model, lo, hi, opts.time_limit_s)
    if root.status == 2:
        return _Solution(root.x, math.nan, 2, "infeasible"), None
    if not root.ok:
        return _Solution(root.x, math.nan, 1 if root.status == 1 else 4,
                         f"the LP stopped with status {root.status}"), None
    counter = itertools.count()
    queue = [(root.fun, next(counter), lo, hi, root)]
    incumbent: _LPSolution | None = None
    while queue:
        _, _, node_lo, node_hi, lp = heapq.heappop(queue)
        if _is_integral(model, lp.x):
            return _Solution(lp.x, lp.fun, 0, "optimal"), lp
        z = lp.x[model.z]
        frac = []
        for mi, fl in enumerate(model.data.floors):
            zs = z[model.z_offsets[mi]:model.z_offsets[mi] + len(fl.levels_usd_per_kg)]
            frac.append(1.0 - zs.max())
        mi = int(np.argmax(frac))
        start = model.z.start + int(model.z_offsets[mi])
        n_levels = len(model.data.floors[mi].levels_usd_per_kg)
        for k in np.argsort(-z[start - model.z.start:start - model.z.start + n_levels]):
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                break
            child_lo, child_hi = node_lo.copy(), node_hi.copy()
            child_hi[start:start + n_levels] = 0.0
            child_lo[start:start + n_levels] = 0.0
            if node_hi[start + k] < 0.5:
                continue  # level excluded by the caller's bounds
            child_lo[start + k] = child_hi[start + k] = 1.0
            child = _run_lp(model, child_lo, child_hi, remaining)
            if child.ok:
                heapq.heappush(queue, (child.fun, next(counter), child_lo, child_hi, child))
                if _is_integral(model, child.x) and (incumbent is None
                                                     or child.fun < incumbent.fun):
                    incumbent = child
        if time.perf_counter() >= deadline:
            if incumbent is not None:
                return _Solution(incumbent.x, incumbent.fun, 1, "time limit"), incumbent
            return _Solution(root.x, math.nan, 1, "time limit before an integral plan"), None
    return _Solution(root.x, math.nan, 2, "infeasible"), None


def _solve_valid(inputs: PlanInputs, opts: SolveOptions, t0: float) -> PlanResult:
    data = build_plan_data(inputs)
    model = build_model(data)
    t_built = time.perf_counter()
    sol, duals = _optimise(model, opts)
    t_highs = time.perf_counter()
    common = dict(
        inputs_name=inputs.name, start_year=inputs.policy.start_year, months=data.T,
        material_names=inputs.material_names, build_time_s=t_built - t0,
        highs_time_s=t_highs - t_built, n_variables=model.n_vars, n_constraints=model.n_rows,
        n_binaries=int(model.integrality.sum()),
    )
    if sol.status == 2:
        conflicts = _diagnose(data, opts)
        if conflicts:
            msg = ("No plan meets all limits. These conflict: "
                   + "; ".join(c.sentence for c in conflicts) + ".")
        else:
            msg = "No plan meets all limits, and the conflict could not be pinned down."
        return PlanResult(status=SolveStatus.INFEASIBLE, message=msg, conflicts=conflicts,
                          solve_time_s=time.perf_counter() - t0, **common)
    if sol.status == 1 and np.all(np.isfinite(sol.x)):
        status = SolveStatus.TIME_LIMIT
        msg = (f"Stopped at the {opts.time_limit_s:g} s time limit; the plan shown is the best "
               "found so far and may not be optimal.")
    elif sol.status == 0:
        status = SolveStatus.OPTIMAL
        msg = "Optimal plan found."
    elif sol.status == 1:
        return PlanResult(status=SolveStatus.ERROR,
                          message=f"The solver reached the {opts.time_limit_s:g} s time limit "
                          "before it found any plan; allow more time or use fewer scenarios.",
                          solve_time_s=time.perf_counter() - t0, **common)
    else:
        return PlanResult(status=SolveStatus.ERROR,
                          message=f"HiGHS stopped without a plan: {sol.message}",
                          solve_time_s=time.perf_counter() - t0, **common)
    if duals is None and opts.diagnostics:
        lo, hi = _fixed_bounds(model, sol.x)
        lo[model.buy], hi[model.buy] = model.col_lo[model.buy], model.col_hi[model.buy]
        fixed = _run_lp(model, lo, hi, opts.time_limit_s)
        duals = fixed if fixed.ok else None
    return _assemble(model, sol, duals, status, msg, opts, t0, common)


def _gap(data: PlanData, levels: list[int] | None) -> NDArray:
    """Shortfall to cover (S, M, T) [t/month] at the chosen floor levels; None: no floor."""
    if levels is None:
        return data.gap_no_floor
    return np.stack([data.gap[mi][k] for mi, k in enumerate(levels)], axis=1)


def greedy_recourse(data: PlanData, buy: NDArray, levels: list[int] | None) -> tuple[
        NDArray, NDArray]:
    """Releases and unmet demand [t/month], shape (S, M, T), for fixed first-stage decisions.

    Each scenario releases as early as the release limit and the stock held at the start of
    its disruption allow. With a non-negative discount rate this is the optimal recourse:
    an earlier release earns more (sales, saved storage, avoided damage are all discounted
    less), and minimising each scenario's loss also minimises expectation and CVaR.
    """
    gap = _gap(data, levels)
    before = np.concatenate([np.zeros((data.M, 1)), np.cumsum(buy, axis=1)], axis=1)
    stock_at_start = data.stock0[None, :] + before[:, np.minimum(data.start, data.T)].T
    release = np.minimum(gap, data.release_limit[None, :, None]) * data.release_open[:, None, :]
    capped = np.minimum(np.cumsum(release, axis=2), stock_at_start[:, :, None])
    release = np.diff(capped, axis=2, prepend=0.0)
    return release, gap - release


def separable_spot(d: PlanData, gap: NDArray) -> NDArray:
    """Spot purchases (S, M, T) [t/month] of cells that hold no stock: each cell buys spot,
    up to its spot limit, the unmet demand whose marginal damage exceeds the spot premium.

    With no stock to release the cells do not interact, and in a cell the LP minimises
    premium x spot + damage(gap - spot) with a convex piecewise-linear damage: a spot tonne
    saves the slope of the tier the unmet demand is in, so the unmet falls to the first
    breakpoint b_k D whose tier's slope exceeds the premium P (mu - 1), or by the spot limit
    if that comes first. At a slope equal to the premium either choice costs the same; this
    buys none."""
    spot = np.zeros_like(gap)
    cut = d.disrupted & (d.spot_cap[:, :, None] > 0)
    for mi, tiers in enumerate(d.tiers):
        s_idx, t_idx = np.nonzero(cut[:, mi, :])
        if not len(s_idx):
            continue
        premium = d.price_dom[mi] * (d.mult[s_idx, mi, t_idx] - 1.0)  # [$/t]
        dear = tiers.slopes[None, :] > premium[:, None]  # (cells, tiers)
        any_dear = dear.any(axis=1)
        first = np.argmax(dear, axis=1)
        keep = tiers.breaks[first] * d.demand[mi, t_idx]  # unmet left [t/month]
        g = gap[s_idx, mi, t_idx]
        buy = np.clip(g - keep, 0.0, d.spot_cap[s_idx, mi])
        spot[s_idx, mi, t_idx] = np.where(any_dear, buy, 0.0)
    return spot


def _evaluate_terms(model: Model, buy: NDArray, levels: list[int] | None,
                    opts: SolveOptions, refills: bool = True
                    ) -> tuple[_ScenarioCosts, NDArray] | None:
    """Cost terms and unmet demand (S, M, T) of fixed first-stage decisions;
    ``levels`` None means no new floor at all (even where 0 is not a candidate);
    ``refills`` False forbids the scenarios' own purchases (the status quo buys nothing)."""
    out = fixed_recourse(model.data, buy, levels, opts, model=model, refills=refills)
    if out is None:
        return None
    rel, unmet, spot, refill, lp_model, lp_levels = out
    return _scenario_costs(lp_model, buy, lp_levels, rel, unmet, spot, refill), unmet


def fixed_recourse(d: PlanData, buy: NDArray, levels: list[int] | None,
                   opts: SolveOptions | None = None, model: Model | None = None,
                   refills: bool = True):
    """The optimal recourse of fixed first-stage decisions: releases, unmet demand, spot
    purchases and the scenarios' own purchases after their first episode (S, M, T)
    [t/month], with the model and floor levels they were found in; None if the LP fails.
    ``levels`` None means no new floor at all; ``refills`` False fixes the scenarios' own
    purchases at zero.

    Greedy release (:func:`greedy_recourse`) when it is provably optimal (no damage tiers,
    no spot market, no refill to decide, a non-negative discount rate); otherwise the LP
    with the first stage fixed: a convex damage may pay to spread releases, spot purchases
    compete with them, and a refill between episodes can serve the next one.
    """
    opts = opts or SolveOptions()
    if (not refills and not np.any(buy) and not np.any(d.stock0)
            and d.inputs.policy.risk_aversion <= 0):
        # Nothing held and nothing to buy (the status quo with no starting stock) and no
        # risk term: no release is possible and each cell's spot purchase is its own.
        gap = _gap(d, levels)
        spot = separable_spot(d, gap)
        zero = np.zeros_like(gap)
        return zero, gap - spot, spot, zero, model, levels
    if not _has_rich_recourse(d, refills) and (d.inputs.policy.discount_rate_per_yr >= 0
                                      or levels is None):
        rel, unmet = greedy_recourse(d, buy, levels)
        return rel, unmet, np.zeros_like(rel), np.zeros_like(rel), model, levels
    lp_model = model if model is not None else build_model(d)
    lp_levels = levels
    if levels is None:
        lp_model, lp_levels = _no_floor_model(lp_model)
    lp_model = _recourse_model(lp_model)
    x_first = _first_stage_vector(lp_model, buy, lp_levels)
    lo, hi = _fixed_bounds(lp_model, x_first)
    if not refills:
        hi[lp_model.refill] = 0.0
        if not np.any(buy) and not np.any(d.stock0):
            hi[lp_model.rel] = 0.0  # nothing held, nothing bought: nothing to release
    row_lo, row_hi = _scenario_budget_room(lp_model, x_first)
    if np.count_nonzero(lo < hi) < REDUCED_LP_SHARE * len(lo):
        lp = solve_with_fixed_columns(lp_model.c, lp_model.A, row_lo, row_hi, lo, hi,
                                      opts.time_limit_s)
        if lp.status != 0:
            return None
    else:
        lp = _run_lp(lp_model, lo, hi, opts.time_limit_s, row_lo, row_hi)
        if not lp.ok:
            return None
    rel = _scatter_cells(lp_model, np.clip(lp.x[lp_model.rel], 0.0, None))
    unmet = _scatter_cells(lp_model, lp_model.unmet(lp.x))
    spot = _scatter_cells(lp_model, lp_model.spot_purchases(lp.x))
    return rel, unmet, spot, lp_model.refills(lp.x), lp_model, lp_levels


def _scenario_budget_room(model: Model, x_first: NDArray) -> tuple[NDArray, NDArray]:
    """Row bounds for evaluating a fixed plan: a plan whose calm-path purchases already
    break a budget (the first-stage rows are relaxed for it) leaves its scenarios no room
    to refill in that year, rather than no feasible recourse."""
    lo, hi = model.row_lo, model.row_hi
    groups = [g for g in ("annual budget after a disruption", "total budget after a disruption")
              if g in model.row_groups]
    if not groups:
        return lo, hi
    hi = hi.copy()
    first = np.zeros_like(x_first)
    first[model.first_stage] = x_first[model.first_stage]
    used = model.A @ first
    for g in groups:
        rows = model.row_groups[g]
        hi[rows] = np.maximum(hi[rows], used[rows])
    return lo, hi


#: A fixed plan's recourse is solved as a smaller LP of its free columns alone when fewer
#: than this share of the columns is free (the status quo with no stock: 46% on the
#: baseline, 12 ms against 20 ms warm); otherwise the model's own HiGHS instance re-solves
#: from its last basis (a fixed plan with stock: 97% free, 14 ms warm against 32 ms for a
#: cold smaller LP) [-].
REDUCED_LP_SHARE = 0.6

#: Row groups that hold first-stage variables only: with the first stage fixed they are
#: met or not by the plan itself, and a plan that breaks them (the status quo below a
#: minimum cover) still has a recourse to evaluate.
FIRST_STAGE_GROUPS = ("annual budget", "total budget", "minimum cover")


def _recourse_model(model: Model) -> Model:
    """``model`` with its first-stage-only rows relaxed, made once and kept with it (its
    persistent LP then serves every fixed plan evaluated on it)."""
    rec = getattr(model, "_recourse_model", None)
    if rec is None:
        lo, hi = model.row_lo.copy(), model.row_hi.copy()
        for name in FIRST_STAGE_GROUPS:
            if name in model.row_groups:
                lo[model.row_groups[name]] = -np.inf
                hi[model.row_groups[name]] = np.inf
        rec = replace(model, row_lo=lo, row_hi=hi)
        # The same matrix and costs: share the model's HiGHS instance (only row bounds
        # change), so the evaluation starts from the optimum's basis instead of cold.
        rec._persistent_lp = _persistent_lp(model)  # type: ignore[attr-defined]
        model._recourse_model = rec  # type: ignore[attr-defined]
    return rec


def _has_rich_recourse(d: PlanData, refills: bool = True) -> bool:
    """Whether the recourse has damage tiers, spot purchases or (with ``refills``) the
    scenarios' own purchases to decide (greedy release is then not the optimal recourse)."""
    return bool(any(len(t.slopes) > 1 for t in d.tiers) or (d.spot_cap > 0).any()
                or (refills and d.refill is not None and d.refill.any()))


def _no_floor_model(model: Model) -> tuple[Model, list[int]]:
    """A model of the same inputs whose only floor level is 0 for every material, and its
    levels: the status quo's recourse when 0 is not among the candidates."""
    d = model.data
    if all(f.levels_usd_per_kg[0] == 0 for f in d.floors):
        return model, [0] * d.M
    pol = d.inputs.policy
    inputs = replace(d.inputs, policy=replace(pol, floor_candidates_usd_per_kg=tuple(
        (name, (0.0,)) for name in d.inputs.material_names)))
    return build_model(build_plan_data(inputs)), [0] * d.M


def objective_of(terms: _ScenarioCosts, prob: NDArray, policy) -> float:
    """The objective of one plan's cost terms [$]: expected loss plus the risk weight times
    the CVaR of shortage damage (docs/model.md, "Objective")."""
    expected = float(prob @ terms.losses)
    if policy.risk_aversion <= 0:
        return expected
    return expected + policy.risk_aversion * cvar(terms.shortage_by_scenario, prob,
                                                  policy.cvar_level)


def _evaluate(model: Model, buy: NDArray, levels: list[int] | None,
              opts: SolveOptions) -> tuple[float, NDArray]:
    """Objective [$] and unmet demand (S, M, T) of fixed first-stage decisions."""
    d = model.data
    out = _evaluate_terms(model, buy, levels, opts)
    if out is None:
        return math.nan, np.zeros((d.S, d.M, d.T))
    terms, unmet = out
    return objective_of(terms, d.prob, d.inputs.policy), unmet


def _status_quo(model: Model, opts: SolveOptions) -> tuple[StatusQuo, _ScenarioCosts,
                                                           NDArray]:
    """The status quo: existing commitments, no purchases, no new floor."""
    d = model.data
    inputs, pol, prob = d.inputs, d.inputs.policy, d.prob
    terms, unmet = _evaluate_terms(model, np.zeros((d.M, d.T)), None, opts, refills=False)
    floors = tuple(
        ContractedFloorOutcome(
            name=f.name, material=f.material, project=f.project,
            level_usd_per_kg=f.level_usd_per_kg,
            covered_t=float(d.contracted_volume[i].sum()),
            expected_payout_usd=float(prob @ d.contracted_payout[i]),
            worst_case_payout_usd=float(d.contracted_worst_payout[i]))
        for i, f in enumerate(inputs.contracted_floors))
    committed = tuple(
        (p.name, p.committed_by or next(
            (f.contract or f.name for f in inputs.contracted_floors if f.project == p.name), ""))
        for p in inputs.projects if inputs.is_committed(p))
    money = tuple(
        PublicMoney(p.name, p.government_equity_usd, p.government_loan_usd,
                    p.loan_loss_given_default_share, p.failure_probability)
        for p in inputs.projects if p.government_equity_usd or p.government_loan_usd)
    shortage = terms.shortage_by_scenario
    sq = StatusQuo(
        objective_usd=objective_of(terms, prob, pol),
        expected_cost_usd=float(prob @ terms.losses),
        shortage_usd=float(prob @ shortage),
        shortage_cvar_usd=cvar(shortage, prob, pol.cvar_level),
        loss_cvar_usd=cvar(terms.losses, prob, pol.cvar_level),
        expected_unmet_by_material_t=tuple(float(v) for v in np.einsum("s,smt->m", prob,
                                                                          unmet)),
        contracted_floors=floors, committed_projects=committed, public_money=money,
        scenario_losses_usd=tuple(float(v) for v in terms.losses),
        scenario_shortage_usd=tuple(float(v) for v in shortage),
    )
    return sq, terms, unmet


def _assemble(model: Model, sol: _Solution, duals: _LPSolution | None, status: SolveStatus,
              msg: str, opts: SolveOptions, t0: float, common: dict) -> PlanResult:
    d = model.data
    inputs, pol = d.inputs, d.inputs.policy
    x = sol.x
    M, T = d.M, d.T
    buy = np.clip(x[model.buy].reshape(M, T), 0.0, None)
    levels = _chosen_levels(model, x)
    rel = _scatter_cells(model, np.clip(x[model.rel], 0.0, None))
    unmet = _scatter_cells(model, model.unmet(x))
    spot = _scatter_cells(model, model.spot_purchases(x))
    refill = model.refills(x)
    terms = _scenario_costs(model, buy, levels, rel, unmet, spot, refill)
    stock = terms.stock
    losses = terms.losses
    prob = d.prob
    cvar_total = cvar(losses, prob, pol.cvar_level)
    shortage_cvar = cvar(terms.shortage_by_scenario, prob, pol.cvar_level)
    breakdown = CostBreakdown(
        purchases_usd=float(prob @ terms.purchases.sum(axis=1)),
        storage_usd=float(prob @ terms.storage.sum(axis=1)),
        release_revenue_usd=float(prob @ terms.revenue.sum(axis=1)),
        salvage_credit_usd=float(prob @ terms.salvage.sum(axis=1)),
        floor_payouts_usd=float(prob @ terms.payout.sum(axis=1)),
        shortage_usd=float(prob @ terms.shortage.sum(axis=1)),
        risk_premium_usd=float(pol.risk_aversion * shortage_cvar) if pol.risk_aversion > 0
        else 0.0,
        contracted_floor_payouts_usd=float(prob @ terms.contracted.sum(axis=1)),
        spot_premium_usd=float(prob @ terms.spot.sum(axis=1)),
    )

    # The status quo: existing commitments, no new reserve, no new floor.
    status_quo, sq_terms, unmet_none = _status_quo(model, opts)
    cost_none = status_quo.objective_usd
    budget_value: tuple[float, ...] = ()
    release_value = np.zeros(M)
    if duals is not None:
        budget_value = tuple(float(-v) for v in duals.row_dual[model.budget_rows])
        cm = model.cells[1]
        limit_dual = np.where(model.rel_bound_is_limit, duals.upper_dual[model.rel], 0.0)
        release_value = -np.bincount(cm, weights=limit_dual, minlength=M)
    eev = vss = math.nan
    if opts.diagnostics:
        ev_model = build_model(build_plan_data(_expected_value_inputs(inputs)))
        ev_relax = _run_lp(ev_model, ev_model.col_lo, ev_model.col_hi, opts.time_limit_s)
        if ev_relax.ok and _is_integral(ev_model, ev_relax.x):
            ev_x = ev_relax.x
        else:
            ev_sol = _run_milp(ev_model, opts)
            ev_x = ev_sol.x if ev_sol.status == 0 else None
        if ev_x is not None:
            ev_buy = np.clip(ev_x[ev_model.buy].reshape(M, T), 0.0, None)
            eev, _ = _evaluate(model, ev_buy, _chosen_levels(ev_model, ev_x), opts)
            vss = eev - sol.fun
            if status is SolveStatus.OPTIMAL:
                vss = max(vss, 0.0)  # only round-off can make it negative

    appraisals = _appraise_floors(model, x, sol.fun, opts) if opts.appraise_floors else {}
    wait_and_see = evpi = math.nan
    if opts.perfect_information:
        wait_and_see = _wait_and_see(inputs, opts)
        evpi = sol.fun - wait_and_see

    scenarios = tuple(
        ScenarioOutcome(
            name=s.name, probability=s.probability, loss_usd=float(losses[i]),
            shortage_usd=float(terms.shortage_by_scenario[i]),
            status_quo_loss_usd=status_quo.scenario_losses_usd[i], stock_t=stock[i],
            releases_t=rel[i], unmet_t=unmet[i],
            unmet_without_plan_t=unmet_none[i], spot_t=spot[i], refill_t=refill[i],
            parent=d.scenario_parent[i] if d.scenario_parent else s.name,
        )
        for i, s in enumerate(inputs.scenarios)
    )
    exp_unmet = np.einsum("s,smt->m", prob, unmet)
    exp_unmet_none = np.einsum("s,smt->m", prob, unmet_none)
    shortage_avoided = float(prob @ (sq_terms.shortage_by_scenario
                                     - terms.shortage_by_scenario))

    materials = []
    for mi, mat in enumerate(inputs.materials):
        k = levels[mi]
        fl = d.floors[mi]
        projects = []
        equity = loss = 0.0
        for jj, j in enumerate(fl.project_indices):
            if not fl.supported[k, jj]:
                continue
            p = inputs.projects[j]
            full = p.earliest_online_month + max(p.ramp_up_months - 1, 0)
            projects.append(SupportedProject(
                p.name, p.kind.value, p.capacity_t_per_yr,
                month_label(pol.start_year, p.earliest_online_month),
                month_label(pol.start_year, full), p.failure_probability))
            equity += p.government_equity_usd + p.government_loan_usd
            loss += p.expected_public_loss_usd
        floor = FloorDecision(
            level_usd_per_kg=float(fl.levels_usd_per_kg[k]),
            candidates_usd_per_kg=tuple(float(v) for v in fl.levels_usd_per_kg),
            projects=tuple(projects),
            expected_payout_usd=float(prob @ d.payout[mi][:, k]),
            worst_case_payout_usd=float(d.worst_payout[mi][k]),
            equity_at_risk_usd=equity, expected_equity_loss_usd=loss,
            expected_added_supply_t=float(fl.supply[k].sum()),
            appraisal=appraisals.get(mi, ()),
        )
        target = float(d.stock0[mi] + buy[mi].sum())
        bought = np.nonzero(buy[mi] > 1e-6)[0]
        months_to_fill = int(bought[-1] + 1) if len(bought) else 0
        # The year the target is held: the year of the last purchase (plan year 0 if none).
        year = int(d.year_of_month[max(months_to_fill - 1, 0)])
        previous_imports = float(d.net_imports_by_year[mi, year])
        reached_imports = float(d.net_imports_by_year[mi, year + 1])
        P = d.price_dom[mi]
        net_cost = float(prob @ terms.reserve[:, mi])
        materials.append(MaterialPlan(
            material=mat.name, reserve_target_t=target,
            days_of_import_cover=float(iea_cover_days(target, previous_imports)),
            net_imports_t_per_yr=previous_imports,
            fill_schedule_t=buy[mi], planned_outlay_usd=float(buy[mi].sum() * P),
            net_reserve_cost_usd=net_cost, floor=floor,
            expected_unmet_t=float(exp_unmet[mi]),
            expected_unmet_without_plan_t=float(exp_unmet_none[mi]),
            release_capacity_value_usd_per_t_month=float(release_value[mi]),
            months_to_fill=months_to_fill,
            status_quo_reserve_cost_usd=float(prob @ sq_terms.reserve[:, mi]),
            days_of_cover_year_reached=(target / (reached_imports / 365.0)
                                        if reached_imports > 0 else math.inf),
            year_reached=pol.start_year + year,
        ))

    if opts.near_optimal_tolerance is not None:
        materials = [replace(m, near_optimal=_size_curve(model, mi, m.reserve_target_t,
                                                         sol.fun, opts))
                     for mi, m in enumerate(materials)]

    tariff_cost = tariff_cost_to_buyers(d, levels)
    lag_costs = tuple((int(lag), _lag_cost(inputs, int(lag), sol.fun, opts))
                      for lag in opts.release_lags)
    exposure = None
    if opts.payout_runs > 0:
        exposure = fiscal_exposure(inputs, {m.material: m.floor.level_usd_per_kg
                                            for m in materials}, runs=opts.payout_runs, data=d)

    return PlanResult(
        status=status, message=msg, objective_usd=sol.fun, costs=breakdown,
        materials=tuple(materials), scenarios=scenarios,
        expected_shortage_avoided_usd=shortage_avoided, cost_without_plan_usd=cost_none,
        eev_usd=eev, vss_usd=vss, wait_and_see_usd=wait_and_see, evpi_usd=evpi,
        budget_value_usd_per_usd=budget_value,
        tariff_cost_to_buyers_usd=tariff_cost, cvar_usd=cvar_total,
        shortage_cvar_usd=shortage_cvar, status_quo=status_quo, fiscal_exposure=exposure,
        release_lag_costs_usd=lag_costs, warnings=d.price_warnings,
        solve_time_s=time.perf_counter() - t0, **common,
    )


def _lag_cost(inputs: PlanInputs, lag: int, objective_usd: float, opts: SolveOptions) -> float:
    """Objective with the release decision lag set to ``lag`` months, re-optimised, minus
    ``objective_usd`` [$]; nan if that plan cannot be found."""
    alt = replace(inputs, policy=replace(inputs.policy, release_lag_months=lag))
    sol, _ = _optimise(build_model(build_plan_data(alt)), opts)
    return sol.fun - objective_usd if sol.status == 0 else math.nan


def _size_curve(model: Model, mi: int, optimum_t: float, objective_usd: float,
                opts: SolveOptions) -> SizeCurve:
    """Material ``mi``'s reserve size curve and near-optimal range, by re-solving with its
    reserve target pinned (the last cumulative-purchase column fixed)."""
    d = model.data
    col = model.cum.start + mi * d.T + d.T - 1
    stock0 = float(d.stock0[mi])

    def pinned(size_t: float) -> float:
        lo, hi = model.col_lo.copy(), model.col_hi.copy()
        lo[col] = hi[col] = max(size_t - stock0, 0.0)
        sol, _ = _optimise(model, opts, lo, hi)
        return sol.fun if sol.status == 0 else math.inf

    largest = stock0 + float(d.purchase_limit[mi]) * d.T
    return size_curve(d.inputs.material_names[mi], optimum_t, objective_usd, largest, pinned,
                      opts.near_optimal_tolerance or DEFAULT_TOLERANCE)


def _appraise_floors(model: Model, x: NDArray, optimum: float,
                     opts: SolveOptions) -> dict[int, tuple[FloorOption, ...]]:
    """For each material, the best plan with its floor pinned at each candidate level."""
    d = model.data
    chosen = _chosen_levels(model, x)
    out: dict[int, tuple[FloorOption, ...]] = {}
    for mi, fl in enumerate(d.floors):
        options = []
        for k, level in enumerate(fl.levels_usd_per_kg):
            if k == chosen[mi]:
                change = 0.0
            else:
                lo, hi = model.col_lo.copy(), model.col_hi.copy()
                block = slice(model.z.start + model.z_offsets[mi],
                              model.z.start + model.z_offsets[mi] + len(fl.levels_usd_per_kg))
                lo[block] = hi[block] = 0.0
                lo[block.start + k] = hi[block.start + k] = 1.0
                pinned, _ = _optimise(model, opts, lo, hi)
                change = pinned.fun - optimum if pinned.status == 0 else math.inf
            names = tuple(d.inputs.projects[j].name
                          for jj, j in enumerate(fl.project_indices) if fl.supported[k, jj])
            options.append(FloorOption(float(level), names,
                                       float(d.prob @ d.payout[mi][:, k]), max(change, 0.0)))
        out[mi] = tuple(options)
    return out


def _wait_and_see(inputs: PlanInputs, opts: SolveOptions) -> float:
    """Cost of deciding with perfect foresight [$]: each scenario solved alone (its own
    loss plus the risk weight times its own shortage damage), the results combined by the
    plan's measure, E[loss] + weight x CVaR(shortage damage)."""
    pol = inputs.policy
    S = len(inputs.scenarios)
    losses, shortage = np.full(S, math.nan), np.full(S, math.nan)
    for i, s in enumerate(inputs.scenarios):
        alone = replace(inputs, scenarios=(replace(s, probability=1.0),))
        model = build_model(build_plan_data(alone))
        sol, _ = _optimise(model, opts)
        if sol.status != 0:
            continue
        buy = np.clip(sol.x[model.buy].reshape(model.data.M, model.data.T), 0.0, None)
        out = _evaluate_terms(model, buy, _chosen_levels(model, sol.x), opts)
        if out is not None:
            losses[i] = out[0].losses[0]
            shortage[i] = out[0].shortage_by_scenario[0]
    prob = np.array([s.probability for s in inputs.scenarios])
    risk = pol.risk_aversion * cvar(shortage, prob, pol.cvar_level) if pol.risk_aversion else 0.0
    return float(prob @ losses + risk)
