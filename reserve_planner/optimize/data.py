"""Numeric arrays derived from :class:`PlanInputs`, computed once per solve, vectorised.

Shapes: ``M`` materials, ``T`` months, ``S`` scenarios, ``K_m`` floor levels of material m.
Quantities are per month [t/month] unless the name says otherwise; prices in $/t.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from ..model import DemandCurve, DisruptionScenario, PlanInputs, ProjectKind, SupplyProject
from ..model.start_windows import expand_start_windows
from .damage import DamageTiers, curve_price, material_tiers
from .pricing import log_price_sd, net_floor_cost, price_quantile

KG_PER_T = 1000.0
WORST_CASE_QUANTILE = 0.05
#: The IEA counts 10% of emergency stocks as unavailable (tank bottoms; for a stockpile,
#: material that cannot be drawn in time): Council Directive 2009/119/EC, Annex III, and
#: the IEA's "days of net imports" methodology.
IEA_UNAVAILABLE_SHARE = 0.10


def iea_cover_days(stock_t, previous_year_net_imports_t_per_yr):
    """Days of cover by the IEA convention [days]: usable stock (90% of what is held) over
    the previous calendar year's net imports per day; inf when there are no net imports."""
    stock = np.asarray(stock_t, dtype=float)
    per_day = np.asarray(previous_year_net_imports_t_per_yr, dtype=float) / 365.0
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(per_day > 0, (1.0 - IEA_UNAVAILABLE_SHARE) * stock / per_day, np.inf)


def iea_stock_for_days(days, previous_year_net_imports_t_per_yr):
    """Stock to hold for ``days`` of cover by the IEA convention [t] (inverse of
    :func:`iea_cover_days`)."""
    return (np.asarray(days, dtype=float) * np.asarray(previous_year_net_imports_t_per_yr,
                                                        dtype=float)
            / 365.0 / (1.0 - IEA_UNAVAILABLE_SHARE))


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
    net_imports_by_year: NDArray[np.float64]  # (M, Y+1) [t/yr]; column 0 is the year
    # before the plan starts, column y+1 plan year y
    price_dom: NDArray[np.float64]  # (M,) normal US price incl. tariff pass-through [$/t]
    mult: NDArray[np.float64]  # (S, M, T) price multiplier, stated or from the demand curve
    active: NDArray[np.bool_]  # (S, T) disruption under way
    depth: NDArray[np.float64]  # (S, M, T) share of China-exposed supply lost [0-1]
    disrupted: NDArray[np.bool_]  # (S, M, T) material cut in that month (purchases stop)
    release_open: NDArray[np.bool_]  # (S, T) outside every episode's release decision lag
    floors: tuple[FloorLevels, ...]  # per material
    gap: tuple[NDArray[np.float64], ...]  # per material (K, S, T) shortfall at level k
    gap_no_floor: NDArray[np.float64]  # (S, M, T) shortfall with no project supply
    payout: tuple[NDArray[np.float64], ...]  # per material (S, K) discounted payout [$]
    worst_payout: tuple[NDArray[np.float64], ...]  # per material (K,) 95% payout [$]
    committed_supply: NDArray[np.float64]  # (M, T) expected output of committed projects
    contracted_material: NDArray[np.int64]  # (F,) material of each contracted floor
    contracted_volume: NDArray[np.float64]  # (F, T) expected covered volume [t/month]
    contracted_payout: NDArray[np.float64]  # (F, S) discounted payout of contracted floors [$]
    contracted_worst_payout: NDArray[np.float64]  # (F,) 95% payout [$]
    storage_per_t_month: NDArray[np.float64]  # (M,) [$/t/month]
    shortage_per_t: NDArray[np.float64]  # (M,) first damage tier's slope [$/t]
    tiers: tuple[DamageTiers, ...]  # per material, damage tiers at the normal US price
    spot_cap: NDArray[np.float64]  # (S, M) spot purchases available per disrupted month
    shortfall_share: NDArray[np.float64]  # (S, M) mean shortfall share while disrupted,
    # no floor, no reserve [0-1]
    price_warnings: tuple[str, ...]  # stated multipliers the demand curve contradicts
    purchase_limit: NDArray[np.float64]  # (M,)
    release_limit: NDArray[np.float64]  # (M,)
    stock0: NDArray[np.float64]  # (M,)
    start: NDArray[np.int64]  # (S,) first month of the first episode: the calm path ends
    # (purchases are the scenario's own from then on); T when the scenario has none
    year_of_month: NDArray[np.int64]  # (T,)
    scenario_parent: tuple[str, ...] = ()  # (S,) the input scenario each solved one came from
    allied_hit: NDArray[np.float64] | None = None  # (S, T) 1 where exposed allied supply is cut
    refill: NDArray[np.bool_] | None = None  # (S, M, T) the scenario's own purchases allowed
    # (after its first episode starts; see _refill_cells)

    @property
    def calm(self) -> NDArray[np.bool_]:
        """(S, T) months before each scenario's first episode, when the calm-path purchases
        are made."""
        return np.arange(self.T)[None, :] < self.start[:, None]


