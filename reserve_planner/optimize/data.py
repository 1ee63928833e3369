"""Numeric arrays derived from :class:`PlanInputs`, computed once per solve, vectorised.

Shapes: ``M`` materials, ``T`` months, ``S`` scenarios, ``K_m`` floor levels of material m.
Quantities are per month [t/month] unless the name says otherwise; prices in $/t.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..model import DisruptionScenario, PlanInputs
from .pricing import net_floor_cost, price_quantile

KG_PER_T = 1000.0
WORST_CASE_QUANTILE = 0.05


@dataclass(frozen=True)
class FloorLevels:
    """Candidate floor levels of one material and what each brings online."""

    material_index: int
    levels_usd_per_kg: NDArray[np.float64]  # (K,), first is 0 = no floor
    supported: NDArray[np.bool_]  # (K, J_m): project j bankable at level k
    project_indices: NDArray[np.int64]  # (J_m,) indices into inputs.projects
    supply: NDArray[np.float64]  # (K, T) expected added supply [t/month]
    full_supply: NDArray[np.float64]  # (K, T) supply if no project fails [t/month]


@dataclass(frozen=True)
class PlanData:
    """Everything the formulation needs, as arrays."""

    inputs: PlanInputs
    T: int
    M: int
    S: int
    prob: NDArray[np.float64]  # (S,)
    disc: NDArray[np.float64]  # (T+1,) discount factor at the start of month t
    hold: NDArray[np.float64]  # (T,) sum of disc over month boundaries after t inside horizon
    demand: NDArray[np.float64]  # (M, T)
    domestic: NDArray[np.float64]  # (M, T)
    allied: NDArray[np.float64]  # (M, T)
    net_imports_t_per_yr: NDArray[np.float64]  # (M, T) demand less domestic, yearly rate
    price_dom: NDArray[np.float64]  # (M,) normal US price incl. tariff pass-through [$/t]
    mult: NDArray[np.float64]  # (S, T) price multiplier
    active: NDArray[np.bool_]  # (S, T) disruption under way
    depth: NDArray[np.float64]  # (S, M)
    disrupted: NDArray[np.bool_]  # (S, M, T) material cut in that month (purchases stop)
    floors: tuple[FloorLevels, ...]  # per material
    gap: tuple[NDArray[np.float64], ...]  # per material (K, S, T) shortfall at level k
    gap_no_floor: NDArray[np.float64]  # (S, M, T) shortfall with no project supply
    payout: tuple[NDArray[np.float64], ...]  # per material (S, K) discounted payout [$]
    worst_payout: tuple[NDArray[np.float64], ...]  # per material (K,) 95% payout [$]
    storage_per_t_month: NDArray[np.float64]  # (M,) [$/t/month]
    shortage_per_t: NDArray[np.float64]  # (M,) [$/t]
    purchase_limit: NDArray[np.float64]  # (M,)
    release_limit: NDArray[np.float64]  # (M,)
    stock0: NDArray[np.float64]  # (M,)
    start: NDArray[np.int64]  # (S,)
    year_of_month: NDArray[np.int64]  # (T,)


def _yearly(series: tuple[float, ...], years: NDArray[np.int64]) -> NDArray[np.float64]:
    arr = np.asarray(series, dtype=float)
    return arr[np.minimum(years, len(arr) - 1)]


def _scenario_masks(
    scenarios: tuple[DisruptionScenario, ...], T: int
) -> tuple[NDArray[np.bool_], NDArray[np.float64], NDArray[np.int64]]:
    t = np.arange(T)
    start = np.array([s.start_month for s in scenarios], dtype=np.int64)
    dur = np.array([s.duration_months for s in scenarios], dtype=np.int64)
    after = np.array([s.after_months for s in scenarios], dtype=np.int64)
    during = np.array([s.price_multiplier_during for s in scenarios], dtype=float)
    post = np.array([s.price_multiplier_after for s in scenarios], dtype=float)
    end = start + dur
    active = (t >= start[:, None]) & (t < end[:, None])
    after_mask = (t >= end[:, None]) & (t < (end + after)[:, None])
    mult = np.ones((len(scenarios), T))
    mult = np.where(active, during[:, None], mult)
    mult = np.where(after_mask, post[:, None], mult)
    return active, mult, start


def ramp(t: NDArray[np.int64], online: int, ramp_months: int) -> NDArray[np.float64]:
    """Share of capacity producing in month ``t`` [0-1], linear over ``ramp_months``."""
    if ramp_months <= 0:
        return (t >= online).astype(float)
    return np.clip((t - online + 1) / ramp_months, 0.0, 1.0)


def project_unit_cost(inputs: PlanInputs, unit_cost_usd_per_kg: float) -> float:
    """Unit cost after tariff inflation of tariffed inputs [$/kg]."""
    pol = inputs.policy
    return unit_cost_usd_per_kg * (1.0 + pol.tariff_share * pol.tariff_input_cost_share)


def build_plan_data(inputs: PlanInputs) -> PlanData:
    """Precompute the arrays of the formulation from validated ``inputs``."""
    pol = inputs.policy
    T = pol.horizon_months
    M = len(inputs.materials)
    S = len(inputs.scenarios)
    t = np.arange(T)
    years = t // 12
    mats = inputs.materials

    monthly_rate = (1.0 + pol.discount_rate_per_yr) ** (1.0 / 12.0)
    disc = monthly_rate ** -np.arange(T + 1, dtype=float)
    # Storage is paid on stock carried over each month boundary inside the horizon (1..T-1);
    # hold[t] sums the discount of the boundaries after month t.
    boundary = disc.copy()
    boundary[0] = 0.0
    boundary[T] = 0.0
    hold = np.cumsum(boundary[::-1])[::-1][1:]

    growth = np.array([m.demand_growth_per_yr for m in mats])
    demand = (np.array([m.demand_t_per_yr for m in mats])[:, None]
              * (1.0 + growth[:, None]) ** years[None, :]) / 12.0
    domestic = np.stack([_yearly(m.domestic_supply_t_per_yr, years) for m in mats]) / 12.0
    allied = np.stack([_yearly(m.allied_supply_t_per_yr, years) for m in mats]) / 12.0
    china = np.array([m.china_exposed_share for m in mats])
    allied_exp = np.array([m.allied_exposed_share for m in mats])
    sigma = np.array([m.price_log_volatility for m in mats])
    price_dom = np.array([m.price_usd_per_kg for m in mats]) * (
        1.0 + pol.tariff_share * pol.tariff_price_passthrough * china
    )

    active, mult, start = _scenario_masks(inputs.scenarios, T)
    prob = np.array([s.probability for s in inputs.scenarios], dtype=float)
    names = inputs.material_names
    depth = np.array([[s.depth(n) for n in names] for s in inputs.scenarios], dtype=float)
    depth = depth.reshape(S, M)
    hits_allied = np.array([s.hits_allied_supply for s in inputs.scenarios], dtype=float)
    disrupted = active[:, None, :] & (depth[:, :, None] > 0)

    floors: list[FloorLevels] = []
    gaps: list[NDArray[np.float64]] = []
    gap_no_floor = np.zeros((S, M, T))
    payouts: list[NDArray[np.float64]] = []
    worst: list[NDArray[np.float64]] = []
    disc_t = disc[:T]
    # Few distinct multipliers: price each (level, multiplier) pair once.
    uniq_mult, mult_inv = np.unique(mult, return_inverse=True)
    mult_inv = mult_inv.reshape(S, T)
    for mi, mat in enumerate(mats):
        proj_idx = np.array(
            [j for j, p in enumerate(inputs.projects) if p.material == mat.name], dtype=np.int64
        )
        costs = np.array([project_unit_cost(inputs, inputs.projects[j].unit_cost_usd_per_kg)
                          for j in proj_idx])
        given = pol.floor_candidates(mat.name)
        if given is None:
            levels = np.unique(np.concatenate([[0.0], np.round(costs, 2)]))
        else:
            levels = np.unique(np.round(np.asarray(given, dtype=float), 2))
        supported = costs[None, :] <= levels[:, None] + 1e-9 if len(proj_idx) else np.zeros(
            (len(levels), 0), dtype=bool)
        out_full = np.array([
            inputs.projects[j].capacity_t_per_yr / 12.0
            * ramp(t, inputs.projects[j].earliest_online_month, inputs.projects[j].ramp_up_months)
            for j in proj_idx
        ]).reshape(len(proj_idx), T)
        survive = np.array([1.0 - inputs.projects[j].failure_probability for j in proj_idx])
        supply_full = supported.astype(float) @ out_full
        supply = supported.astype(float) @ (out_full * survive[:, None])
        floors.append(FloorLevels(mi, levels, supported, proj_idx, supply, supply_full))

        residual = demand[mi] - domestic[mi] - allied[mi]  # (T,)
        cut = depth[:, mi][:, None] * active  # (S, T)
        exposed_allied = (hits_allied * allied_exp[mi])[:, None] * allied[mi][None, :]  # (S, T)
        # Shortfall at each floor level, and (last row) with no project supply at all.
        added = np.vstack([supply, np.zeros(T)])  # (K+1, T)
        china_imports = np.maximum(residual - added, 0.0)[:, None, :]  # (K+1, 1, T)
        shortfall = cut * (china[mi] * china_imports + exposed_allied)  # (K+1, S, T)
        gaps.append(shortfall[:-1])
        gap_no_floor[:, mi, :] = shortfall[-1]

        # Discounted expected payout of each level in each scenario [$].
        means = price_dom[mi] * uniq_mult  # $/kg per distinct multiplier
        per_kg = net_floor_cost(levels[:, None], means[None, :], sigma[mi],
                                pol.floor_upside_share)  # (K, U)
        weighted = supply * disc_t[None, :] * KG_PER_T  # (K, T) kg-discount weights
        pay = np.einsum("kst,kt->sk", per_kg[:, mult_inv], weighted)
        payouts.append(pay)
        low_uniq = price_quantile(means, sigma[mi], WORST_CASE_QUANTILE)
        gap_kg = np.maximum(levels[:, None] - low_uniq[None, :], 0.0)  # (K, U)
        full_w = supply_full * disc_t[None, :] * KG_PER_T
        worst.append(np.einsum("kst,kt->ks", gap_kg[:, mult_inv], full_w).max(axis=1))

    return PlanData(
        inputs=inputs, T=T, M=M, S=S, prob=prob, disc=disc, hold=hold,
        demand=demand, domestic=domestic, allied=allied,
        net_imports_t_per_yr=np.maximum(demand - domestic, 0.0) * 12.0,
        price_dom=price_dom * KG_PER_T, mult=mult, active=active, depth=depth,
        disrupted=disrupted, floors=tuple(floors), gap=tuple(gaps), gap_no_floor=gap_no_floor,
        payout=tuple(payouts),
        worst_payout=tuple(worst),
        storage_per_t_month=np.array([m.storage_cost_usd_per_t_yr for m in mats]) / 12.0,
        shortage_per_t=np.array([m.shortage_cost_usd_per_kg for m in mats]) * KG_PER_T,
        purchase_limit=np.array([m.purchase_limit_t_per_month for m in mats]),
        release_limit=np.array([m.release_limit_t_per_month for m in mats]),
        stock0=np.array([m.starting_stock_t for m in mats]),
        start=start, year_of_month=years,
    )
