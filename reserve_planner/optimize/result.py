"""Typed results of a solve. Money is discounted, expected US dollars unless a name says
otherwise; tonnes are of the material (oxide or magnet mass)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from enum import StrEnum
from typing import Any

import numpy as np
from numpy.typing import NDArray


def month_label(start_year: int, month: int) -> str:
    """Plan month (0 = January of ``start_year``) as "YYYY-MM"."""
    year, m = divmod(month, 12)
    return f"{start_year + year}-{m + 1:02d}"


class SolveStatus(StrEnum):
    """What became of a solve."""

    OPTIMAL = "optimal"
    TIME_LIMIT = "time limit"
    INFEASIBLE = "infeasible"
    INVALID_INPUT = "invalid input"
    ERROR = "error"

    @property
    def has_plan(self) -> bool:
        return self in (SolveStatus.OPTIMAL, SolveStatus.TIME_LIMIT)


@dataclass(frozen=True)
class Conflict:
    """One limit that has to give way for a plan to exist (from the elastic re-solve)."""

    group: str  # "minimum cover", "annual budget", "total budget", "purchase limit"
    where: str  # material, year or "all"
    shortfall: float  # how far the limit had to be relaxed, in ``unit``
    unit: str
    sentence: str


@dataclass(frozen=True)
class CostBreakdown:
    """Expected discounted cost by term [$]; credits are negative."""

    purchases_usd: float
    storage_usd: float
    release_revenue_usd: float
    salvage_credit_usd: float
    floor_payouts_usd: float
    shortage_usd: float
    risk_premium_usd: float

    @property
    def total_usd(self) -> float:
        return (self.purchases_usd + self.storage_usd + self.release_revenue_usd
                + self.salvage_credit_usd + self.floor_payouts_usd + self.shortage_usd
                + self.risk_premium_usd)

    def items(self) -> list[tuple[str, float]]:
        """(label, $) pairs in display order."""
        return [
            ("Reserve purchases", self.purchases_usd),
            ("Storage", self.storage_usd),
            ("Sales of released stock", self.release_revenue_usd),
            ("Stock left at horizon", self.salvage_credit_usd),
            ("Floor payouts (net of upside)", self.floor_payouts_usd),
            ("Shortage damage", self.shortage_usd),
            ("Risk premium (CVaR weight)", self.risk_premium_usd),
        ]


@dataclass(frozen=True)
class SupportedProject:
    name: str
    kind: str
    capacity_t_per_yr: float
    first_output: str  # "YYYY-MM"
    full_output: str  # "YYYY-MM"
    failure_probability: float


@dataclass(frozen=True)
class FloorOption:
    """One candidate floor level, appraised by re-solving with the floor pinned there."""

    level_usd_per_kg: float
    projects: tuple[str, ...]
    expected_payout_usd: float
    objective_change_usd: float  # best plan with this level minus the optimum (>= 0)


@dataclass(frozen=True)
class FloorDecision:
    """The price floor chosen for one material and what it costs and buys."""

    level_usd_per_kg: float  # 0 = no floor
    candidates_usd_per_kg: tuple[float, ...]
    projects: tuple[SupportedProject, ...]
    expected_payout_usd: float  # discounted, net of upside share
    worst_case_payout_usd: float  # discounted, prices at their 5% quantile, no failures
    equity_at_risk_usd: float
    expected_equity_loss_usd: float
    expected_added_supply_t: float  # over the horizon, survival-weighted
    appraisal: tuple[FloorOption, ...] = ()  # every candidate level (SolveOptions.appraise_floors)

    @property
    def has_floor(self) -> bool:
        return self.level_usd_per_kg > 0


@dataclass(frozen=True, eq=False)
class MaterialPlan:
    """The reserve and floor for one material."""

    material: str
    reserve_target_t: float
    days_of_import_cover: float
    net_imports_t_per_yr: float  # first plan year, the base of the day count
    fill_schedule_t: NDArray[np.float64]  # (T,) planned purchases per month
    planned_outlay_usd: float  # undiscounted purchases at normal prices
    net_reserve_cost_usd: float  # expected discounted purchases+storage-sales-salvage
    floor: FloorDecision
    expected_unmet_t: float
    expected_unmet_without_plan_t: float
    release_capacity_value_usd_per_t_month: float  # dual of the release limits
    months_to_fill: int  # month of the last planned purchase + 1 (0 if none)


@dataclass(frozen=True, eq=False)
class ScenarioOutcome:
    """How the plan plays out in one scenario. Arrays are (M, T) [t/month] or (M, T+1) [t]."""

    name: str
    probability: float
    loss_usd: float  # total discounted cost in this scenario
    stock_t: NDArray[np.float64]  # (M, T+1) stock at the start of each month
    releases_t: NDArray[np.float64]  # (M, T)
    unmet_t: NDArray[np.float64]  # (M, T)
    unmet_without_plan_t: NDArray[np.float64]  # (M, T)

    @property
    def total_unmet_t(self) -> float:
        return float(self.unmet_t.sum())

    @property
    def total_unmet_without_plan_t(self) -> float:
        return float(self.unmet_without_plan_t.sum())


@dataclass(frozen=True, eq=False)
class PlanResult:
    """Everything a solve produced. ``status.has_plan`` says whether the plan fields hold."""

    status: SolveStatus
    message: str
    inputs_name: str = ""
    start_year: int = 0
    months: int = 0
    material_names: tuple[str, ...] = ()
    objective_usd: float = float("nan")
    costs: CostBreakdown | None = None
    materials: tuple[MaterialPlan, ...] = ()
    scenarios: tuple[ScenarioOutcome, ...] = ()
    expected_unmet_t: float = float("nan")
    expected_unmet_without_plan_t: float = float("nan")
    expected_shortage_avoided_usd: float = float("nan")
    cost_without_plan_usd: float = float("nan")
    eev_usd: float = float("nan")
    vss_usd: float = float("nan")
    wait_and_see_usd: float = float("nan")  # cost if each scenario were known in advance
    evpi_usd: float = float("nan")  # expected value of perfect information
    budget_value_usd_per_usd: tuple[float, ...] = ()  # per plan year, dual of the budget
    tariff_cost_to_buyers_usd: float = float("nan")
    cvar_usd: float = float("nan")
    conflicts: tuple[Conflict, ...] = ()
    problems: tuple[str, ...] = ()
    build_time_s: float = 0.0
    highs_time_s: float = 0.0
    solve_time_s: float = 0.0
    n_variables: int = 0
    n_constraints: int = 0
    n_binaries: int = 0
    extras: dict[str, Any] = field(default_factory=dict)

    def material(self, name: str) -> MaterialPlan:
        for m in self.materials:
            if m.material == name:
                return m
        raise KeyError(name)

    @property
    def benefit_cost_ratio(self) -> float:
        """Expected shortage damage avoided per dollar of reserve and floor cost [-]."""
        cost = sum(m.net_reserve_cost_usd + m.floor.expected_payout_usd for m in self.materials)
        return self.expected_shortage_avoided_usd / cost if cost > 0 else float("inf")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready nested dict (arrays become lists, enums their values)."""
        out = _plain(self)
        out["benefit_cost_ratio"] = _plain(self.benefit_cost_ratio)
        if self.costs is not None:
            out["costs"]["total_usd"] = self.costs.total_usd
        return out


def _plain(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float | np.floating):
        v = float(value)
        return v if np.isfinite(v) else None
    if isinstance(value, np.integer):
        return int(value)
    return value