def _yearly(series: tuple[float, ...], years: NDArray[np.int64]) -> NDArray[np.float64]:
    arr = np.asarray(series, dtype=float)
    return arr[np.minimum(years, len(arr) - 1)]


@dataclass(frozen=True)
class ScenarioMasks:
    """The scenarios' episodes as month masks. Shapes (S, T) or (S, M, T)."""

    active: NDArray[np.bool_]  # (S, T) an episode under way
    mult: NDArray[np.float64]  # (S, T) stated price multiplier
    depth: NDArray[np.float64]  # (S, M, T) share of China-exposed supply lost [0-1]
    allied_hit: NDArray[np.float64]  # (S, T) 1 where the episode cuts exposed allied supply
    lagged: NDArray[np.bool_]  # (S, T) inside an episode's release decision lag
    branch: NDArray[np.int64]  # (S,) first month of the first episode; T if none


def _scenario_masks(scenarios: tuple[DisruptionScenario, ...], names: tuple[str, ...],
                    T: int, lag: int) -> ScenarioMasks:
    """Month masks of every episode of every scenario (a later episode's during-months
    override an earlier one's after-months where they meet)."""
    S, M = len(scenarios), len(names)
    t = np.arange(T)
    active = np.zeros((S, T), dtype=bool)
    mult = np.ones((S, T))
    depth = np.zeros((S, M, T))
    hit = np.zeros((S, T))
    lagged = np.zeros((S, T), dtype=bool)
    branch = np.full(S, T, dtype=np.int64)
    episodes = [sc.episodes() for sc in scenarios]
    for n in range(max((len(e) for e in episodes), default=0)):
        rows = [i for i, e in enumerate(episodes) if len(e) > n]
        ep = [episodes[i][n] for i in rows]
        idx = np.array(rows, dtype=np.int64)
        start = np.array([e.start_month for e in ep], dtype=np.int64)[:, None]
        end = start + np.array([e.duration_months for e in ep], dtype=np.int64)[:, None]
        after = end + np.array([e.after_months for e in ep], dtype=np.int64)[:, None]
        during = (t >= start) & (t < end)
        post = (t >= end) & (t < after) & ~active[idx]
        mult[idx] = np.where(post, np.array([e.price_multiplier_after for e in ep])[:, None],
                             mult[idx])
        mult[idx] = np.where(during, np.array([e.price_multiplier_during for e in ep])[:, None],
                             mult[idx])
        d = np.array([[e.depth(m) for m in names] for e in ep], dtype=float).reshape(-1, M)
        depth[idx] = np.where(during[:, None, :], d[:, :, None], depth[idx])
        hit[idx] = np.where(during, np.array([float(e.hits_allied_supply) for e in ep])[:, None],
                            hit[idx])
        lagged[idx] |= during & (t < start + lag)
        active[idx] |= during
    has = active.any(axis=1)
    branch[has] = np.argmax(active[has], axis=1)
    return ScenarioMasks(active, mult, depth, hit, lagged, branch)


def purchase_unit_cost(d: PlanData) -> NDArray[np.float64]:
    """Cost of a tonne bought in month t of scenario s [$/t], (S, M, T): its price at the
    scenario's multiplier and the storage to the horizon, less the salvage credit at the
    horizon, all discounted (docs/model.md, "Objective")."""
    sal = d.inputs.policy.salvage_share * d.price_dom * d.disc[d.T]  # (M,)
    return (d.price_dom[None, :, None] * d.mult * d.disc[None, None, :d.T]
            + d.storage_per_t_month[None, :, None] * d.hold[None, None, :]
            - sal[None, :, None])


