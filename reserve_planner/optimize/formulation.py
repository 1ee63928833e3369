"""The two-stage stochastic MILP, assembled as one sparse matrix without per-variable loops.

Variables (see ``docs/model.md`` for the math):

* ``buy[m,t]``  reserve purchases in month t [t/month], first stage
* ``cum[m,t]``  purchases made before month t+1, i.e. ``sum(buy[m,:t+1])`` [t], first stage
* ``z[m,k]``    1 if material m gets floor level k (level 0 = no floor), binary, first stage
* ``rel[c]``  release in each disrupted cell c = (s, m, t) [t/month], second stage; unmet
  demand is not a variable but ``gap(z) - rel`` (fewer columns, and a cell whose shortfall
  does not depend on the floor needs no row at all, only a bound)
* ``spot[c]``  emergency spot purchase in each disrupted cell of a material with a spot
  market [t/month], second stage; unmet demand is then ``gap(z) - rel - spot``
* ``over[k, c]``  unmet demand beyond the k-th damage breakpoint in a cell whose shortfall
  can reach it [t/month] (``over >= unmet - b_k demand``), second stage, so the damage is
  ``slope_0 unmet + sum_k (slope_k - slope_k-1) over_k``: convex, no binaries
* ``eta, xi[s]``  CVaR helpers of the shortage damage (only when risk aversion > 0) [$]
* elastic slacks (only when diagnosing infeasibility)

Row groups are named so that an infeasible model can say which limits conflict.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from .data import PlanData, iea_stock_for_days, purchase_unit_cost

ELASTIC_GROUPS = ("annual budget", "total budget", "annual budget after a disruption",
                  "total budget after a disruption", "minimum cover", "purchase limit")
#: Money enters the matrix in millions of dollars, which keeps HiGHS well scaled.
MONEY_SCALE = 1e-6
#: A tenth of a cent per tonne on every planned purchase, so that among plans of equal cost
#: the one that buys least is chosen. Without it a purchase that costs nothing (planned in a
#: month every scenario is disrupted, so it never goes ahead, or bought in the last month
#: and salvaged at cost with no discounting) can be any size, and which one the solver
#: returns depends on its pivoting, not on the inputs [$/t].
PURCHASE_TIE_BREAK_USD_PER_T = 1e-3


@dataclass
class _Blocks:
    """COO triplets collected block by block, then turned into one sparse matrix."""

    rows: list[NDArray] = field(default_factory=list)
    cols: list[NDArray] = field(default_factory=list)
    vals: list[NDArray] = field(default_factory=list)

    def add(self, rows: NDArray, cols: NDArray, vals: NDArray | float) -> None:
        rows = np.asarray(rows, dtype=np.int64).ravel()
        cols = np.asarray(cols, dtype=np.int64).ravel()
        v = np.broadcast_to(np.asarray(vals, dtype=float), rows.shape).ravel()
        self.rows.append(rows)
        self.cols.append(cols)
        self.vals.append(v)

    def matrix(self, n_rows: int, n_cols: int) -> sp.csr_array:
        if not self.rows:
            return sp.csr_array((n_rows, n_cols))
        return sp.coo_array(
            (np.concatenate(self.vals), (np.concatenate(self.rows), np.concatenate(self.cols))),
            shape=(n_rows, n_cols),
        ).tocsr()


@dataclass
class Model:
    """A built MILP: ``min c@x + const`` s.t. ``row_lo <= A@x <= row_hi``, column bounds."""

    data: PlanData
    c: NDArray[np.float64]
    A: sp.csr_array
    row_lo: NDArray[np.float64]
    row_hi: NDArray[np.float64]
    col_lo: NDArray[np.float64]
    col_hi: NDArray[np.float64]
    integrality: NDArray[np.int64]
    const: float  # objective constant, in the matrix's money unit
    buy: slice
    cum: slice
    z: slice
    z_offsets: NDArray[np.int64]  # start of each material's z block inside z
    rel: slice
    spot: slice
    spot_cells: NDArray[np.int64]  # (C_spot,) index into cells of each spot column
    refill: slice
    refill_cells: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]  # (s, m, t)
    tier: slice
    tier_cells: NDArray[np.int64]  # index into cells of each tier column
    cells: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]  # (s, m, t)
    cell_gap: NDArray[np.float64]  # (C, Kmax) shortfall of each cell at each floor level
    rel_bound_is_limit: NDArray[np.bool_]  # (C,) the release's upper bound is the limit
    cvar: slice | None
    row_groups: dict[str, slice]
    elastic: dict[str, tuple[slice, NDArray[np.int64]]]  # group -> slack cols, their rows
    budget_rows: slice
    first_stage: slice  # buy, cum and z are contiguous

    @property
    def n_vars(self) -> int:
        return len(self.c)

    @property
    def n_rows(self) -> int:
        return self.A.shape[0]

    def unmet(self, x: NDArray) -> NDArray:
        """Unmet demand in each disrupted cell [t/month]: shortfall at the chosen level minus
        the release."""
        cm = self.cells[1]
        z = x[self.z]
        k = np.arange(self.cell_gap.shape[1])
        K = np.array([len(f.levels_usd_per_kg) for f in self.data.floors])
        zc = np.where(k[None, :] < K[cm][:, None],
                      z[np.minimum(self.z_offsets[cm][:, None] + k[None, :], len(z) - 1)], 0.0)
        spot = np.zeros(len(cm))
        spot[self.spot_cells] = x[self.spot]
        return np.clip((self.cell_gap * zc).sum(axis=1) - x[self.rel] - spot, 0.0, None)

    def refills(self, x: NDArray) -> NDArray:
        """A scenario's own purchases after its first episode began (S, M, T) [t/month]."""
        d = self.data
        out = np.zeros((d.S, d.M, d.T))
        out[self.refill_cells] = np.clip(x[self.refill], 0.0, None)
        return out

    def spot_purchases(self, x: NDArray) -> NDArray:
        """Spot purchases in each disrupted cell [t/month]."""
        spot = np.zeros(len(self.cells[0]))
        spot[self.spot_cells] = np.clip(x[self.spot], 0.0, None)
        return spot


