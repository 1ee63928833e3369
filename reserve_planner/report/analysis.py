"""Figures the report shows beside the plan, computed from the solved first stage.

* :func:`day_count_rules`: reserves sized by a fixed number of days of net imports (Japan's
  60 days, the IEA's 90 days) and how they would fare in the same scenarios.
* :func:`floor_alternatives`: for a material left without a floor, what the cheapest
  candidate floor would have paid out and how much shortage damage it would have avoided,
  so the report can say in words why no floor was set.

Both hold the plan's other decisions fixed and use the engine's optimal recourse
(:func:`reserve_planner.optimize.solve.fixed_recourse`: greedy release, or the recourse LP
with damage tiers or a spot market).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..model import PlanInputs
from ..optimize import PlanResult
from ..optimize.data import PlanData, build_plan_data, iea_cover_days, iea_stock_for_days
from ..optimize.solve import fixed_recourse, shortage_damage

RULE_DAYS = (60.0, 90.0)


@dataclass(frozen=True)
class RuleOutcome:
    """One way of sizing one material's reserve and what it leads to.

    Attributes
    ----------
    material, rule : str
        Material name and ``"Optimised plan"`` or ``"60-day rule"``.
    reserve_t : float
        Reserve held once filled [t].
    cover_days : float
        The reserve in days of net imports by the IEA convention (90% of it over the
        previous year's net imports, the plan's base) [days].
    outlay_usd : float
        Purchases at normal US prices, undiscounted [$].
    months_to_fill : int
        Months needed to buy it [months] (rules buy at the purchase limit from month 0).
    expected_unmet_t : float
        Expected unmet demand over the horizon [t].
    """

    material: str
    rule: str
    reserve_t: float
    cover_days: float
    outlay_usd: float
    months_to_fill: int
    expected_unmet_t: float


@dataclass(frozen=True)
class FloorAlternative:
    """The cheapest candidate floor of a material the plan left without one."""

    material: str
    level_usd_per_kg: float
    projects: tuple[str, ...]
    expected_payout_usd: float  # discounted, net of the upside share
    shortage_avoided_usd: float  # discounted expected damage avoided, reserve as planned
    expected_added_supply_t: float


def _chosen_levels(data: PlanData, result: PlanResult) -> list[int]:
    levels = []
    for mi, name in enumerate(data.inputs.material_names):
        cand = data.floors[mi].levels_usd_per_kg
        chosen = result.material(name).floor.level_usd_per_kg
        levels.append(int(np.argmin(np.abs(cand - chosen))))
    return levels


def _plan_buys(data: PlanData, result: PlanResult) -> NDArray[np.float64]:
    return np.stack([np.asarray(result.material(n).fill_schedule_t, dtype=float)[: data.T]
                     for n in data.inputs.material_names])


def _expected_unmet(data: PlanData, buy: NDArray, levels: list[int]) -> NDArray[np.float64]:
    """Expected unmet demand per material over the horizon [t], shape (M,)."""
    return np.einsum("s,smt->m", data.prob, _unmet(data, buy, levels))


def _shortage_damage(data: PlanData, buy: NDArray, levels: list[int]) -> float:
    """Expected discounted shortage damage [$]."""
    return float(data.prob @ shortage_damage(data, _unmet(data, buy, levels)).sum(axis=1))


def _unmet(data: PlanData, buy: NDArray, levels: list[int]) -> NDArray[np.float64]:
    """Unmet demand (S, M, T) [t/month] under the engine's optimal recourse."""
    out = fixed_recourse(data, buy, levels)
    if out is None:
        raise RuntimeError("the recourse LP failed for a fixed plan")
    return out[1]


def _fill_at_limit(target: float, limit: float, months: int) -> NDArray[np.float64]:
    buy = np.zeros(months)
    if target <= 0 or limit <= 0:
        return buy
    full, rest = divmod(target, limit)
    n = min(int(full), months)
    buy[:n] = limit
    if n < months and rest > 1e-9:
        buy[n] = rest
    return buy