def _refill_cells(d: PlanData) -> NDArray[np.bool_]:
    """Where a scenario may buy on its own after its disruption has begun (S, M, T): a month
    from its first episode's start in which the material is not cut and a later cut of it
    follows in the scenario, which a refill can serve. Elsewhere a purchase of its own could
    only pay through the salvage credit (buying a price collapse to hold to the horizon): a
    trade on the salvage assumption, not reserve policy, so it gets no column."""
    t = np.arange(d.T)
    after_branch = (t[None, :] >= d.start[:, None])[:, None, :]
    later_cut = np.flip(np.logical_or.accumulate(np.flip(d.disrupted, axis=2), axis=2), axis=2)
    later_cut = np.concatenate([later_cut[:, :, 1:], np.zeros((d.S, d.M, 1), dtype=bool)],
                               axis=2)
    limit = (d.purchase_limit > 0)[None, :, None]
    return after_branch & ~d.disrupted & later_cut & limit


def _price_pairs(mult: NDArray[np.float64], T: int) -> tuple[NDArray, NDArray, NDArray]:
    """Distinct (multiplier, month) pairs of an (S, T) multiplier array: their multipliers,
    their months, and each cell's pair. Most cells share multiplier 1, so the pairs are far
    fewer than S x T even with a volatility that changes by month."""
    S = mult.shape[0]
    uniq_mult, mult_inv = np.unique(mult, return_inverse=True)
    mult_inv = mult_inv.reshape(S, T)
    pair_of, pair_inv = np.unique(mult_inv * T + np.arange(T)[None, :], return_inverse=True)
    return uniq_mult[pair_of // T], pair_of % T, pair_inv.reshape(S, T)


def _curve_multipliers(inputs: PlanInputs, active: NDArray, stated: NDArray,
                       gap_no_floor: NDArray, demand: NDArray, price_dom: NDArray,
                       parents: tuple[str, ...] = ()
                       ) -> tuple[NDArray, NDArray, tuple[str, ...]]:
    """Price multipliers (S, M, T), the shortfall shares (S, M) they are read at, and the
    warnings where a stated multiplier contradicts a demand curve by more than a factor 2.

    A scenario's shortfall share of a material is its mean unmet share of demand over the
    disruption with no new floor and no reserve. A scenario with ``price_from_curve`` takes
    the curve's price at that share during the disruption (a flat curve keeps the stated
    multiplier); otherwise the stated multiplier is used and checked against the curve. A
    warning names the input scenario (``parents``), once for all its start-month variants,
    with the figures of its first variant that clashes.
    """
    S, M, T = gap_no_floor.shape
    mult = np.repeat(stated[:, None, :], M, axis=1)
    n_active = active.sum(axis=1)  # (S,)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(n_active[:, None] > 0,
                         (np.where(active[:, None, :], gap_no_floor / np.maximum(
                             demand[None], 1e-12), 0.0)).sum(axis=2)
                         / np.maximum(n_active[:, None], 1), 0.0)
    warnings: list[str] = []
    for mi, mat in enumerate(inputs.materials):
        kind = DemandCurve(mat.demand_curve)
        if kind == DemandCurve.FLAT:
            continue
        P0 = price_dom[mi]
        curve = curve_price(kind, P0, mat.shortage_cost_usd_per_kg * KG_PER_T,
                            mat.demand_elasticity, share[:, mi]) / P0  # (S,)
        clashes: list[str] = []
        named: set[str] = set()
        for si, sc in enumerate(inputs.scenarios):
            if n_active[si] == 0 or share[si, mi] <= 0:
                continue
            if sc.price_from_curve:
                mult[si, mi] = np.where(active[si], curve[si], mult[si, mi])
                continue
            ratio = sc.price_multiplier_during / curve[si]
            name = parents[si] if parents else sc.name
            if (ratio > 2.0 or ratio < 0.5) and name not in named:
                named.add(name)
                clashes.append(f"'{name}' states {sc.price_multiplier_during:g}, the curve "
                               f"gives {curve[si]:.3g} at its {share[si, mi]:.0%} shortfall")
        if clashes:
            shown = "; ".join(clashes[:3]) + (
                f"; and {len(clashes) - 3} more" if len(clashes) > 3 else "")
            warnings.append(
                f"{mat.name}: in {len(clashes)} scenario(s) the stated price multiplier during "
                f"the disruption differs from the demand curve's by more than a factor of 2 "
                f"({shown}). The stated multipliers are used for the purchase, spot and floor "
                f"prices of {mat.name}; set the scenario's 'price from curve' to use the "
                "curve's")
    return mult, share, tuple(warnings)