def build_model(data: PlanData, *, elastic: bool = False) -> Model:
    """Assemble the MILP for ``data``; with ``elastic`` add slacks to the limit groups and
    replace the objective by their sum (phase one of an infeasibility diagnosis)."""
    pol = data.inputs.policy
    M, T, S = data.M, data.T, data.S
    P = data.price_dom * MONEY_SCALE  # (M,) $M/t
    h = data.storage_per_t_month * MONEY_SCALE  # (M,) $M/t/month
    disc, hold = data.disc, data.hold
    sal = pol.salvage_share

    # Column layout.
    n_buy = M * T
    K = np.array([len(f.levels_usd_per_kg) for f in data.floors], dtype=np.int64)
    z_offsets = np.concatenate([[0], np.cumsum(K)[:-1]]).astype(np.int64)
    n_z = int(K.sum())
    cs, cm, ct = np.nonzero(data.disrupted)
    C = len(cs)
    buy0, cum0 = 0, n_buy
    z0 = cum0 + n_buy
    rel0 = z0 + n_z
    spot_cells = np.nonzero(data.spot_cap[cs, cm] > 0)[0]
    spot0 = rel0 + C
    rs, rm, rt = np.nonzero(data.refill) if data.refill is not None else (
        np.zeros(0, dtype=np.int64),) * 3
    refill0 = spot0 + len(spot_cells)
    n = refill0 + len(rs)
    def buy_col(m: NDArray, t: NDArray) -> NDArray:
        return buy0 + m * T + t

    def cum_col(m: NDArray, t: NDArray) -> NDArray:  # purchases before month t+1
        return cum0 + m * T + t

    blocks = _Blocks()
    lo: list[NDArray] = []
    hi: list[NDArray] = []
    groups: dict[str, slice] = {}
    r = 0

    def group(name: str, count: int, low: NDArray | float, high: NDArray | float) -> int:
        nonlocal r
        groups[name] = slice(r, r + count)
        lo.append(np.broadcast_to(np.asarray(low, dtype=float), (count,)).copy())
        hi.append(np.broadcast_to(np.asarray(high, dtype=float), (count,)).copy())
        start = r
        r += count
        return start

    # cum[m,t] - cum[m,t-1] - buy[m,t] = 0
    mm, tt = np.divmod(np.arange(M * T), T)
    base = group("cumulative purchases", M * T, 0.0, 0.0)
    rows = base + mm * T + tt
    blocks.add(rows, cum_col(mm, tt), 1.0)
    blocks.add(rows, buy_col(mm, tt), -1.0)
    keep = tt > 0
    blocks.add(rows[keep], cum_col(mm[keep], tt[keep] - 1), -1.0)

    # exactly one floor level per material
    base = group("floor choice", M, 1.0, 1.0)
    zm = np.repeat(np.arange(M), K)
    blocks.add(base + zm, z0 + np.arange(n_z), 1.0)

    # rel <= sum_k gap_k z_k in each disrupted cell whose shortfall depends on the floor;
    # elsewhere the shortfall is a constant and becomes the release's upper bound.
    cell_gap = np.zeros((C, int(K.max()) if len(K) else 1))  # (C, Kmax) shortfall by level
    for mi in range(M):
        sel = np.nonzero(cm == mi)[0]
        if len(sel):
            cell_gap[sel, :K[mi]] = data.gap[mi][:, cs[sel], ct[sel]].T
    k_of_cell = K[cm]
    kk = np.arange(cell_gap.shape[1])
    level_ok = kk[None, :] < k_of_cell[:, None]  # (C, Kmax): level exists for the material
    first_gap = cell_gap[:, 0]
    lowest = np.where(level_ok, cell_gap, np.inf).min(axis=1)
    highest = np.where(level_ok, cell_gap, -np.inf).max(axis=1)
    varies = highest - lowest > 1e-12
    # A row is also needless when even the smallest shortfall over the levels reaches the
    # release limit: then the limit binds first whatever the floor.
    needs_row = varies & (lowest < data.release_limit[cm])
    has_spot = np.zeros(C, dtype=bool)
    has_spot[spot_cells] = True
    spot_col = np.full(C, -1, dtype=np.int64)
    spot_col[spot_cells] = spot0 + np.arange(len(spot_cells))
    # Cells with a spot market need the row too: release + spot never exceed the shortfall.
    vc = np.nonzero(needs_row | has_spot)[0]
    base = group("release within shortfall", len(vc), -np.inf,
                 np.where(varies[vc], 0.0, first_gap[vc]))
    vrows = base + np.arange(len(vc))
    blocks.add(vrows, rel0 + vc, 1.0)
    sp_r = has_spot[vc]
    blocks.add(vrows[sp_r], spot_col[vc[sp_r]], 1.0)
    _add_gap_terms(blocks, vrows, vc, varies, level_ok, cell_gap, cm, z0, z_offsets, -1.0)

    # Damage tiers: over_k >= unmet - b_k demand, i.e.
    # over_k + rel + spot - sum_k gap_k z_k >= -b_k demand, in each cell whose largest
    # shortfall reaches b_k demand (the others never enter tier k).
    demand_cell = data.demand[cm, ct]
    tier_cell_list, tier_step_list, tier_b = [], [], []
    for mi, tiers in enumerate(data.tiers):
        for k in range(1, len(tiers.slopes)):
            reach = np.nonzero((cm == mi) & (highest > tiers.breaks[k] * demand_cell + 1e-9))[0]
            tier_cell_list.append(reach)
            tier_step_list.append(np.full(len(reach), tiers.slopes[k] - tiers.slopes[k - 1]))
            tier_b.append(np.full(len(reach), tiers.breaks[k]))
    tier_cells = (np.concatenate(tier_cell_list) if tier_cell_list
                  else np.zeros(0, dtype=np.int64)).astype(np.int64)
    tier_step = np.concatenate(tier_step_list) if tier_step_list else np.zeros(0)
    tier_break = np.concatenate(tier_b) if tier_b else np.zeros(0)
    tier0 = n
    n = tier0 + len(tier_cells)
    tc = tier_cells
    base = group("damage tiers", len(tc),
                 np.where(varies[tc], 0.0, first_gap[tc]) - tier_break * demand_cell[tc],
                 np.inf)
    trows = base + np.arange(len(tc))
    blocks.add(trows, tier0 + np.arange(len(tc)), 1.0)
    blocks.add(trows, rel0 + tc, 1.0)
    sp_t = has_spot[tc]
    blocks.add(trows[sp_t], spot_col[tc[sp_t]], 1.0)
    _add_gap_terms(blocks, trows, tc, varies, level_ok, cell_gap, cm, z0, z_offsets, -1.0)
    use_cvar = pol.risk_aversion > 0 and not elastic
    if use_cvar:
        eta_col, xi0 = n, n + 1
        n = xi0 + S

    _add_stock_rows(blocks, group, data, (cs, cm, ct), (rs, rm, rt), rel0, refill0, cum_col)

    # annual purchase budget at normal prices, pro rata for a partial last year
    years = data.year_of_month
    Y = int(years[-1]) + 1
    months_in_year = np.bincount(years, minlength=Y)
    base = group("annual budget", Y, -np.inf,
                 pol.annual_budget_usd * MONEY_SCALE * months_in_year / 12.0)
    budget_rows = groups["annual budget"]
    blocks.add(base + years[tt], buy_col(mm, tt), P[mm])
    if pol.total_budget_usd is not None:
        base = group("total budget", 1, -np.inf, pol.total_budget_usd * MONEY_SCALE)
        blocks.add(np.full(M * T, base), buy_col(mm, tt), P[mm])
    _add_scenario_budget_rows(blocks, group, data, (rs, rm, rt), P, refill0, buy_col,
                              months_in_year)

    # minimum cover in days of the previous calendar year's net imports, IEA convention
    # (10% of stock unavailable), from the target month on (no-disruption path)
    if pol.min_cover_days > 0:
        t_from = max(pol.min_cover_by_month, 1)
        cover_t = np.arange(t_from, T + 1)
        if len(cover_t):
            cm_, ct_ = np.meshgrid(np.arange(M), cover_t, indexing="ij")
            cm_, ct_ = cm_.ravel(), ct_.ravel()
            previous_year = data.year_of_month[np.minimum(ct_, T - 1)]  # column of y-1
            need = (iea_stock_for_days(pol.min_cover_days,
                                       data.net_imports_by_year[cm_, previous_year])
                    - data.stock0[cm_])
            base = group("minimum cover", len(cm_), need, np.inf)
            blocks.add(base + np.arange(len(cm_)), cum_col(cm_, ct_ - 1), 1.0)

    # Objective coefficients (expected, discounted).
    # Calm-path purchases are made in a scenario only before its first episode begins;
    # from then on its purchases are its own (refill columns).
    prob = data.prob
    salv = sal * P * disc[T]  # (M,)
    unit_fs = purchase_unit_cost(data) * MONEY_SCALE  # (S, M, T)
    c_buy = (np.einsum("s,st,smt->mt", prob, data.calm, unit_fs).ravel()
             + PURCHASE_TIE_BREAK_USD_PER_T * MONEY_SCALE)
    c_unmet_cell = data.shortage_per_t[cm] * MONEY_SCALE * disc[ct]
    # a release earns sales and saved storage, loses salvage, and avoids shortage damage
    c_rel_cell = -P[cm] * disc[ct] - h[cm] * hold[ct] + salv[cm] - c_unmet_cell
    # shortage damage if nothing were released, by floor level: (S, sum K) per scenario
    z_col_of = z_offsets[cm][:, None] + kk[None, :]  # (C, Kmax)
    cell_short = c_unmet_cell[:, None] * cell_gap  # (C, Kmax)
    ok = level_ok
    short_sz = sp.coo_array((cell_short[ok], (np.broadcast_to(cs[:, None], ok.shape)[ok],
                                              z_col_of[ok])), shape=(S, n_z)).toarray()
    pay_sz = np.concatenate(data.payout, axis=1) * MONEY_SCALE  # (S, n_z)
    loss_sz = pay_sz + short_sz  # z's contribution to each scenario's loss
    c_z = prob @ loss_sz
    # Starting stock's storage and salvage, and the contracted floors' expected payouts:
    # the same in every plan, so constants.
    const = float(np.sum(data.stock0 * (h * hold[0] - salv))
                  + prob @ data.contracted_payout.sum(axis=0) * MONEY_SCALE)

    c = np.zeros(n)
    c[buy0:buy0 + n_buy] = c_buy
    c[z0:z0 + n_z] = c_z
    c[rel0:rel0 + C] = prob[cs] * c_rel_cell
    # A spot tonne costs the scenario's price and, like a release, is sold to users at the
    # normal price and avoids the first tier's damage: its net cost is the premium
    # P (mult - 1) over the normal price, less the damage it avoids.
    sc_ = spot_cells
    premium = P[cm[sc_]] * (data.mult[cs[sc_], cm[sc_], ct[sc_]] - 1.0) * disc[ct[sc_]]
    c[spot0:spot0 + len(sc_)] = prob[cs[sc_]] * (premium - c_unmet_cell[sc_])
    c[refill0:refill0 + len(rs)] = (prob[rs] * unit_fs[rs, rm, rt]
                                    + PURCHASE_TIE_BREAK_USD_PER_T * MONEY_SCALE)
    c_tier = tier_step * MONEY_SCALE * disc[ct[tc]]
    c[tier0:tier0 + len(tc)] = prob[cs[tc]] * c_tier

    if use_cvar:
        # Risk is the CVaR of each scenario's shortage damage (docs/model.md, "Risk"):
        # xi_s + eta - shortage_s >= 0, shortage_s = short_sz @ z - unmet value of releases.
        lam, beta = pol.risk_aversion, pol.cvar_level
        base = group("cvar tail", S, 0.0, np.inf)
        srow = base + np.arange(S)
        blocks.add(srow, xi0 + np.arange(S), 1.0)
        blocks.add(srow, np.full(S, eta_col), 1.0)
        s_idx, zi = np.nonzero(short_sz)
        blocks.add(base + s_idx, z0 + zi, -short_sz[s_idx, zi])
        blocks.add(base + cs, rel0 + np.arange(C), c_unmet_cell)
        blocks.add(base + cs[sc_], spot0 + np.arange(len(sc_)), c_unmet_cell[sc_])
        blocks.add(base + cs[tc], tier0 + np.arange(len(tc)), -c_tier)
        c[eta_col] = lam
        c[xi0:xi0 + S] = lam / (1.0 - beta) * prob

    col_lo = np.zeros(n)
    col_hi = np.full(n, np.inf)
    col_hi[buy0:buy0 + n_buy] = np.repeat(data.purchase_limit, T)
    col_hi[z0:z0 + n_z] = 1.0
    col_hi[spot0:spot0 + len(sc_)] = data.spot_cap[cs[sc_], cm[sc_]]
    col_hi[refill0:refill0 + len(rs)] = data.purchase_limit[rm]
    rel_limit_binds = needs_row | (data.release_limit[cm] <= first_gap)
    col_hi[rel0:rel0 + C] = np.where(rel_limit_binds, data.release_limit[cm], first_gap)
    open_cells = data.release_open[cs, ct]
    col_hi[rel0:rel0 + C] *= open_cells  # no release before the decision lag has passed
    rel_limit_binds = rel_limit_binds & open_cells
    if use_cvar:
        col_lo[eta_col] = -np.inf
    integrality = np.zeros(n, dtype=np.int64)
    integrality[z0:z0 + n_z] = 1

    A = blocks.matrix(r, n)
    row_lo = np.concatenate(lo)
    row_hi = np.concatenate(hi)
    elastic_cols: dict[str, tuple[slice, NDArray[np.int64]]] = {}
    if elastic:
        A, row_lo, row_hi, c, col_lo, col_hi, integrality, elastic_cols = _add_elastic(
            A, row_lo, row_hi, col_hi, integrality, groups, buy0, n_buy)
        const = 0.0

    return Model(
        data=data, c=c, A=A, row_lo=row_lo, row_hi=row_hi, col_lo=col_lo, col_hi=col_hi,
        integrality=integrality, const=const,
        buy=slice(buy0, buy0 + n_buy), cum=slice(cum0, cum0 + n_buy), z=slice(z0, z0 + n_z),
        z_offsets=z_offsets, rel=slice(rel0, rel0 + C), cell_gap=cell_gap,
        spot=slice(spot0, spot0 + len(spot_cells)), spot_cells=spot_cells,
        refill=slice(refill0, refill0 + len(rs)), refill_cells=(rs, rm, rt),
        tier=slice(tier0, tier0 + len(tier_cells)), tier_cells=tier_cells,
        rel_bound_is_limit=rel_limit_binds,
        cells=(cs, cm, ct), cvar=slice(eta_col, xi0 + S) if use_cvar else None,
        row_groups=groups, elastic=elastic_cols, budget_rows=budget_rows,
        first_stage=slice(0, z0 + n_z),
    )


