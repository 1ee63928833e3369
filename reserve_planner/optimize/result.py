"""Typed results of a solve. Money is discounted, expected US dollars unless a name says
otherwise; tonnes are of the material (oxide or magnet mass)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass, replace
from enum import StrEnum
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .near_optimal import SizeCurve
from .payouts import FiscalExposure


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
    contracted_floor_payouts_usd: float = 0.0
    spot_premium_usd: float = 0.0  # emergency spot purchases beyond their normal price


    @property
    def expected_cost_usd(self) -> float:
        """Expected discounted cost, without the risk premium [$]."""
        return (self.purchases_usd + self.storage_usd + self.release_revenue_usd
                + self.salvage_credit_usd + self.floor_payouts_usd + self.shortage_usd
                + self.contracted_floor_payouts_usd + self.spot_premium_usd)

    @property
    def total_usd(self) -> float:
        """The objective: expected cost plus the risk premium [$]."""
        return self.expected_cost_usd + self.risk_premium_usd

    def items(self) -> list[tuple[str, float]]:
        """(label, $) pairs in display order."""
        return [
            ("Reserve purchases", self.purchases_usd),
            ("Storage", self.storage_usd),
            ("Sales of released stock", self.release_revenue_usd),
            ("Stock left at horizon", self.salvage_credit_usd),
            ("New floor payouts (net of upside)", self.floor_payouts_usd),
            ("Contracted floor payouts (status quo)", self.contracted_floor_payouts_usd),
            ("Emergency spot purchases (premium over normal price)", self.spot_premium_usd),
            ("Shortage damage", self.shortage_usd),
            ("Risk premium (weight x CVaR of shortage damage)", self.risk_premium_usd),
        ]


@dataclass(frozen=True)
class ContractedFloorOutcome:
    """What a floor already contracted (status quo) is expected to pay [$, discounted]."""

    name: str
    material: str
    project: str
    level_usd_per_kg: float
    covered_t: float  # expected covered volume over the horizon [t]
    expected_payout_usd: float  # net of upside share
    worst_case_payout_usd: float  # prices at their 5% quantile, project producing


@dataclass(frozen=True)
class PublicMoney:
    """Equity and loans the government already has in one project (status quo) [$]."""

    project: str
    equity_usd: float
    loan_usd: float
    loss_given_default_share: float
    failure_probability: float

    @property
    def expected_loss_usd(self) -> float:
        """Failure probability x (equity + loss-given-default share x loan) [$]."""
        return self.failure_probability * (self.equity_usd
                                           + self.loss_given_default_share * self.loan_usd)


@dataclass(frozen=True)
class StatusQuo:
    """The reference every plan figure is measured against: existing commitments, no new
    reserve, no new floor. Money discounted and expected unless named otherwise [$]."""

    objective_usd: float  # expected cost + risk weight x CVaR of shortage damage
    expected_cost_usd: float
    shortage_usd: float  # expected shortage damage
    shortage_cvar_usd: float
    loss_cvar_usd: float  # CVaR of each scenario's total loss, for information
    expected_unmet_by_material_t: tuple[float, ...]  # per material, in material order [t];
    # tonnes of different materials are never added together
    contracted_floors: tuple[ContractedFloorOutcome, ...] = ()
    committed_projects: tuple[tuple[str, str], ...] = ()  # (project, contract)
    public_money: tuple[PublicMoney, ...] = ()  # already lent or invested, committed or not
    scenario_losses_usd: tuple[float, ...] = ()
    scenario_shortage_usd: tuple[float, ...] = ()

    @property
    def contracted_payout_usd(self) -> float:
        return sum(f.expected_payout_usd for f in self.contracted_floors)

    @property
    def contracted_worst_case_payout_usd(self) -> float:
        return sum(f.worst_case_payout_usd for f in self.contracted_floors)

    @property
    def expected_public_money_loss_usd(self) -> float:
        return sum(p.expected_loss_usd for p in self.public_money)


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
    days_of_import_cover: float  # IEA: 90% of the target / previous year's imports per day
    net_imports_t_per_yr: float  # the year before the target is reached: the IEA base
    fill_schedule_t: NDArray[np.float64]  # (T,) planned purchases per month
    planned_outlay_usd: float  # undiscounted purchases at normal prices
    net_reserve_cost_usd: float  # expected discounted purchases+storage-sales-salvage
    floor: FloorDecision
    expected_unmet_t: float
    expected_unmet_without_plan_t: float
    release_capacity_value_usd_per_t_month: float  # dual of the release limits
    months_to_fill: int  # month of the last planned purchase + 1 (0 if none)
    status_quo_reserve_cost_usd: float = 0.0  # the starting stock's net cost, no purchases
    days_of_cover_year_reached: float = float("nan")  # stock / imports of the year reached
    year_reached: int = 0  # calendar year the reserve target is reached
    near_optimal: SizeCurve | None = None  # SolveOptions.near_optimal_tolerance

    @property
    def incremental_reserve_cost_usd(self) -> float:
        """Net reserve cost beyond what the starting stock costs in the status quo [$]."""
        return self.net_reserve_cost_usd - self.status_quo_reserve_cost_usd


@dataclass(frozen=True, eq=False)
class ScenarioOutcome:
    """How the plan plays out in one scenario. Arrays are (M, T) [t/month] or (M, T+1) [t]."""

    name: str
    probability: float
    loss_usd: float  # total discounted cost in this scenario
    stock_t: NDArray[np.float64]  # (M, T+1) stock at the start of each month
    releases_t: NDArray[np.float64]  # (M, T)
    unmet_t: NDArray[np.float64]  # (M, T)
    unmet_without_plan_t: NDArray[np.float64]  # (M, T) in the status quo
    shortage_usd: float = float("nan")  # discounted shortage damage in this scenario
    status_quo_loss_usd: float = float("nan")  # the status quo's loss in this scenario
    spot_t: NDArray[np.float64] | None = None  # (M, T) emergency spot purchases
    refill_t: NDArray[np.float64] | None = None  # (M, T) the scenario's own purchases after
    # its first episode began (refills for a later episode) [t/month]
    parent: str = ""  # the input scenario this start-month variant belongs to (its own name
    # when the scenario's start is known)

    @property
    def unmet_by_material_t(self) -> NDArray[np.float64]:
        """(M,) unmet demand of each material over the horizon [t of that material]."""
        return self.unmet_t.sum(axis=1)

    @property
    def unmet_without_plan_by_material_t(self) -> NDArray[np.float64]:
        """(M,) the same in the status quo [t of that material]."""
        return self.unmet_without_plan_t.sum(axis=1)


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
    expected_shortage_avoided_usd: float = float("nan")
    cost_without_plan_usd: float = float("nan")  # the status quo's objective
    status_quo: StatusQuo | None = None
    fiscal_exposure: FiscalExposure | None = None  # SolveOptions.payout_runs
    release_lag_costs_usd: tuple[tuple[int, float], ...] = ()  # (lag [months], extra cost)
    eev_usd: float = float("nan")
    vss_usd: float = float("nan")
    wait_and_see_usd: float = float("nan")  # cost if each scenario were known in advance
    evpi_usd: float = float("nan")  # expected value of perfect information
    budget_value_usd_per_usd: tuple[float, ...] = ()  # per plan year, dual of the budget
    tariff_cost_to_buyers_usd: float = float("nan")
    cvar_usd: float = float("nan")  # CVaR of each scenario's total loss (for information)
    shortage_cvar_usd: float = float("nan")  # CVaR of shortage damage: the risk term
    conflicts: tuple[Conflict, ...] = ()
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # inputs that solve but look inconsistent, one sentence each
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

    def by_input_scenario(self) -> PlanResult:
        """This result with one outcome per input scenario, for display: the start-month
        variants of a scenario with a start window (``ScenarioOutcome.parent``) merged into
        one outcome with their total probability and the probability-weighted means of
        their losses and monthly paths (the expected path over the window). The status
        quo's per-scenario figures are merged the same way. A result whose scenarios were
        not expanded is returned as it is."""
        parents = [s.parent or s.name for s in self.scenarios]
        if len(set(parents)) == len(parents):
            return self
        order = list(dict.fromkeys(parents))
        groups = [[i for i, p in enumerate(parents) if p == name] for name in order]

        def merged(values, idx, prob):
            return float(np.dot(prob, [values[i] for i in idx]) / prob.sum())

        outs = []
        for name, idx in zip(order, groups, strict=True):
            members = [self.scenarios[i] for i in idx]
            if len(members) == 1 and members[0].name == name:
                outs.append(members[0])
                continue
            prob = np.array([m.probability for m in members])
            w = prob / prob.sum() if prob.sum() > 0 else np.full(len(prob), 1 / len(prob))

            def mean(attr, members=members, w=w):
                arrays = [getattr(m, attr) for m in members]
                if any(a is None for a in arrays):
                    return None
                return np.einsum("s,s...->...", w, np.stack(arrays))

            outs.append(ScenarioOutcome(
                name=name, probability=float(prob.sum()),
                loss_usd=float(w @ [m.loss_usd for m in members]),
                stock_t=mean("stock_t"), releases_t=mean("releases_t"),
                unmet_t=mean("unmet_t"), unmet_without_plan_t=mean("unmet_without_plan_t"),
                shortage_usd=float(w @ [m.shortage_usd for m in members]),
                status_quo_loss_usd=float(w @ [m.status_quo_loss_usd for m in members]),
                spot_t=mean("spot_t"), refill_t=mean("refill_t"), parent=name))
        sq = self.status_quo
        if sq is not None and len(sq.scenario_losses_usd) == len(parents):
            def per_group(values):
                v = np.asarray(values, dtype=float)
                return tuple(float(np.dot([self.scenarios[i].probability for i in idx],
                                          v[idx]) / max(sum(self.scenarios[i].probability
                                                            for i in idx), 1e-300))
                             for idx in groups)
            sq = replace(sq, scenario_losses_usd=per_group(sq.scenario_losses_usd),
                         scenario_shortage_usd=per_group(sq.scenario_shortage_usd)
                         if len(sq.scenario_shortage_usd) == len(parents)
                         else sq.scenario_shortage_usd)
        return replace(self, scenarios=tuple(outs), status_quo=sq)

    @property
    def incremental_cost_usd(self) -> float:
        """What the plan adds to the status quo's cost, shortage aside [$]: the reserve's
        net cost beyond the starting stock's, and the new floors' payouts."""
        return sum(m.incremental_reserve_cost_usd + m.floor.expected_payout_usd
                   for m in self.materials)

    @property
    def benefit_cost_ratio(self) -> float:
        """Expected shortage damage avoided against the status quo per dollar the plan adds
        (reserve and new floors) [-]."""
        cost = self.incremental_cost_usd
        return self.expected_shortage_avoided_usd / cost if cost > 0 else float("inf")

    @property
    def expected_cost_usd(self) -> float:
        """The plan's expected discounted cost, risk premium aside [$]."""
        return self.costs.expected_cost_usd if self.costs is not None else float("nan")

    def comparison_rows(self) -> list[tuple[str, float, str, str]]:
        """The plan against the status quo, one definition for every output: (label,
        value, unit, note) rows; money discounted and expected unless the note says."""
        sq = self.status_quo
        if sq is None or self.costs is None:
            return []
        rows: list[tuple[str, float, str, str]] = [
            ("Status quo: expected cost", sq.expected_cost_usd, "$",
             "existing commitments, no new reserve, no new floor"),
            ("Status quo: expected shortage damage", sq.shortage_usd, "$", ""),
            ("Status quo: CVaR of shortage damage", sq.shortage_cvar_usd, "$",
             "mean of the worst outcomes at the CVaR level"),
            ("Status quo: contracted floor payouts", sq.contracted_payout_usd, "$",
             "expected, net of upside"),
            ("Status quo: contracted floor payouts, worst case",
             sq.contracted_worst_case_payout_usd, "$",
             "prices at their 5% quantile every month"),
            ("Status quo: expected loss of public money", sq.expected_public_money_loss_usd,
             "$", "failure probability x (equity + loss given default x loan)"),
            ("Plan: expected cost", self.costs.expected_cost_usd, "$",
             "risk premium not included"),
            ("Plan: CVaR of shortage damage", self.shortage_cvar_usd, "$", ""),
            ("Plan adds: reserve cost", sum(m.incremental_reserve_cost_usd
                                            for m in self.materials), "$",
             "purchases + storage - sales - salvage, beyond the starting stock's"),
            ("Plan adds: new floor payouts", sum(m.floor.expected_payout_usd
                                                 for m in self.materials), "$",
             "expected, net of upside"),
            ("Plan avoids: shortage damage", self.expected_shortage_avoided_usd, "$",
             "status quo minus plan"),
            ("Benefit/cost against the status quo", self.benefit_cost_ratio, "x",
             "shortage damage avoided per $ the plan adds" if self.incremental_cost_usd > 0
             else "the plan adds no net cost (the new floors' upside share pays for it)"),
        ]
        fe = self.fiscal_exposure
        if fe is not None:
            rows += [
                ("All floors: payouts, expected", fe.total_expected_usd, "$",
                 f"Monte Carlo, {fe.runs:,} price paths"),
                ("All floors: payouts, 95th percentile", fe.total_p95_usd, "$", ""),
                ("All floors: payouts, worst run", fe.total_worst_usd, "$", ""),
                ("All floors: payouts without the tariff", fe.total_expected_no_tariff_usd, "$",
                 "expected, at world prices"),
                ("Tariff cost to US buyers", fe.tariff_cost_to_buyers_usd, "$",
                 "read beside the payouts the tariff saves"),
            ]
        return rows

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready nested dict (arrays become lists, enums their values)."""
        out = _plain(self)
        out["benefit_cost_ratio"] = _plain(self.benefit_cost_ratio)
        out["incremental_cost_usd"] = _plain(self.incremental_cost_usd)
        if self.costs is not None:
            out["costs"]["total_usd"] = self.costs.total_usd
            out["costs"]["expected_cost_usd"] = self.costs.expected_cost_usd
        if self.status_quo is not None:
            sq = self.status_quo
            out["status_quo"]["contracted_payout_usd"] = sq.contracted_payout_usd
            out["status_quo"]["contracted_worst_case_payout_usd"] = (
                sq.contracted_worst_case_payout_usd)
            out["status_quo"]["expected_public_money_loss_usd"] = (
                sq.expected_public_money_loss_usd)
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