def ramp(t: NDArray[np.int64], online: int, ramp_months: int) -> NDArray[np.float64]:
    """Share of capacity producing in month ``t`` [0-1], linear over ``ramp_months``."""
    if ramp_months <= 0:
        return (t >= online).astype(float)
    return np.clip((t - online + 1) / ramp_months, 0.0, 1.0)


def project_output(project: SupplyProject, t: NDArray[np.int64]) -> NDArray[np.float64]:
    """Output of ``project`` in months ``t`` if it does not fail [t/month]: its capacity
    along the linear ramp from its earliest online month."""
    return project.capacity_t_per_yr / 12.0 * ramp(t, project.earliest_online_month,
                                                   project.ramp_up_months)


def project_unit_cost(inputs: PlanInputs, unit_cost_usd_per_kg: float) -> float:
    """Unit cost after tariff inflation of tariffed inputs, in whole cents [$/kg].

    Floor levels are compared with this value and generated from it, so a level made for a
    project always supports it: one unit, one rounding rule.
    """
    pol = inputs.policy
    return cents(unit_cost_usd_per_kg * (1.0 + pol.tariff_share * pol.tariff_input_cost_share))


def cents(usd_per_kg):
    """Round a price or an array of prices half-up to whole cents [$/kg]."""
    return np.floor(np.asarray(usd_per_kg, dtype=float) * 100.0 + 0.5 + 1e-9) / 100.0


def floor_levels(inputs: PlanInputs, material: str, costs: NDArray[np.float64]) -> NDArray:
    """Candidate floor levels of ``material`` [$/kg], ascending, in whole cents.

    The user's list when given, otherwise 0 and the (rounded, tariff-inflated) unit costs
    ``costs`` of the material's uncommitted projects. A level above 0 below a floor already
    contracted on the material is raised to the contracted level: a new floor never
    undercuts one the government has signed for the same product.
    """
    given = inputs.policy.floor_candidates(material)
    raw = np.concatenate([[0.0], costs]) if given is None else np.asarray(given, dtype=float)
    contracted = inputs.contracted_floor_level(material)
    raw = np.where(raw > 0, np.maximum(raw, contracted), 0.0)
    return np.unique(cents(raw))