def day_count_rules(inputs: PlanInputs, result: PlanResult,
                    rule_days: tuple[float, ...] = RULE_DAYS,
                    data: PlanData | None = None) -> list[RuleOutcome]:
    """The optimised reserve beside reserves of ``rule_days`` of net imports, per material.

    A rule reserve holds ``d`` days by the IEA convention (``d`` days of the previous year's
    net imports with 10% of the stock counted unavailable). It is set today, so its base is
    the net imports of the year before the plan starts; it is bought at the purchase limit
    from the first month (the budget is not applied, so a rule may cost more than the plan
    may spend) and released like the plan's when a disruption starts; the chosen floors stay
    as planned. (The plan's own cover is on the base of the year before it is filled, which
    is infinite once domestic output covers demand.)
    """
    data = data or build_plan_data(inputs)
    levels = _chosen_levels(data, result)
    plan_buy = _plan_buys(data, result)
    plan_unmet = _expected_unmet(data, plan_buy, levels)
    out: list[RuleOutcome] = []
    rule_unmet: dict[float, NDArray] = {}
    rule_buys: dict[float, NDArray] = {}
    for d in rule_days:
        buy = np.zeros_like(plan_buy)
        for mi in range(len(inputs.material_names)):
            base = float(data.net_imports_by_year[mi, 0])  # the year before the plan
            target = max(float(iea_stock_for_days(d, base)) - data.stock0[mi], 0.0)
            buy[mi] = _fill_at_limit(target, float(data.purchase_limit[mi]), data.T)
        rule_buys[d] = buy
        rule_unmet[d] = _expected_unmet(data, buy, levels)
    for mi, name in enumerate(inputs.material_names):
        plan = result.material(name)
        price_per_t = float(data.price_dom[mi])
        out.append(RuleOutcome(name, "Optimised plan", plan.reserve_target_t,
                               plan.days_of_import_cover, plan.planned_outlay_usd,
                               plan.months_to_fill, float(plan_unmet[mi])))
        for d in rule_days:
            buy = rule_buys[d][mi]
            bought = np.nonzero(buy > 1e-9)[0]
            reserve = float(data.stock0[mi] + buy.sum())
            out.append(RuleOutcome(
                name, f"{d:g}-day rule", reserve,
                float(iea_cover_days(reserve, data.net_imports_by_year[mi, 0])),
                float(buy.sum() * price_per_t), int(bought[-1] + 1) if len(bought) else 0,
                float(rule_unmet[d][mi])))
    return out


def floor_alternatives(inputs: PlanInputs, result: PlanResult,
                       data: PlanData | None = None) -> dict[str, FloorAlternative]:
    """For each material without a floor that had candidates: the cheapest candidate."""
    data = data or build_plan_data(inputs)
    levels = _chosen_levels(data, result)
    buy = _plan_buys(data, result)
    base_damage: float | None = None
    out: dict[str, FloorAlternative] = {}
    for mi, name in enumerate(inputs.material_names):
        fl = data.floors[mi]
        if levels[mi] != 0 or len(fl.levels_usd_per_kg) < 2:
            continue
        if base_damage is None:
            base_damage = _shortage_damage(data, buy, levels)
        k = 1  # levels are sorted; 0 is "no floor"
        trial = list(levels)
        trial[mi] = k
        projects = tuple(inputs.projects[int(j)].name
                         for jj, j in enumerate(fl.project_indices) if fl.supported[k, jj])
        out[name] = FloorAlternative(
            material=name, level_usd_per_kg=float(fl.levels_usd_per_kg[k]),
            projects=projects, expected_payout_usd=float(data.prob @ data.payout[mi][:, k]),
            shortage_avoided_usd=base_damage - _shortage_damage(data, buy, trial),
            expected_added_supply_t=float(fl.supply[k].sum()))
    return out