def _add_stock_rows(blocks: _Blocks, group, data: PlanData, cells: tuple, refills: tuple,
                    rel0: int, refill0: int, cum_col) -> None:
    """"reserve stock": one row per spell of consecutive cut months of a material in a
    scenario. The releases up to the end of a spell never exceed the stock held when the
    scenario's first episode began (starting stock and calm-path purchases before it) plus
    the scenario's own purchases before the spell starts: Σ_{spells <= e} rel <= stock0 +
    cum_{m, start_s - 1} + Σ_{t < start_e} refill_smt. Purchases stop while a material is
    cut, so every spell can only draw on what was bought before it."""
    cs, cm, ct = cells
    M, T = data.M, data.T
    C = len(cs)
    # cells come sorted by (s, m, t): a spell begins at a cell whose previous month is not cut
    first = np.ones(C, dtype=bool)
    first[1:] = ~((cs[1:] == cs[:-1]) & (cm[1:] == cm[:-1]) & (ct[1:] == ct[:-1] + 1))
    spell = np.cumsum(first) - 1  # (C,) spell of each cell
    n_spell = int(spell[-1]) + 1 if C else 0
    spell_pair = (cs * M + cm)[first]  # (E,)
    spell_start = ct[first]
    # the last spell of each cell's pair: each cell enters its own spell's row and later ones
    last_of_pair = np.searchsorted(spell_pair, spell_pair, side="right") - 1  # (E,)
    reach = last_of_pair[spell] - spell + 1  # (C,) rows each cell enters
    base = group("reserve stock", n_spell, -np.inf, data.stock0[spell_pair % M])
    cell_of = np.repeat(np.arange(C), reach)
    offset = np.arange(len(cell_of)) - np.repeat(np.cumsum(reach) - reach, reach)
    blocks.add(base + spell[cell_of] + offset, rel0 + cell_of, 1.0)
    ps, pm = np.divmod(spell_pair, M)
    st = data.start[ps]
    has = st > 0
    blocks.add(base + np.nonzero(has)[0], cum_col(pm[has], st[has] - 1), -1.0)
    rs, rm, rt = refills
    if len(rs) and n_spell:
        key = spell_pair * (T + 1) + spell_start
        rkey = (rs * M + rm) * (T + 1) + rt
        lo = np.searchsorted(key, rkey, side="right")  # first spell of the pair after t
        hi = np.searchsorted(key, (rs * M + rm + 1) * (T + 1), side="left")  # past the last
        cnt = np.maximum(hi - lo, 0)
        col_of = np.repeat(np.arange(len(rs)), cnt)
        off = np.arange(len(col_of)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        blocks.add(base + lo[col_of] + off, refill0 + col_of, -1.0)


def _add_scenario_budget_rows(blocks: _Blocks, group, data: PlanData, refills: tuple,
                              P: NDArray, refill0: int, buy_col, months_in_year: NDArray
                              ) -> None:
    """The budget of a scenario that buys on its own after its first episode began: in each
    year it does, its calm-path purchases before the episode plus its own stay within the
    annual budget (and over the horizon within the total budget, if one is set)."""
    rs, rm, rt = refills
    if not len(rs):
        return
    pol = data.inputs.policy
    years = data.year_of_month
    Y = len(months_in_year)
    sy = np.unique(rs * Y + years[rt])  # (scenario, year) pairs with own purchases
    s_of, y_of = np.divmod(sy, Y)
    base = group("annual budget after a disruption", len(sy), -np.inf,
                 pol.annual_budget_usd * MONEY_SCALE * months_in_year[y_of] / 12.0)
    blocks.add(base + np.searchsorted(sy, rs * Y + years[rt]), refill0 + np.arange(len(rs)),
               P[rm])
    _add_calm_purchases(blocks, base, data, s_of, P, buy_col, years, y_of)
    if pol.total_budget_usd is not None:
        scen = np.unique(rs)
        base = group("total budget after a disruption", len(scen), -np.inf,
                     pol.total_budget_usd * MONEY_SCALE)
        blocks.add(base + np.searchsorted(scen, rs), refill0 + np.arange(len(rs)), P[rm])
        _add_calm_purchases(blocks, base, data, scen, P, buy_col, years, None)


def _add_calm_purchases(blocks: _Blocks, base: int, data: PlanData, scen: NDArray,
                        P: NDArray, buy_col, years: NDArray, year: NDArray | None) -> None:
    """Add the calm-path purchases P buy_mt made before each row's scenario branched (in
    the row's year, or over the horizon when ``year`` is None) to rows base + i."""
    M, T = data.M, data.T
    t = np.arange(T)
    take = t[None, :] < data.start[scen][:, None]  # (R, T)
    if year is not None:
        take &= years[None, :] == year[:, None]
    r_idx, t_idx = np.nonzero(take)
    r_idx = np.repeat(r_idx, M)
    t_idx = np.repeat(t_idx, M)
    m_idx = np.tile(np.arange(M), len(r_idx) // M if M else 0)
    blocks.add(base + r_idx, buy_col(m_idx, t_idx), P[m_idx])


def _add_gap_terms(blocks: _Blocks, rows: NDArray, cells: NDArray, varies: NDArray,
                   level_ok: NDArray, cell_gap: NDArray, cm: NDArray, z0: int,
                   z_offsets: NDArray, sign: float) -> None:
    """Add ``sign * sum_k gap_k z_k`` to ``rows`` for the ``cells`` whose shortfall depends
    on the floor (the others carry their constant shortfall in the row bound)."""
    v = varies[cells]
    rows, cells = rows[v], cells[v]
    r_idx, k_idx = np.nonzero(level_ok[cells])
    blocks.add(rows[r_idx], z0 + z_offsets[cm[cells[r_idx]]] + k_idx,
               sign * cell_gap[cells[r_idx], k_idx])


def _add_elastic(A, row_lo, row_hi, col_hi, integrality, groups, buy0, n_buy):
    """Slack columns on the limit groups; the objective becomes their scaled sum."""
    n_rows, n = A.shape
    extra_cols: list[sp.csr_array] = []
    elastic: dict[str, tuple[slice, NDArray[np.int64]]] = {}
    weights: list[NDArray] = []
    col = n
    # purchase limits become rows buy - slack <= limit
    limit = col_hi[buy0:buy0 + n_buy].copy()
    col_hi = col_hi.copy()
    col_hi[buy0:buy0 + n_buy] = np.inf
    lim_rows = sp.csr_array(
        (np.ones(n_buy), (np.arange(n_buy), buy0 + np.arange(n_buy))), shape=(n_buy, n))
    A = sp.vstack([A, lim_rows], format="csr")
    row_lo = np.concatenate([row_lo, np.full(n_buy, -np.inf)])
    row_hi = np.concatenate([row_hi, limit])
    groups = dict(groups)
    groups["purchase limit"] = slice(n_rows, n_rows + n_buy)
    n_rows += n_buy
    for name in ELASTIC_GROUPS:
        if name not in groups:
            continue
        rs = np.arange(groups[name].start, groups[name].stop)
        sign = -1.0 if name != "minimum cover" else 1.0  # loosen <= rows down, >= rows up
        rhs = row_hi[rs] if sign < 0 else row_lo[rs]
        weights.append(1.0 / np.maximum(np.abs(rhs), 1.0))
        extra_cols.append(sp.csr_array(
            (np.full(len(rs), sign), (rs, np.arange(len(rs)))), shape=(n_rows, len(rs))))
        elastic[name] = (slice(col, col + len(rs)), rs)
        col += len(rs)
    A = sp.hstack([A] + extra_cols, format="csr")
    n_total = A.shape[1]
    c = np.zeros(n_total)
    c[n:] = np.concatenate(weights)
    col_lo = np.zeros(n_total)
    col_hi = np.concatenate([col_hi, np.full(n_total - n, np.inf)])
    integrality = np.concatenate([integrality, np.zeros(n_total - n, dtype=np.int64)])
    return A, row_lo, row_hi, c, col_lo, col_hi, integrality, elastic