def build_plan_data(inputs: PlanInputs) -> PlanData:
    """Precompute the arrays of the formulation from validated ``inputs``.

    Scenarios with a start window or hazard are first expanded into their start-month
    variants (:func:`reserve_planner.model.start_windows.expand_start_windows`):
    ``PlanData.inputs`` holds the scenarios solved, ``scenario_parent`` where each came from.
    """
    expanded = expand_start_windows(inputs)
    inputs = expanded.inputs
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
    sigma = log_price_sd([m.price_log_volatility for m in mats], pol.price_half_life_yr, T)
    price_dom = np.array([m.price_usd_per_kg for m in mats]) * (
        1.0 + pol.tariff_share * pol.tariff_price_passthrough * china
    )

    names = inputs.material_names
    masks = _scenario_masks(inputs.scenarios, names, T, pol.release_lag_months)
    active, mult, start, depth = masks.active, masks.mult, masks.branch, masks.depth
    prob = np.array([s.probability for s in inputs.scenarios], dtype=float)
    disrupted = depth > 0

    floors: list[FloorLevels] = []
    gaps: list[NDArray[np.float64]] = []
    gap_no_floor = np.zeros((S, M, T))
    payouts: list[NDArray[np.float64]] = []
    worst: list[NDArray[np.float64]] = []
    disc_t = disc[:T]
    committed = np.array([inputs.is_committed(p) for p in inputs.projects], dtype=bool)
    committed_supply = np.zeros((M, T))
    committed_domestic = np.zeros((M, T))
    for j, p in enumerate(inputs.projects):
        if committed[j]:
            mi = names.index(p.material)
            out = (1.0 - p.failure_probability) * project_output(p, t)
            committed_supply[mi] += out
            if p.kind is ProjectKind.DOMESTIC:
                committed_domestic[mi] += out
    for mi, mat in enumerate(mats):
        proj_idx = np.array(
            [j for j, p in enumerate(inputs.projects)
             if p.material == mat.name and not committed[j]], dtype=np.int64)
        costs = np.array([project_unit_cost(inputs, inputs.projects[j].unit_cost_usd_per_kg)
                          for j in proj_idx], dtype=float)
        levels = floor_levels(inputs, mat.name, costs)
        supported = costs[None, :] <= levels[:, None] + 1e-9
        out_full = np.array([project_output(inputs.projects[j], t) for j in proj_idx]
                            ).reshape(len(proj_idx), T)
        survive = np.array([1.0 - inputs.projects[j].failure_probability for j in proj_idx])
        supply_full = supported.astype(float) @ out_full
        supply = supported.astype(float) @ (out_full * survive[:, None])
        floors.append(FloorLevels(mi, levels, supported, proj_idx, supply, supply_full))

        residual = demand[mi] - domestic[mi] - allied[mi] - committed_supply[mi]  # (T,)
        cut = depth[:, mi]  # (S, T)
        exposed_allied = masks.allied_hit * allied_exp[mi] * allied[mi][None, :]  # (S, T)
        # Shortfall at each floor level, and (last row) with no project supply at all.
        added = np.vstack([supply, np.zeros(T)])  # (K+1, T)
        china_imports = np.maximum(residual - added, 0.0)[:, None, :]  # (K+1, 1, T)
        shortfall = cut * (china[mi] * china_imports + exposed_allied)  # (K+1, S, T)
        gaps.append(shortfall[:-1])
        gap_no_floor[:, mi, :] = shortfall[-1]

    price_usd_per_t = price_dom * KG_PER_T
    mult_m, shortfall_share, price_warnings = _curve_multipliers(
        inputs, active, mult, gap_no_floor, demand, price_usd_per_t, expanded.parents)
    pairs = [_price_pairs(mult_m[:, mi, :], T) for mi in range(M)]
    for mi in range(M):
        levels, supply, supply_full = (floors[mi].levels_usd_per_kg, floors[mi].supply,
                                       floors[mi].full_supply)
        pair_mult, pair_month, pair_inv = pairs[mi]
        # Discounted expected payout of each level in each scenario [$].
        means = price_dom[mi] * pair_mult  # $/kg per (multiplier, month) pair
        sd = sigma[mi][pair_month]
        per_kg = net_floor_cost(levels[:, None], means[None, :], sd[None, :],
                                pol.floor_upside_share)  # (K, pairs)
        weighted = supply * disc_t[None, :] * KG_PER_T  # (K, T) kg-discount weights
        pay = np.einsum("kst,kt->sk", per_kg[:, pair_inv], weighted)
        payouts.append(pay)
        low = price_quantile(means, sd, WORST_CASE_QUANTILE)  # (pairs,)
        gap_kg = np.maximum(levels[:, None] - low[None, :], 0.0)  # (K, pairs)
        full_w = supply_full * disc_t[None, :] * KG_PER_T
        worst.append(np.einsum("kst,kt->ks", gap_kg[:, pair_inv], full_w).max(axis=1))

    contracted_material, contracted_volume, contracted_payout, contracted_worst = (
        _contracted_floors(inputs, T, disc_t, price_dom, sigma, pairs, S, domestic))

    tiers = tuple(material_tiers(m, price_usd_per_t[mi]) for mi, m in enumerate(mats))
    # Spot purchases while disrupted [t/month]: the non-Chinese spot market, cut by the
    # allied exposed share where China's extraterritorial rules apply, unless Chinese-origin
    # material can be bought under licence.
    spot = np.array([m.spot_limit_t_per_month for m in mats])
    licensed = np.array([m.spot_china_licensed for m in mats], dtype=bool)
    # A scenario whose episodes differ in that respect takes its first cutting episode's.
    first_cut = np.argmax(active, axis=1)
    hit_s = masks.allied_hit[np.arange(S), first_cut]
    caught = np.where(licensed[None, :], 0.0, hit_s[:, None] * allied_exp[None, :])
    spot_cap = spot[None, :] * (1.0 - caught)  # (S, M)

    domestic_all = domestic + committed_domestic
    net_monthly = np.maximum(demand - domestic_all, 0.0)  # (M, T) [t/month]
    Y = int(years[-1]) + 1
    by_year = np.stack([np.bincount(years, weights=row, minlength=Y) for row in net_monthly])
    by_year *= 12.0 / np.bincount(years, minlength=Y)  # a partial last year at its rate
    before = np.maximum(demand[:, 0] * 12.0 / (1.0 + growth) - domestic_all[:, 0] * 12.0, 0.0)
    net_by_year = np.column_stack([before, by_year])

    data = PlanData(
        inputs=inputs, T=T, M=M, S=S, prob=prob, disc=disc, hold=hold,
        demand=demand, domestic=domestic, allied=allied,
        net_imports_t_per_yr=net_monthly * 12.0, net_imports_by_year=net_by_year,
        price_dom=price_usd_per_t, mult=mult_m, active=active, depth=depth,
        disrupted=disrupted,
        release_open=~masks.lagged,
        floors=tuple(floors), gap=tuple(gaps), gap_no_floor=gap_no_floor,
        payout=tuple(payouts),
        worst_payout=tuple(worst),
        committed_supply=committed_supply, contracted_material=contracted_material,
        contracted_volume=contracted_volume, contracted_payout=contracted_payout,
        contracted_worst_payout=contracted_worst,
        storage_per_t_month=np.array([m.storage_cost_usd_per_t_yr for m in mats]) / 12.0,
        shortage_per_t=np.array([tiers[mi].slopes[0] for mi in range(M)]),
        tiers=tiers, spot_cap=spot_cap, shortfall_share=shortfall_share,
        price_warnings=price_warnings,
        purchase_limit=np.array([m.purchase_limit_t_per_month for m in mats]),
        release_limit=np.array([m.release_limit_t_per_month for m in mats]),
        stock0=np.array([m.starting_stock_t for m in mats]),
        start=start, year_of_month=years, scenario_parent=expanded.parents,
        allied_hit=masks.allied_hit,
    )
    return replace(data, refill=_refill_cells(data))


def _contracted_floors(inputs: PlanInputs, T: int, disc_t: NDArray, price_dom: NDArray,
                       sigma: NDArray, pairs: list, S: int, domestic: NDArray) -> tuple:
    """Covered volumes [t/month] and discounted payouts [$] of the contracted floors.

    The covered volume in month t is the covered rate capped by the project's output, in
    the contract's months only; the expected payout weights it by the project's survival,
    the worst case (5% price quantile every month, worst scenario) does not.
    """
    floors = inputs.contracted_floors
    names = inputs.material_names
    t = np.arange(T)
    material = np.array([names.index(f.material) for f in floors], dtype=np.int64)
    full = np.zeros((len(floors), T))
    survive = np.ones(len(floors))
    for i, f in enumerate(floors):
        p = next((j for j in inputs.projects if j.name == f.project), None)
        if p is None:  # output already in production: the domestic supply series
            output = domestic[material[i]]
        else:
            output = project_output(p, t)
            survive[i] = 1.0 - p.failure_probability
        window = (t >= f.first_month) & (t <= f.last_month)
        full[i] = np.minimum(f.covered_t_per_yr / 12.0, output) * window
    volume = full * survive[:, None]
    payout = np.zeros((len(floors), S))
    worst = np.zeros(len(floors))
    for i, f in enumerate(floors):
        mi = material[i]
        pair_mult, pair_month, pair_inv = pairs[mi]
        means = price_dom[mi] * pair_mult
        sd = sigma[mi][pair_month]
        per_kg = net_floor_cost(f.level_usd_per_kg, means, sd, f.upside_share)  # (pairs,)
        payout[i] = per_kg[pair_inv] @ (volume[i] * disc_t * KG_PER_T)
        low = price_quantile(means, sd, WORST_CASE_QUANTILE)
        gap_kg = np.maximum(f.level_usd_per_kg - low, 0.0)  # (pairs,)
        worst[i] = (gap_kg[pair_inv] @ (full[i] * disc_t * KG_PER_T)).max() if S else 0.0
    return material, volume, payout, worst


def tariff_cost_to_buyers(d: PlanData, levels: list[int]) -> float:
    """Tariff paid by US buyers on China-exposed imports [$], discounted, no disruption,
    with the floors at candidate indices ``levels`` and committed projects in place."""
    pol = d.inputs.policy
    total = 0.0
    for mi, mat in enumerate(d.inputs.materials):
        residual = d.demand[mi] - d.domestic[mi] - d.allied[mi] - d.committed_supply[mi]
        china = mat.china_exposed_share * np.maximum(
            residual - d.floors[mi].supply[levels[mi]], 0.0)
        total += pol.tariff_share * mat.price_usd_per_kg * KG_PER_T * float(
            china @ d.disc[:d.T])
    return total
